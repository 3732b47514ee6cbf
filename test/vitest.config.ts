import { photonProject } from '../vitest.shared.js';

// End-to-end tests run the built binary; they need `npm run build` first (the test script does it).
// The fastd reaper kills every fastd daemon a test started, also when a run is cut short.
export default photonProject('e2e', {
  include: ['**/*.test.ts'],
  testTimeout: 120_000,
  globalSetup: ['../packages/plugin-fastd/src/test-helpers/fastd-reaper.ts'],
});
