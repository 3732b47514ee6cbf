import { describe, expect, it } from 'vitest';
import { knownKeysAt } from './schema-keys.js';
import { z } from './zod.js';

describe('knownKeysAt', () => {
  const schema = z.strictObject({
    instances: z.array(z.strictObject({ name: z.string(), peersDir: z.string().optional() })).default([]),
    limit: z
      .strictObject({ additional: z.number().default(8), gateways: z.array(z.string()).default([]) })
      .prefault({}),
    outputs: z.array(
      z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('bgp'), family: z.string() }),
        z.strictObject({ kind: z.literal('dns'), format: z.string() }),
      ]),
    ),
    commands: z.record(z.string(), z.strictObject({ argv: z.array(z.string()) })).optional(),
  });

  it('finds the keys of the mapping at any depth, through arrays, defaults and unions', () => {
    expect(knownKeysAt(schema, [])).toEqual(['instances', 'limit', 'outputs', 'commands']);
    expect(knownKeysAt(schema, ['limit'])).toEqual(['additional', 'gateways']);
    expect(knownKeysAt(schema, ['instances', 0])).toEqual(['name', 'peersDir']);
    expect(knownKeysAt(schema, ['outputs', 2])).toEqual(['kind', 'family', 'format']);
    expect(knownKeysAt(schema, ['commands', 'uname'])).toEqual(['argv']);
  });

  it('knows no keys where the schema has no mapping', () => {
    expect(knownKeysAt(schema, ['limit', 'additional'])).toEqual([]);
    expect(knownKeysAt(schema, ['nosuch'])).toEqual([]);
  });

  it('sees through transforms, lazy schemas and unions on the way down', () => {
    const node = z.strictObject({ id: z.string(), next: z.lazy((): z.ZodType => node).optional() });
    const wrapped = z.strictObject({
      piped: z.strictObject({ host: z.string() }).transform((v) => v),
      chain: node,
      either: z.union([
        z.strictObject({ shared: z.strictObject({ a: z.string() }), onlyLeft: z.number() }),
        z.strictObject({ shared: z.strictObject({ b: z.string() }) }),
        z.string(),
      ]),
    });
    expect(knownKeysAt(wrapped, ['piped'])).toEqual(['host']);
    expect(knownKeysAt(wrapped, ['chain', 'next', 'next'])).toEqual(['id', 'next']);
    expect(knownKeysAt(wrapped, ['either'])).toEqual(['shared', 'onlyLeft']);
    expect(knownKeysAt(wrapped, ['either', 'shared'])).toEqual(['a', 'b']);
    expect(knownKeysAt(wrapped, ['either', 'onlyLeft'])).toEqual([]);
    expect(knownKeysAt(z.array(z.string()), [0])).toEqual([]);
    expect(knownKeysAt(z.record(z.string(), z.number()), ['x'])).toEqual([]);
  });
});
