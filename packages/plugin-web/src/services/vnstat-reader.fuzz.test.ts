import type { Shell } from '@ffphoton/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VnstatReader } from './vnstat-reader.js';

const limits = { hours: 24, days: 30, months: 12, topDays: 10 };
/** A shell whose one program printed `stdout` (the parsing is what is fuzzed, not the spawn). */
const printing = (stdout: string) =>
  ({
    run: async () => ({ argv: ['vnstat'], stdout, stderr: '', exitCode: 0, failed: false }),
  }) as unknown as Shell;

const entry = fc.record({
  date: fc.record({ year: fc.integer(), month: fc.integer(), day: fc.integer() }),
  rx: fc.oneof(fc.nat(), fc.double(), fc.string()),
  tx: fc.nat(),
});
const output = fc.oneof(
  fc.json({ maxDepth: 5 }),
  fc.nat({ max: 50_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc
    .record({
      jsonversion: fc.constant('2'),
      interfaces: fc.array(
        fc.record({
          name: fc.constantFrom('eth0', 'mzVPN', ''),
          traffic: fc.record({
            total: fc.record({ rx: fc.nat(), tx: fc.nat() }),
            day: fc.array(entry, { maxLength: 5 }),
            top: fc.array(entry, { maxLength: 5 }),
          }),
        }),
        { maxLength: 3 },
      ),
    })
    .map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
);

describe('fuzz: vnstat output', () => {
  it('draws what it can or leaves a note, never throws, in bounded time', async () => {
    await fc.assert(
      fc.asyncProperty(output, async (stdout) => {
        const started = performance.now();
        const report = await new VnstatReader(printing(stdout), ['vnstat', '--json'], 1000).read(
          ['eth0', 'mzVPN'],
          limits,
        );
        expect(report.interfaces.length + report.notes.length).toBeGreaterThan(0);
        expect(performance.now() - started).toBeLessThan(1000);
      }),
      { numRuns: 200, seed: 16, interruptAfterTimeLimit: 8_000 },
    );
  });
});
