import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { JsonObject } from './alfred-records.js';

/** The data providers a respondd request may name. */
export const RESPONDD_PROVIDERS = ['nodeinfo', 'statistics', 'neighbours'] as const;
export type ResponddProvider = (typeof RESPONDD_PROVIDERS)[number];

/**
 * A parsed request: `GET nodeinfo statistics …` wants one raw-deflate JSON object keyed by
 * provider (yanic, Gluon's respondd); a single word (`nodeinfo`) wants that provider's plain
 * JSON (gluon-neighbour-info's default).
 */
export type ResponddRequest =
  | { kind: 'multi'; providers: ResponddProvider[] }
  | { kind: 'single'; provider: ResponddProvider };

const isProvider = (word: string): word is ResponddProvider =>
  (RESPONDD_PROVIDERS as readonly string[]).includes(word);

/**
 * The request in one datagram, or undefined for anything else — too long, not printable
 * ASCII, no known provider — which gets no answer (as mesh-announce, unknown names of a
 * `GET` are skipped).
 */
export function parseResponddRequest(datagram: Buffer, maxBytes: number): ResponddRequest | undefined {
  if (datagram.length > maxBytes) return undefined;
  for (const byte of datagram)
    if ((byte < 0x20 || byte > 0x7e) && byte !== 0x0a && byte !== 0x0d) return undefined;
  const text = datagram.toString('ascii').trim();
  if (text.startsWith('GET ')) {
    const providers = [...new Set(text.slice(4).split(/ +/).filter(isProvider))];
    return providers.length > 0 ? { kind: 'multi', providers } : undefined;
  }
  return isProvider(text) ? { kind: 'single', provider: text } : undefined;
}

/** The request line for `providers` as yanic sends it. */
export function responddRequestLine(providers: readonly string[]): string {
  return `GET ${providers.join(' ')}`;
}

/**
 * JSON for node data read by browsers (meshviewer, status pages): as Go's encoder — yanic's
 * — writes it, with `<`, `>`, `&`, U+2028 and U+2029 escaped, so a hostile host name or
 * contact cannot close a script element or break a JavaScript string.
 */
export function safeJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(/[<>&\u2028\u2029]/g, escapeChar);
}

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** The answer datagram: raw deflate (no zlib header) of the JSON for `GET`, plain JSON for a single word. */
export function encodeResponddAnswer(
  request: ResponddRequest,
  data: Record<ResponddProvider, JsonObject>,
): Buffer {
  if (request.kind === 'single') return Buffer.from(safeJson(data[request.provider]));
  const answer: JsonObject = {};
  for (const provider of request.providers) answer[provider] = data[provider];
  return deflateRawSync(safeJson(answer));
}

/**
 * An answer datagram as a JSON object: raw deflate first, plain JSON (the single-word form)
 * else; undefined when it is neither (a bounded inflate: a datagram never holds more than
 * `maxInflatedBytes` of JSON from an honest responder).
 */
export function decodeResponddAnswer(datagram: Buffer, maxInflatedBytes = 1 << 20): JsonObject | undefined {
  let text: string;
  try {
    text = inflateRawSync(datagram, { maxOutputLength: maxInflatedBytes }).toString('utf8');
  } catch {
    text = datagram.toString('utf8');
  }
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as JsonObject)
      : undefined;
  } catch {
    return undefined;
  }
}
