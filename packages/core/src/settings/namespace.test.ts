import { describe, expect, it } from 'vitest';
import { defineSettings } from './namespace.js';
import { z } from './zod.js';

describe('defineSettings', () => {
  it('serializes to its name, so command manifests do not carry whole schemas', () => {
    const ns = defineSettings('demo', 'A demo namespace', z.object({ a: z.string().default('x') }));
    expect(JSON.stringify({ settings: [ns] })).toBe('{"settings":["demo"]}');
    expect(Object.keys(ns)).toEqual(['name', 'description', 'schema']);
    expect(ns.schema.parse({})).toEqual({ a: 'x' });
  });
});
