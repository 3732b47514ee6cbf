import { describe, expect, it } from 'vitest';
import { isPartial, partial } from './partial-outcome.js';

describe('partial outcomes', () => {
  it('carry the result, the problems and the message; the log lists the problems unless told otherwise', () => {
    const { result, problems, message, listedInOutput } = partial(
      { written: 2 },
      ['peer x: bad key'],
      '1 refused',
    );
    expect({ result, problems, message, listedInOutput }).toEqual({
      result: { written: 2 },
      problems: ['peer x: bad key'],
      message: '1 refused',
      listedInOutput: false,
    });
    expect(partial([], [], 'm', { listedInOutput: true }).listedInOutput).toBe(true);
  });

  it('are told apart from any plain result, also one shaped like them', () => {
    const lookalike = { result: 1, problems: ['a'], message: 'm', listedInOutput: false };
    const plain: unknown[] = [lookalike, undefined, null, 0, '', 'partial', [], [1], {}];
    expect(plain.filter((value) => isPartial(value))).toEqual([]);
    expect(isPartial(partial(undefined, [], 'm'))).toBe(true);
    expect(isPartial(partial(lookalike, ['a'], 'm'))).toBe(true);
  });
});
