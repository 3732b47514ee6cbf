import { photonProject } from '../vitest.shared.js';

// End-to-end tests run the built binary; they need `npm run build` first (the test script does it).
export default photonProject('e2e', { include: ['**/*.test.ts'], testTimeout: 120_000 });
