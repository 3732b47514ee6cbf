export * from './services/alfred-client.js';
export * from './services/alfred-records.js';
export * from './services/mesh-data-source.js';
export * from './settings.js';
