import { describe, expect, it } from 'vitest';
import { byCodeUnit } from './compare.js';
import { formatTable } from './table.js';

describe('formatTable', () => {
  it('pads every column but the last to its widest cell', () => {
    expect(
      formatTable(
        ['a', 'bb', 'c'],
        [
          ['long', 'x', 'free text'],
          ['s', 'yyy', ''],
        ],
      ),
    ).toEqual(['a     bb   c', 'long  x    free text', 's     yyy']);
  });

  it('a short row counts its missing cells as empty; a header alone is one line', () => {
    expect(formatTable(['name', 'state'], [['gw1'], ['gateway-02', 'ok']])).toEqual([
      'name        state',
      'gw1',
      'gateway-02  ok',
    ]);
    expect(formatTable(['a', 'b'], [])).toEqual(['a  b']);
  });
});

describe('byCodeUnit', () => {
  it('orders by code unit: upper before lower case, shorter prefix first, equal is 0', () => {
    expect(['b', 'B', 'a', 'ab', 'a'].sort(byCodeUnit)).toEqual(['B', 'a', 'a', 'ab', 'b']);
    expect([byCodeUnit('x', 'x'), byCodeUnit('a', 'b'), byCodeUnit('b', 'a')]).toEqual([0, -1, 1]);
  });
});
