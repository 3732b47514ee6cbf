import { describe, expect, it } from 'vitest';
import { parseExcludes } from './exclude-list.js';

describe('parseExcludes', () => {
  it('repeatable values and comma lists, blanks trimmed, empty entries dropped, whole names kept', () => {
    expect(parseExcludes(['alpha', ' bravo , charlie,', ',,', 'delta echo', 'alpha'])).toEqual(
      new Set(['alpha', 'bravo', 'charlie', 'delta echo']),
    );
    expect(parseExcludes([])).toEqual(new Set());
  });
});
