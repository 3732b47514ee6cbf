import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { parseSettingsText } from './settings-loader.js';
import { readYaml } from './yaml-file.js';

const base = { env: { HOME: '/home/gw' }, hostname: 'kaschu', timestamp: '2026.11.26-12.00.00' };

/** YAML fragments an attacker (or a typo) would combine: anchors, aliases, tags, nesting, merges. */
const fragment = fc.oneof(
  fc.constantFrom(
    'x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
    'x-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
    'x-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
    'x-d: &d {a: *c, b: *c, c: *c, d: *c, e: *c, f: *c, g: *c, h: *c}',
    'x-e: {<<: *d, z: 1}',
    'x-f: !str_join [hostname, "-", timestamp]',
    'x-g: !loc_join [conf_dir, x]',
    'x-h: !loc_join [1, 2]',
    'x-i: *nope',
    'x-j: "unterminated',
    'x-k: [1, 2',
    'x-l: |\n  text\n  more',
    '  indented: wrong',
    '- a list',
    'photon: {hostname: gw}',
    'x-m: !!binary aGVsbG8=',
    'x-n: 0x1F',
  ),
  fc.nat({ max: 3000 }).map((n) => `x-deep: ${'['.repeat(n)}${']'.repeat(n)}`),
  fc.nat({ max: 300 }).map((n) => `x-deep-map: ${'{a: '.repeat(n)}1${'}'.repeat(n)}`),
  fc.string({ maxLength: 40 }).map((s) => `x-s: ${JSON.stringify(s)}`),
  fc.string({ maxLength: 40 }),
);
const document = fc.array(fragment, { maxLength: 12 }).map((lines) => `${lines.join('\n')}\n`);

/** Heap growth allowed over a whole property (the limits keep each case to a few MiB). */
const MAX_HEAP_GROWTH = 64 * 1024 * 1024;

function assertBounded(parse: (text: string) => unknown) {
  const heapBefore = process.memoryUsage().heapUsed;
  fc.assert(
    fc.property(document, (text) => {
      const started = performance.now();
      try {
        parse(text);
      } catch (error) {
        // exit 2 with file and reason; never a crash, RangeError or TypeError
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as Error).message).toMatch(/^fuzz\.yaml(:\d+:\d+)?: /);
      }
      expect(performance.now() - started).toBeLessThan(1000);
    }),
    { numRuns: 300, seed: 16, interruptAfterTimeLimit: 8_000 },
  );
  expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(MAX_HEAP_GROWTH);
}

describe('fuzz: the settings reader (quick and `yaml` paths)', () => {
  it('accepts or refuses with a ConfigError naming the file, in bounded time and memory', () => {
    assertBounded((text) => parseSettingsText('config', 'fuzz.yaml', text, base, '/etc/photon'));
  });
});

describe("fuzz: plugins' YAML file reader", () => {
  it('accepts or refuses with a ConfigError naming the file, in bounded time and memory', () => {
    assertBounded((text) => readYaml(text, { source: 'fuzz.yaml', merge: true }));
  });
});
