import { gunzipSync } from 'node:zlib';
import { type ByteBudget, formatBytes, gunzipBounded, INPUT_LIMITS, jsonDepth } from '@ffphoton/core';

/** One line of `alfred -r TYPE`: the source MAC and the raw record bytes. */
export interface AlfredRecord {
  mac: string;
  data: Buffer;
  /** Present with `alfred -r -d`. */
  version?: number;
}

export type JsonObject = Record<string, unknown>;

/** A JSON object announced by one source, keyed by its MAC. */
export type NodeRecords = Record<string, JsonObject>;

export interface RecordProblem {
  /** Source MAC, when the line got that far. */
  mac?: string;
  message: string;
}

/** What one node's record, and all records of a run, may inflate to (alfred.limits). */
export interface RecordLimits {
  recordBytes: number;
  /** Shared by every record of the run; absent: only the per-record limit applies. */
  budget?: ByteBudget;
}

export const DEFAULT_RECORD_LIMITS: RecordLimits = { recordBytes: 256 * 1024 };

export interface DecodedRecords {
  nodes: NodeRecords;
  problems: RecordProblem[];
}

// client.c prints `{ "MAC", "ESCAPED" },` (with `-d`: `, VERSION },`).
const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;
const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const SPACE = 0x20;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const PRINTABLE = /^[\x20-\x7e]*$/;

/** Splits `alfred -r` output into records; a line that does not parse is one problem. */
export function parseAlfredOutput(output: string | Buffer): {
  records: AlfredRecord[];
  problems: RecordProblem[];
} {
  // Parsed as bytes: 10,000 records of a few KiB each must decode in milliseconds. alfred's
  // output is ASCII (any other byte makes the line invalid); for text, latin1 is the cheap
  // conversion for ASCII, utf8 keeps a non-ASCII character from turning into a quote or backslash.
  const buf = typeof output === 'string' ? textBytes(output) : output;
  // Records are unescaped into one buffer (unescaping never grows them): no allocation per
  // record, and consecutive gzip records can be inflated in one go (decodeAlfredOutput).
  const out = Buffer.allocUnsafe(buf.length);
  let used = 0;
  const records: AlfredRecord[] = [];
  const problems: RecordProblem[] = [];
  let lineNo = 0;
  for (let start = 0; start < buf.length; ) {
    let end = buf.indexOf(NEWLINE, start);
    if (end < 0) end = buf.length;
    lineNo += 1;
    const record = parseLine(buf, start, end, out, used);
    if (record) {
      records.push(record);
      used += record.data.length;
    } else {
      const line = buf.toString('utf8', start, end);
      if (line.trim() !== '') {
        const mac = /^\{ "([0-9a-f:]{17})"/.exec(line)?.[1];
        problems.push({ mac, message: `line ${lineNo}: not an alfred record: ${preview(line)}` });
      }
    }
    start = end + 1;
  }
  return { records, problems };
}

function textBytes(text: string): Buffer {
  const ascii = Buffer.byteLength(text, 'utf8') === text.length;
  return Buffer.from(text, ascii ? 'latin1' : 'utf8');
}

function parseLine(
  buf: Buffer,
  start: number,
  end: number,
  out: Buffer,
  at: number,
): AlfredRecord | undefined {
  // `{ "` MAC(17) `", "` … `" },`
  if (end - start < 28 || buf[start] !== 0x7b || buf[start + 1] !== SPACE || buf[start + 2] !== QUOTE)
    return undefined;
  if (buf.toString('latin1', start + 20, start + 24) !== '", "') return undefined;
  const mac = buf.toString('latin1', start + 3, start + 20);
  if (!MAC.test(mac)) return undefined;
  if (buf.toString('latin1', end - 3, end) !== ' },') return undefined;
  let close = end - 3;
  let version: number | undefined;
  if (buf[close - 1] !== QUOTE || isEscaped(buf, start + 24, close - 1)) {
    // `-d` form: `", VERSION },`
    let digits = close;
    while (digits > start && buf[digits - 1] >= 0x30 && buf[digits - 1] <= 0x39) digits -= 1;
    if (
      digits === close ||
      buf[digits - 1] !== SPACE ||
      buf[digits - 2] !== COMMA ||
      buf[digits - 3] !== QUOTE
    ) {
      return undefined;
    }
    version = Number(buf.toString('latin1', digits, close));
    close = digits - 2;
  }
  const data = unescapeBytes(buf, start + 24, close - 1, out, at);
  if (!data) return undefined;
  return version === undefined ? { mac, data } : { mac, data, version };
}

/** Whether the quote at `at` is escaped: preceded by an odd number of backslashes. */
function isEscaped(buf: Buffer, from: number, at: number): boolean {
  let n = 0;
  while (at - n - 1 >= from && buf[at - n - 1] === BACKSLASH) n += 1;
  return n % 2 === 1;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** Bytes alfred prints as they are: printable ASCII except `"` and `\`. */
const PLAIN = new Uint8Array(256);
/** Hex digit values; 0x100 (too large for a byte, also after `<< 4`) for anything else. */
const HEX = new Uint16Array(256).fill(0x100);
for (let code = 0; code < 256; code++) {
  if (code >= SPACE && code <= 0x7e && code !== QUOTE && code !== BACKSLASH) PLAIN[code] = 1;
  if (hexValue(code) >= 0) HEX[code] = hexValue(code);
}

/** Reverses alfred's escaping (`\xHH`, `\"`, `\\`); undefined for any other escape, a bare `"` or non-ASCII. */
export function unescapeAlfred(escaped: string): Buffer | undefined {
  if (!PRINTABLE.test(escaped)) return undefined;
  return unescapeBytes(
    Buffer.from(escaped, 'latin1'),
    0,
    escaped.length,
    Buffer.allocUnsafe(escaped.length),
    0,
  );
}

/** Unescapes `buf[from, to)` into `out` at `at`: the written slice, or undefined when invalid. */
function unescapeBytes(buf: Buffer, from: number, to: number, out: Buffer, at: number): Buffer | undefined {
  let n = at;
  for (let i = from; i < to; i++) {
    const code = buf[i];
    if (PLAIN[code] === 1) {
      out[n++] = code;
      continue;
    }
    // alfred runs in the C locale: its output is printable ASCII, quotes always escaped.
    if (code !== BACKSLASH || i + 1 >= to) return undefined;
    const next = buf[i + 1];
    if (next === QUOTE || next === BACKSLASH) {
      out[n++] = next;
      i += 1;
    } else if (next === 0x78 /* x */ && i + 3 < to) {
      const byte = (HEX[buf[i + 2]] << 4) | HEX[buf[i + 3]];
      if (byte > 0xff) return undefined;
      out[n++] = byte;
      i += 3;
    } else {
      return undefined;
    }
  }
  return out.subarray(at, n);
}

const isGzip = (data: Buffer) => data[0] === 0x1f && data[1] === 0x8b;

/** Record bytes → a JSON object: gunzipped when they carry the gzip magic. Throws a readable Error. */
export function decodePayload(data: Buffer, limits: RecordLimits = DEFAULT_RECORD_LIMITS): JsonObject {
  let bytes = data;
  if (isGzip(data)) {
    // Node data inflates to a few KiB: small chunks save 16 KiB of garbage per record (~25% faster).
    bytes = withSetting(() => gunzipBounded(data, limits.recordBytes, { chunkSize: 1024 }), 'recordBytes');
  } else if (data.length > limits.recordBytes) {
    throw new Error(`record is larger than ${formatBytes(limits.recordBytes)} (alfred.limits.recordBytes)`);
  }
  return parseObject(bytes, limits);
}

/** A limit's message, naming the setting that raises it. */
function withSetting<T>(fn: () => T, setting: string): T {
  try {
    return fn();
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(
      /decompresses to more than|over the budget of/.test(message)
        ? `${message} (alfred.limits.${setting})`
        : message,
    );
  }
}

function parseObject(bytes: Buffer, limits: RecordLimits): JsonObject {
  withSetting(() => limits.budget?.take(bytes.length), 'runBytes');
  const text = bytes.toString('utf8');
  // V8's parser, and every recursive walk after it, overflow the stack on deep nesting.
  if (jsonDepth(text, INPUT_LIMITS.maxDepth) > INPUT_LIMITS.maxDepth)
    throw new Error(`JSON nested deeper than ${INPUT_LIMITS.maxDepth} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`not JSON (and not gzip): ${preview(bytes.toString('latin1'))}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`JSON is not an object: ${preview(JSON.stringify(value))}`);
  }
  return value as JsonObject;
}

/** Parses and decodes `alfred -r` output; every bad line or record is one problem, the rest is kept. */
export function decodeAlfredOutput(
  output: string | Buffer,
  limits: RecordLimits = DEFAULT_RECORD_LIMITS,
): DecodedRecords {
  const { records, problems } = parseAlfredOutput(output);
  const nodes: NodeRecords = {};
  const decode = (record: AlfredRecord, payload: () => JsonObject) => {
    try {
      nodes[record.mac] = payload();
    } catch (error) {
      problems.push({ mac: record.mac, message: `${record.mac}: ${(error as Error).message}` });
    }
  };
  for (let i = 0; i < records.length; ) {
    if (!isGzip(records[i].data)) {
      decode(records[i], () => decodePayload(records[i].data, limits));
      i += 1;
      continue;
    }
    // parseAlfredOutput unescapes the records back to back into one buffer: consecutive
    // records are adjacent there, which gunzipBatch's joined view relies on.
    let j = i + 1;
    while (j < records.length && j - i < GZIP_BATCH && isGzip(records[j].data)) j += 1;
    const batch = records.slice(i, j);
    const inflated = gunzipBatch(batch, limits);
    batch.forEach((record, k) => {
      decode(record, () =>
        inflated ? parseObject(inflated[k], limits) : decodePayload(record.data, limits),
      );
    });
    i = j;
  }
  return { nodes, problems };
}

// Inflating one record costs far more in zlib set-up than in inflating; a batch of records
// is one gzip stream of several members. A batch with a bad record is decoded record by record.
const GZIP_BATCH = 256;

/**
 * Inflates consecutive gzip records (adjacent in one buffer) at once and splits the output by
 * each member's ISIZE trailer; undefined when that does not add up (corrupt or odd records).
 */
function gunzipBatch(batch: AlfredRecord[], limits: RecordLimits): Buffer[] | undefined {
  const first = batch[0].data;
  const last = batch[batch.length - 1].data;
  const sizes = batch.map((r) => (r.data.length >= 18 ? r.data.readUInt32LE(r.data.length - 4) : -1));
  const total = sizes.reduce((a, b) => a + b, 0);
  // A member over its limit (or lying about its size) is decoded, and refused, on its own.
  const tooLarge = (size: number) => size < 0 || size > limits.recordBytes;
  if (sizes.some(tooLarge) || total === 0 || total > (limits.budget?.remaining ?? total)) return undefined;
  const joined = Buffer.from(
    first.buffer,
    first.byteOffset,
    last.byteOffset + last.length - first.byteOffset,
  );
  let output: Buffer;
  try {
    output = gunzipSync(joined, { maxOutputLength: total, chunkSize: 64 * 1024 });
  } catch {
    return undefined;
  }
  if (output.length !== total) return undefined;
  let offset = 0;
  return sizes.map((size) => {
    offset += size;
    return output.subarray(offset - size, offset);
  });
}

function preview(text: string): string {
  const flat = JSON.stringify(text);
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
