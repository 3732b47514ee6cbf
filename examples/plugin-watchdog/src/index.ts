export * from './services/exit-vpn-check.js';
export * from './services/service-watchdog.js';
export * from './settings.js';
