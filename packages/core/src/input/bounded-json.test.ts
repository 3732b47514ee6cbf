import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { ByteBudget, gunzipBounded, jsonDepth, parseBoundedJson } from './bounded-json.js';
import { assertTreeWithin, yamlFlowDepth } from './bounded-tree.js';

describe('parseBoundedJson', () => {
  it('parses JSON within the depth limit', () => {
    expect(parseBoundedJson('{"a":[1,{"b":"[[["}]}', { maxDepth: 3 })).toEqual({ a: [1, { b: '[[[' }] });
  });

  it('refuses JSON nested 5000 deep before parsing it', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    expect(() => parseBoundedJson(deep, { file: 'rec' })).toThrow(
      new ConfigError('JSON nested deeper than 64 levels', { file: 'rec' }),
    );
  });

  it('counts brackets inside strings as text', () => {
    expect(jsonDepth('["\\"[[[", {"x": "]]"}]')).toBe(2);
  });

  it('fuzz: any text gives a value or a ConfigError, never another exception', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json({ maxDepth: 8 }),
          fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', '1', ',', ':') }),
        ),
        (text) => {
          try {
            parseBoundedJson(text, { maxDepth: 5 });
          } catch (error) {
            expect(error).toBeInstanceOf(ConfigError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('gunzipBounded', () => {
  it('refuses a gzip bomb at the budget', () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(16 * 1024);
    expect(() => gunzipBounded(bomb, 1024 * 1024)).toThrow('gzip data decompresses to more than 1 MiB');
    expect(gunzipBounded(gzipSync('{"a":1}'), 1024).toString()).toBe('{"a":1}');
    expect(() => gunzipBounded(Buffer.from([0x1f, 0x8b, 1, 2]), 1024)).toThrow(/gzip data is corrupt/);
  });

  it('a run budget refuses what exceeds it', () => {
    const budget = new ByteBudget(10, 'decompressed records');
    budget.take(6);
    expect(() => budget.take(5)).toThrow('decompressed records: over the budget of 10 bytes per run');
    budget.take(4);
    expect(budget.remaining).toBe(0);
  });
});

describe('assertTreeWithin', () => {
  it('refuses a shared-subtree bomb quickly', () => {
    let level: unknown = ['lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol'];
    for (let i = 0; i < 10; i++) level = Array(9).fill(level);
    const started = Date.now();
    expect(() => assertTreeWithin({ 'x-j': level }, {}, 'bomb.yaml')).toThrow(
      'bomb.yaml: aliases expand to more than 100000 values (an alias bomb?)',
    );
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('refuses deep nesting and accepts ordinary trees', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 70; i++) deep = { a: deep };
    expect(() => assertTreeWithin(deep)).toThrow('nested deeper than 64 levels');
    expect(() => assertTreeWithin({ a: [1, 2, { b: null }] })).not.toThrow();
  });
});

describe('yamlFlowDepth', () => {
  it('counts flow brackets outside quotes and comments', () => {
    expect(yamlFlowDepth('a: [1, {b: [2]}]\n')).toBe(3);
    expect(yamlFlowDepth('a: "[[[" # [[[[\nb: \'[[\'\n')).toBe(0);
    expect(yamlFlowDepth(`x: ${'['.repeat(5000)}`, 64)).toBe(65);
  });
});
