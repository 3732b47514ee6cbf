export * from './bounded-file.js';
export * from './bounded-json.js';
export * from './bounded-tree.js';
export * from './limits.js';
