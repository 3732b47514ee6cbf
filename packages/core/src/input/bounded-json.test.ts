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

  it('the limits hold exactly: depth and node count at the limit pass, one more is refused', () => {
    const nest = (levels: number): unknown => (levels === 0 ? 'leaf' : [nest(levels - 1)]);
    expect(() => assertTreeWithin(nest(3), { maxDepth: 3 })).not.toThrow();
    expect(() => assertTreeWithin(nest(4), { maxDepth: 3 }, 'f.yaml')).toThrow(
      new ConfigError('nested deeper than 3 levels', { file: 'f.yaml' }),
    );
    // Nodes: the array, its three items.
    expect(() => assertTreeWithin([1, 2, 3], { maxNodes: 4 })).not.toThrow();
    expect(() => assertTreeWithin([1, 2, 3, 4], { maxNodes: 4 })).toThrow(
      'aliases expand to more than 4 values (an alias bomb?)',
    );
    // A lone value is one node too.
    expect(() => assertTreeWithin('x', { maxNodes: 0 })).toThrow('aliases expand to more than 0 values');
    expect(() => assertTreeWithin('x', { maxNodes: 1 })).not.toThrow();
  });

  it('a shared subtree counts at every depth it is used, also where it is used again deeper', () => {
    const shared = [[['leaf']]];
    // First met at depth 1 (fits: 1 + 3 levels), then again at depth 2 (does not).
    expect(() => assertTreeWithin({ a: shared }, { maxDepth: 4 })).not.toThrow();
    expect(() => assertTreeWithin([shared, shared], { maxDepth: 4 })).not.toThrow();
    expect(() => assertTreeWithin([shared, [shared]], { maxDepth: 4 })).toThrow(
      'nested deeper than 4 levels',
    );
    expect(() => assertTreeWithin([shared, shared, shared], { maxNodes: 100 })).not.toThrow();
    expect(() => assertTreeWithin([shared, shared, shared], { maxNodes: 12 })).toThrow('more than 12 values');
  });
});

describe('yamlFlowDepth', () => {
  it('counts flow brackets outside quotes and comments', () => {
    expect(yamlFlowDepth('a: [1, {b: [2]}]\n')).toBe(3);
    expect(yamlFlowDepth('a: "[[[" # [[[[\nb: \'[[\'\n')).toBe(0);
    expect(yamlFlowDepth(`x: ${'['.repeat(5000)}`, 64)).toBe(65);
  });

  it('a comment needs a blank before it and ends at the line end (or the text end); quotes end where they close', () => {
    expect(yamlFlowDepth('# [[\n[a]')).toBe(1);
    expect(yamlFlowDepth('a: [x]# [[ not a comment')).toBe(2);
    expect(yamlFlowDepth('a: [x] # [[[')).toBe(1);
    expect(yamlFlowDepth('a: "x\\"[" [b]')).toBe(1);
    expect(yamlFlowDepth("a: 'it''s' [[c]]")).toBe(2);
    expect(yamlFlowDepth('a: ]]] [[x]]')).toBe(2);
    expect(yamlFlowDepth('[{}] [[[]]]')).toBe(3);
    expect(yamlFlowDepth('[[[[', 2)).toBe(3);
    expect(yamlFlowDepth('[[', 2)).toBe(2);
    // An apostrophe in a plain scalar ends at the line's end outside any collection.
    expect(yamlFlowDepth("a: don't\nb: [[x]]")).toBe(2);
    expect(yamlFlowDepth("a: [it's\n[x]]")).toBe(1);
  });
});
