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

describe('scanFastdSyntax, whole token lists', () => {
  const scan = (text: string) =>
    scanFastdSyntax(text).map((t) => {
      expect(t.text).toBe(text.slice(t.start, t.end));
      return [
        t.kind,
        t.start,
        t.end,
        ...(t.value === undefined ? [] : [t.value]),
        ...(t.problem ? [t.problem] : []),
      ];
    });

  it('skips every kind of whitespace and splits words at punctuation, quotes and comments', () => {
    expect(scan(' \t\r\n\fa;b{c}d"e"f#g\nh//i\nj/*k*/l')).toEqual([
      ['word', 5, 6],
      ['punctuation', 6, 7],
      ['word', 7, 8],
      ['punctuation', 8, 9],
      ['word', 9, 10],
      ['punctuation', 10, 11],
      ['word', 11, 12],
      ['string', 12, 15, 'e'],
      ['word', 15, 16],
      ['comment', 16, 18],
      ['word', 19, 20],
      ['comment', 20, 23],
      ['word', 24, 25],
      ['comment', 25, 30],
      ['word', 30, 31],
    ]);
  });

  it('keeps a lone slash inside a word and reads a word up to the end of the text', () => {
    expect(scan('a/b /c d/')).toEqual([
      ['word', 0, 3],
      ['word', 4, 6],
      ['word', 7, 9],
    ]);
    expect(scan('a*b *c')).toEqual([
      ['word', 0, 3],
      ['word', 4, 6],
    ]);
    expect(scan('a\tb')).toEqual([
      ['word', 0, 1],
      ['word', 2, 3],
    ]);
  });

  it('ends line comments before their newline or at the end of the text', () => {
    expect(scan('# a\n// b\n#\n//')).toEqual([
      ['comment', 0, 3],
      ['comment', 4, 8],
      ['comment', 9, 10],
      ['comment', 11, 13],
    ]);
    expect(scan('x # a // b /* c')).toEqual([
      ['word', 0, 1],
      ['comment', 2, 15],
    ]);
  });

  it('closes a block comment only at a later */, across lines', () => {
    expect(scan('/**/ /*/ x */y')).toEqual([
      ['comment', 0, 4],
      ['comment', 5, 13],
      ['word', 13, 14],
    ]);
    expect(scan('/* a\n# b */c')).toEqual([
      ['comment', 0, 11],
      ['word', 11, 12],
    ]);
    expect(scan('/*/')).toEqual([['comment', 0, 3, 'unterminated-comment']]);
    expect(scan('/*')).toEqual([['comment', 0, 2, 'unterminated-comment']]);
  });

  it('reads string values with escapes, and marks each string problem', () => {
    expect(scan('"" "a\\\\" "\\n" "x#y/*z"')).toEqual([
      ['string', 0, 2, ''],
      ['string', 3, 8, 'a\\'],
      ['string', 9, 13, 'n'],
      ['string', 14, 22, 'x#y/*z'],
    ]);
    expect(scan('"a\\\nb" "c\nd"')).toEqual([
      ['string', 0, 6, 'a\nb'],
      ['string', 7, 12, 'c\nd', 'newline-in-string'],
    ]);
    expect(scan('"a\nb')).toEqual([['string', 0, 4, 'a\nb', 'unterminated-string']]);
    expect(scan('"a\\')).toEqual([['string', 0, 3, 'a', 'unterminated-string']]);
    expect(scan('"')).toEqual([['string', 0, 1, '', 'unterminated-string']]);
    expect(scan('x"')).toEqual([
      ['word', 0, 1],
      ['string', 1, 2, '', 'unterminated-string'],
    ]);
  });
});

describe('maskCommentsAndStrings', () => {
  it('blanks comments and string contents, keeping newlines, quotes and every offset', () => {
    const text = 'a "b c" d # e\n/* f\ng */ h "i\n';
    expect(maskCommentsAndStrings(text)).toBe('a "   " d    \n    \n     h " \n');
    expect(maskCommentsAndStrings('x "ab')).toBe('x "  ');
    expect(maskCommentsAndStrings('x "ab"')).toBe('x "  "');
    expect(maskCommentsAndStrings('"" y')).toBe('"" y');
  });
});
