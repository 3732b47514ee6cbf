import { scanFastdSyntax } from './fastd-syntax.js';

/** fastd keeps the peer limit in a C int: larger values are a syntax error to it. */
export const FASTD_MAX_PEER_LIMIT = 2_147_483_647;

/** Where the active `peer limit N;` statement of a fastd config is. */
export interface PeerLimitStatement {
  /** Undefined when fastd would refuse the value (`7.5e+299`, `-1`, beyond its range): it is to be repaired. */
  value: number | undefined;
  start: number;
  end: number;
}

/**
 * Blanks out comments (`#`, `//`, `/* … *\/`) and string contents, keeping every offset,
 * so statements can be searched without matching commented-out text.
 */
export function maskCommentsAndStrings(text: string): string {
  const out = text.split('');
  const blank = (from: number, to: number) => {
    for (let j = from; j < to; j++) if (out[j] !== '\n') out[j] = ' ';
  };
  for (const token of scanFastdSyntax(text)) {
    if (token.kind === 'comment') blank(token.start, token.end);
    // The quotes stay, so a masked string still separates what is around it.
    else if (token.kind === 'string')
      blank(token.start + 1, token.problem === 'unterminated-string' ? token.end : token.end - 1);
  }
  return out.join('');
}

/** Every active (not commented-out) `peer limit …;` statement, also one whose value fastd refuses. */
export function findPeerLimitStatements(text: string): PeerLimitStatement[] {
  const masked = maskCommentsAndStrings(text);
  return [...masked.matchAll(/\bpeer\s+limit\s+([^\s;"]*)\s*;/g)].map((match) => ({
    value: parsePeerLimit(match[1]),
    start: match.index,
    end: match.index + match[0].length,
  }));
}

function parsePeerLimit(word: string): number | undefined {
  if (!/^\d{1,10}$/.test(word)) return undefined;
  const value = Number(word);
  return value <= FASTD_MAX_PEER_LIMIT ? value : undefined;
}

/** The text with one statement's value replaced; everything else byte for byte unchanged. */
export function replacePeerLimit(text: string, statement: PeerLimitStatement, limit: number): string {
  return `${text.slice(0, statement.start)}peer limit ${limit};${text.slice(statement.end)}`;
}
