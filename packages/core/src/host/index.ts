export * from './clock.js';
export * from './hostname.js';
