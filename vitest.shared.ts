import { defineProject } from 'vitest/config';

/** Shared vitest project settings: tests import workspace packages from source. */
export function photonProject(
  name: string,
  overrides: { testTimeout?: number; include?: string[]; globalSetup?: string[] } = {},
) {
  return defineProject({
    resolve: { conditions: ['photon-source'] },
    ssr: { resolve: { conditions: ['photon-source'], externalConditions: ['photon-source'] } },
    test: {
      name,
      // PHOTON_TEST_INCLUDE narrows a package's tests (scripts/mutate.mjs: unit tests only).
      include: process.env.PHOTON_TEST_INCLUDE?.split(',') ?? overrides.include ?? ['src/**/*.test.ts'],
      testTimeout: overrides.testTimeout ?? 30_000,
      hookTimeout: 60_000,
      setupFiles: [new URL('./vitest.setup.ts', import.meta.url).pathname],
      globalSetup: overrides.globalSetup,
      clearMocks: true,
      restoreMocks: true,
    },
  });
}
