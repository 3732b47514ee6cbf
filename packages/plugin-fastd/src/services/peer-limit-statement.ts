/** Where the active `peer limit N;` statement of a fastd config is. */
export interface PeerLimitStatement {
  value: number;
  start: number;
  end: number;
}

/**
 * Blanks out comments (`#`, `//`, `/* … *\/`) and string contents, keeping every offset,
 * so statements can be searched without matching commented-out text.
 */
export function maskCommentsAndStrings(text: string): string {
  const out = text.split('');
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let j = from; j < to; j++) if (out[j] !== '\n') out[j] = ' ';
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      blank(i + 1, Math.min(j, text.length));
      i = j + 1;
    } else {
      i += 1;
    }
  }
  return out.join('');
}

/** Every active (not commented-out) `peer limit N;` statement. */
export function findPeerLimitStatements(text: string): PeerLimitStatement[] {
  const masked = maskCommentsAndStrings(text);
  return [...masked.matchAll(/\bpeer\s+limit\s+(\d+)\s*;/g)].map((match) => ({
    value: Number(match[1]),
    start: match.index,
    end: match.index + match[0].length,
  }));
}

/** The text with one statement's value replaced; everything else byte for byte unchanged. */
export function replacePeerLimit(text: string, statement: PeerLimitStatement, limit: number): string {
  return `${text.slice(0, statement.start)}peer limit ${limit};${text.slice(statement.end)}`;
}
