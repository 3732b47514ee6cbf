import { photonProject } from '../../vitest.shared.js';

// The reaper kills every fastd daemon a test started, also when a run is cut short.
export default photonProject('plugin-fastd', { globalSetup: ['src/test-helpers/fastd-reaper.ts'] });
