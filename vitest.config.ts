import { defineConfig } from 'vitest/config';

// One project per package (unit and real-tool tests beside the code) plus the
// end-to-end project in test/ that drives the built `photon` binary.
export default defineConfig({
  test: {
    projects: ['packages/*', 'examples/plugin-watchdog', 'test'],
  },
});
