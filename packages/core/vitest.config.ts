import { photonProject } from '../../vitest.shared.js';

// loader/ holds the bundle's CommonJS entry and its helpers (plain JavaScript, copied into dist/bundle).
export default photonProject('core', { include: ['src/**/*.test.ts', 'loader/**/*.test.ts'] });
