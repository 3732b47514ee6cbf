import { describe, expect, it } from 'vitest';
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
});
