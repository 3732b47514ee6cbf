import { isIPv4, isIPv6 } from 'node:net';
import { type FastdToken, scanFastdSyntax } from './fastd-syntax.js';

/** A peer file that passed validation. */
export interface ValidPeerFile {
  key: string;
}

/** Why a peer file was refused (the message names the statement). */
export class PeerFileRefusal extends Error {}

const KEY = /^[0-9a-fA-F]{64}$/;
// fastd's lexer takes no dotted quad inside the brackets; `%` names the interface of a link-local address.
const ADDRESS_PORT = /^(?:([\d.]+)|\[([0-9A-Fa-f:]+)(?:%[\w.-]+)?\]):(\d+)$/;

type Token = { kind: 'word' | 'string' | 'semicolon' | 'brace'; text: string };

/**
 * The peer file's tokens without comments, strings unescaped. What fastd's lexer (or a strict reading
 * of it) rejects is refused before any statement is looked at, the first problem in the text first.
 */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let previous: FastdToken | undefined;
  for (const token of scanFastdSyntax(text)) {
    // fastd ends a word where `//` or `/*` begins; this validator used to read them as part of the word and
    // so refused every such file. Keep refusing it rather than start accepting what was refused.
    if (token.kind === 'comment' && previous?.kind === 'word' && previous.end === token.start)
      throw new PeerFileRefusal(`comment directly after "${previous.text.slice(0, 60)}"`);
    if (token.problem === 'unterminated-comment') throw new PeerFileRefusal('unterminated /* comment');
    if (token.problem) throw new PeerFileRefusal('unterminated string');
    previous = token;
    if (token.kind === 'word') tokens.push({ kind: 'word', text: token.text });
    else if (token.kind === 'string') tokens.push({ kind: 'string', text: token.value ?? '' });
    else if (token.kind === 'punctuation')
      tokens.push({ kind: token.text === ';' ? 'semicolon' : 'brace', text: token.text });
  }
  return tokens;
}

/** fastd refuses port 0 and anything above 65535 ("invalid port"). */
function isPort(text: string): boolean {
  return /^\d{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535;
}

/** `1.2.3.4:N` or `[v6]:N` with an address fastd reads (octets to 255, no leading zeros). */
function isAddressPort(text: string): boolean {
  const match = ADDRESS_PORT.exec(text);
  if (!match) return false;
  const [, v4, v6, port] = match;
  return (v4 === undefined ? isIPv6(v6) : isIPv4(v4)) && isPort(port);
}

function isRemote(args: Token[]): boolean {
  const rest =
    args[0]?.kind === 'word' && (args[0].text === 'ipv4' || args[0].text === 'ipv6') ? args.slice(1) : args;
  if (rest.length === 1) return rest[0].kind === 'word' && isAddressPort(rest[0].text);
  return (
    rest.length === 3 &&
    rest[0].kind === 'string' &&
    /^[A-Za-z0-9.:-]+$/.test(rest[0].text) &&
    rest[1].kind === 'word' &&
    rest[1].text === 'port' &&
    rest[2].kind === 'word' &&
    isPort(rest[2].text)
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
