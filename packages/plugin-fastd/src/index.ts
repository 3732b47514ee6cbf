export * from './services/fastd-status.js';
export * from './services/instance-selection.js';
export * from './services/status-report.js';
export * from './services/status-socket-reader.js';
export * from './settings.js';
