/** A peer file that passed validation. */
export interface ValidPeerFile {
  key: string;
}

/** Why a peer file was refused (the message names the statement). */
export class PeerFileRefusal extends Error {}

const KEY = /^[0-9a-fA-F]{64}$/;
const ADDRESS_PORT = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9A-Za-z:.%]+\]):\d{1,5}$/;
const PORT = /^\d{1,5}$/;

type Token = { kind: 'word' | 'string' | 'semicolon' | 'brace'; text: string };

/** fastd's lexer in brief: `#` and `//` line comments, `/* *\/` block comments, "strings". */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) throw new PeerFileRefusal('unterminated /* comment');
      i = end + 2;
    } else if (c === '"') {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== '"' && text[j] !== '\n') {
        if (text[j] === '\\') j += 1;
        value += text[j] ?? '';
        j += 1;
      }
      if (text[j] !== '"') throw new PeerFileRefusal('unterminated string');
      tokens.push({ kind: 'string', text: value });
      i = j + 1;
    } else if (c === ';') {
      tokens.push({ kind: 'semicolon', text: c });
      i += 1;
    } else if (c === '{' || c === '}') {
      tokens.push({ kind: 'brace', text: c });
      i += 1;
    } else {
      const match = /^[^\s;"#{}]+/.exec(text.slice(i))!;
      tokens.push({ kind: 'word', text: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

function isRemote(args: Token[]): boolean {
  const rest =
    args[0]?.kind === 'word' && (args[0].text === 'ipv4' || args[0].text === 'ipv6') ? args.slice(1) : args;
  if (rest.length === 1) return rest[0].kind === 'word' && ADDRESS_PORT.test(rest[0].text);
  return (
    rest.length === 3 &&
    rest[0].kind === 'string' &&
    /^[A-Za-z0-9.:-]+$/.test(rest[0].text) &&
    rest[1].text === 'port' &&
    PORT.test(rest[2].text)
  );
}

/**
 * A peer file is fastd configuration: anything beyond one `key`, `remote` and `float`
 * (e.g. `on up`, `include`) could run code on the gateway, so everything else is refused.
 */
export function validatePeerFile(text: string): ValidPeerFile {
  const tokens = tokenize(text);
  let key: string | undefined;
  let statement: Token[] = [];
  for (const token of tokens) {
    if (token.kind !== 'semicolon') {
      statement.push(token);
      continue;
    }
    const [head, ...args] = statement;
    statement = [];
    if (!head) continue;
    if (head.kind !== 'word')
      throw new PeerFileRefusal(`unexpected ${head.kind} ${JSON.stringify(head.text)}`);
    if (head.text === 'key') {
      if (key !== undefined) throw new PeerFileRefusal('a second "key" statement');
      if (args.length !== 1 || args[0].kind !== 'string' || !KEY.test(args[0].text)) {
        throw new PeerFileRefusal('"key" must be one quoted string of 64 hex digits');
      }
      key = args[0].text.toLowerCase();
    } else if (head.text === 'remote') {
      if (!isRemote(args)) throw new PeerFileRefusal('malformed "remote" statement');
    } else if (head.text === 'float') {
      if (args.length !== 1 || !['yes', 'no'].includes(args[0].text))
        throw new PeerFileRefusal('"float" takes yes or no');
    } else {
      throw new PeerFileRefusal(
        `forbidden statement "${[head, ...args]
          .map((t) => t.text)
          .join(' ')
          .slice(0, 60)}"`,
      );
    }
  }
  if (statement.length > 0)
    throw new PeerFileRefusal(`statement "${statement[0].text}" is not terminated by ";"`);
  if (key === undefined) throw new PeerFileRefusal('no "key" statement');
  return { key };
}

/** Files fastd itself skips in a peer dir (dot files, `~` backups) plus repository docs. */
export function isIgnoredPeerName(name: string): boolean {
  return (
    name.startsWith('.') ||
    name.endsWith('~') ||
    /\.md$/i.test(name) ||
    /^(README|LICENSE|COPYING)/i.test(name)
  );
}

/** Peer names become file names in the peers directory: keep them boring. */
export function isSafePeerName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._@+-]*$/.test(name) && name.length <= 128;
}
