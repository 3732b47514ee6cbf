import { describe, expect, it } from 'vitest';
import { scanFastdSyntax } from './fastd-syntax.js';
import { validatePeerFile } from './peer-file-validator.js';
import { maskCommentsAndStrings } from './peer-limit-statement.js';

const brief = (text: string) =>
  scanFastdSyntax(text).map(({ kind, start, end, problem }) => ({ kind, start, end, problem }));

describe('scanFastdSyntax', () => {
  it('gives the offsets of words, strings, punctuation and comments', () => {
    expect(brief('key "ab"; # c\n/* d */}')).toEqual([
      { kind: 'word', start: 0, end: 3, problem: undefined },
      { kind: 'string', start: 4, end: 8, problem: undefined },
      { kind: 'punctuation', start: 8, end: 9, problem: undefined },
      { kind: 'comment', start: 10, end: 13, problem: undefined },
      { kind: 'comment', start: 14, end: 21, problem: undefined },
      { kind: 'punctuation', start: 21, end: 22, problem: undefined },
    ]);
  });

  it('keeps an escaped quote inside the string', () => {
    const [token, ...rest] = scanFastdSyntax('"a\\"b" x');
    expect(token).toMatchObject({ kind: 'string', start: 0, end: 6, value: 'a"b' });
    expect(rest.map((t) => t.text)).toEqual(['x']);
  });

  it('marks the three problems instead of throwing', () => {
    expect(brief('x /* y')).toContainEqual({
      kind: 'comment',
      start: 2,
      end: 6,
      problem: 'unterminated-comment',
    });
    expect(brief('x "y\\')).toContainEqual({
      kind: 'string',
      start: 2,
      end: 5,
      problem: 'unterminated-string',
    });
    expect(brief('"a\nb";')[0]).toEqual({ kind: 'string', start: 0, end: 5, problem: 'newline-in-string' });
    expect(brief('"a\\\nb"')[0].problem).toBeUndefined();
  });

  it('ends a word where a comment begins, as fastd does', () => {
    expect(scanFastdSyntax('yes//c').map((t) => t.kind)).toEqual(['word', 'comment']);
    expect(maskCommentsAndStrings('a/* peer limit 3; */')).toBe(`a${' '.repeat(19)}`);
    expect(() => validatePeerFile('float yes//c\n;')).toThrow('comment directly after "yes"');
  });
});
