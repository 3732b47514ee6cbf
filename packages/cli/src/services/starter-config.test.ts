import { describe, expect, it } from 'vitest';
import { withExampleEntries } from './starter-config.js';

describe('withExampleEntries', () => {
  it('fills each empty list of the defaults with the first entry of the sample, at any depth', () => {
    const defaults = { instances: [], limit: { gateways: [], additional: 8 }, keep: ['a'], name: 'x' };
    const example = {
      instances: [{ name: 'one' }, { name: 'two' }],
      limit: { gateways: ['gw1'] },
      keep: ['b'],
    };
    expect(withExampleEntries(defaults, example)).toEqual({
      instances: [{ name: 'one' }],
      limit: { gateways: ['gw1'], additional: 8 },
      keep: ['a'],
      name: 'x',
    });
  });

  it('leaves the defaults alone without a sample, or where the sample has no entries', () => {
    const defaults = { instances: [], nested: { list: [] } };
    expect(withExampleEntries(defaults, undefined)).toEqual(defaults);
    expect(withExampleEntries(defaults, { instances: [], nested: 'not a mapping' })).toEqual(defaults);
  });
});
