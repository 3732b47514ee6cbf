import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests run the sources: `#src/x.js` (the build, for photon) is `src/x.ts` here.
  resolve: {
    alias: [
      { find: /^#src\/(.*)\.js$/, replacement: `${fileURLToPath(new URL('./src/', import.meta.url))}$1.ts` },
    ],
  },
  test: {
    name: 'plugin-watchdog',
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
