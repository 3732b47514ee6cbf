import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'plugin-watchdog',
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
