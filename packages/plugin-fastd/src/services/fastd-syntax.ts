/** What a stretch of fastd configuration is; whitespace between tokens is not a token. */
export type FastdTokenKind = 'comment' | 'string' | 'word' | 'punctuation';

/**
 * What a strict reader refuses. The scanner only marks it and carries on, so lenient callers
 * (masking) still get every offset; an unterminated comment or string runs to the end of the text.
 * A string that lacks its closing quote is marked unterminated even if it also holds a newline.
 */
export type FastdSyntaxProblem = 'unterminated-comment' | 'unterminated-string' | 'newline-in-string';

/** One token of fastd configuration, with its place in the text. */
export interface FastdToken {
  kind: FastdTokenKind;
  /** Offset of the first character (`#`, `//`, `/*` or the opening quote included). */
  start: number;
  /** Offset after the last character (closing `*\/` or quote included; a line comment stops before its newline). */
  end: number;
  /** The source text from start to end. */
  text: string;
  /** Strings only: the contents with each backslash escape replaced by the character it escapes. */
  value?: string;
  problem?: FastdSyntaxProblem;
}

// Characters that end a word; like fastd, a word also ends where `//` or `/*` begins.
const WORD_END = /[\s;"#{}]/;

const startsSlashComment = (text: string, i: number) =>
  text[i] === '/' && (text[i + 1] === '/' || text[i + 1] === '*');

/**
 * Splits fastd configuration into tokens: `#` and `//` line comments, `/* … *\/` block comments,
 * "strings" with backslash escapes, the punctuation `;` `{` `}` and words (everything else up to
 * whitespace, punctuation, a quote or a comment). Never throws: problems are marked on the token.
 */
export function scanFastdSyntax(text: string): FastdToken[] {
  const tokens: FastdToken[] = [];
  const push = (kind: FastdTokenKind, start: number, end: number, extra?: Partial<FastdToken>) => {
    tokens.push({ kind, start, end, text: text.slice(start, end), ...extra });
    return end;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      const end = text.indexOf('\n', i);
      i = push('comment', i, end === -1 ? text.length : end);
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i =
        end === -1
          ? push('comment', i, text.length, { problem: 'unterminated-comment' })
          : push('comment', i, end + 2);
    } else if (c === '"') {
      let j = i + 1;
      let value = '';
      let newline = false;
      while (j < text.length && text[j] !== '"') {
        // An escaped character (a quote or a newline too) is taken as it is.
        if (text[j] === '\\') j += 1;
        else if (text[j] === '\n') newline = true;
        value += text[j] ?? '';
        j += 1;
      }
      // Without a closing quote the string runs to the end of the text (a final backslash may overshoot it).
      i =
        j >= text.length
          ? push('string', i, text.length, { value, problem: 'unterminated-string' })
          : push('string', i, j + 1, newline ? { value, problem: 'newline-in-string' } : { value });
    } else if (c === ';' || c === '{' || c === '}') {
      i = push('punctuation', i, i + 1);
    } else {
      let j = i + 1;
      while (j < text.length && !WORD_END.test(text[j]) && !startsSlashComment(text, j)) j += 1;
      i = push('word', i, j);
    }
  }
  return tokens;
}
