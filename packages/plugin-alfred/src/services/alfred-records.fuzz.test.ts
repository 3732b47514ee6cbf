import { gzipSync } from 'node:zlib';
import { ByteBudget } from '@ffphoton/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAlfredOutput } from './alfred-records.js';

/** Escapes bytes the way alfred's client.c prints them. */
function escapeBytes(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

const mac = fc
  .array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 })
  .map((b) => b.map((x) => x.toString(16).padStart(2, '0')).join(':'));
/** What a hostile node could announce: deep JSON, bombs, garbage, truncated gzip, plain objects. */
const payload = fc.oneof(
  fc.json({ maxDepth: 6 }).map((json) => Buffer.from(json)),
  fc.nat({ max: 20_000 }).map((n) => gzipSync(`${'['.repeat(n)}${']'.repeat(n)}`)),
  fc.nat({ max: 4 }).map((n) => gzipSync(Buffer.alloc(n * 200_000, 0x20))),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from([0x1f, 0x8b, ...bytes])),
  fc.object({ maxDepth: 3 }).map((o) => gzipSync(JSON.stringify(o))),
);
const line = fc.oneof(
  fc.tuple(mac, payload).map(([m, p]) => `{ "${m}", "${escapeBytes(p)}" },`),
  fc.string({ maxLength: 80 }),
);

describe('fuzz: alfred record decoding', () => {
  it('keeps every good record, reports every bad one, never throws, in bounded time and memory', () => {
    const heapBefore = process.memoryUsage().heapUsed;
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const started = performance.now();
        const budget = new ByteBudget(1024 * 1024, 'decompressed records');
        const decoded = decodeAlfredOutput(lines.join('\n'), { recordBytes: 256 * 1024, budget });
        for (const node of Object.values(decoded.nodes)) {
          expect(typeof node).toBe('object');
          // what was kept can be serialized (no stack overflow later, when nodes.json is written)
          JSON.stringify(node);
        }
        expect(budget.remaining).toBeGreaterThanOrEqual(0);
        expect(performance.now() - started).toBeLessThan(1000);
      }),
      { numRuns: 200, seed: 16, interruptAfterTimeLimit: 8_000 },
    );
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });
});
