export * from './settings.js';
export * from './status-section.js';
