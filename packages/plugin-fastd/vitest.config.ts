import { photonProject } from '../../vitest.shared.js';

// The reaper kills every fastd daemon a test started, also when a run is cut short. An absolute
// path: Stryker runs this config from the repository root of its sandbox.
export default photonProject('plugin-fastd', {
  globalSetup: [new URL('./src/test-helpers/fastd-reaper.ts', import.meta.url).pathname],
});
