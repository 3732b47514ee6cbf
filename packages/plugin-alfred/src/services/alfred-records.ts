import { gunzipSync } from 'node:zlib';

/** One line of `alfred -r TYPE`: the source MAC and the raw record bytes. */
export interface AlfredRecord {
  mac: string;
  data: Buffer;
  /** Present with `alfred -r -d`. */
  version?: number;
}

/** A JSON object announced by one source, keyed by its MAC. */
export type NodeRecords = Record<string, Record<string, unknown>>;

export interface RecordProblem {
  /** Source MAC, when the line got that far. */
  mac?: string;
  message: string;
}

export interface DecodedRecords {
  nodes: NodeRecords;
  problems: RecordProblem[];
}

// client.c prints `{ "MAC", "ESCAPED" },` (with `-d`: `, VERSION },`).
const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;
const VERSION_TAIL = /", (\d+) \},$/;
const BACKSLASH = 0x5c;
const QUOTE = 0x22;

/** Splits `alfred -r` output into records; a line that does not parse is one problem. */
export function parseAlfredOutput(text: string): { records: AlfredRecord[]; problems: RecordProblem[] } {
  const records: AlfredRecord[] = [];
  const problems: RecordProblem[] = [];
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo += 1;
    if (line.trim() === '') continue;
    const record = parseLine(line);
    if (record) records.push(record);
    else {
      const mac = /^\{ "([0-9a-f:]{17})"/.exec(line)?.[1];
      problems.push({ mac, message: `line ${lineNo}: not an alfred record: ${preview(line)}` });
    }
  }
  return { records, problems };
}

// Hand-written rather than one regex: 10,000 records of a few KiB each must decode in milliseconds.
function parseLine(line: string): AlfredRecord | undefined {
  if (!line.startsWith('{ "') || line.slice(20, 24) !== '", "') return undefined;
  const mac = line.slice(3, 20);
  if (!MAC.test(mac)) return undefined;
  let end: number;
  let version: number | undefined;
  if (line.endsWith('" },')) end = line.length - 4;
  else {
    const tail = VERSION_TAIL.exec(line);
    if (!tail) return undefined;
    end = tail.index;
    version = Number(tail[1]);
  }
  if (end < 24) return undefined;
  const data = unescapeAlfred(line.slice(24, end));
  if (!data) return undefined;
  return version === undefined ? { mac, data } : { mac, data, version };
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** Reverses alfred's escaping (`\xHH`, `\"`, `\\`); undefined for any other escape or a bare `"`. */
export function unescapeAlfred(escaped: string): Buffer | undefined {
  const out = Buffer.allocUnsafe(escaped.length);
  let n = 0;
  const length = escaped.length;
  for (let i = 0; i < length; i++) {
    const code = escaped.charCodeAt(i);
    // alfred runs in the C locale: its output is pure printable ASCII, quotes always escaped.
    if (code > 0x7e || code === QUOTE) return undefined;
    if (code !== BACKSLASH) {
      out[n++] = code;
      continue;
    }
    const next = escaped.charCodeAt(i + 1);
    if (next === QUOTE || next === BACKSLASH) {
      out[n++] = next;
      i += 1;
    } else if (next === 0x78 /* x */) {
      const hi = hexValue(escaped.charCodeAt(i + 2));
      const lo = hexValue(escaped.charCodeAt(i + 3));
      if (hi < 0 || lo < 0) return undefined;
      out[n++] = (hi << 4) | lo;
      i += 3;
    } else {
      return undefined;
    }
  }
  return out.subarray(0, n);
}

/** Record bytes → a JSON object: gunzipped when they carry the gzip magic. Throws a readable Error. */
export function decodePayload(data: Buffer): Record<string, unknown> {
  let bytes = data;
  if (data[0] === 0x1f && data[1] === 0x8b) {
    try {
      // A record is at most 64 KiB; a larger expansion is a gzip bomb, not node data.
      bytes = gunzipSync(data, { maxOutputLength: 16 * 1024 * 1024 });
    } catch (error) {
      throw new Error(`gzip data is corrupt or too large (${(error as Error).message})`);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Error(`not JSON (and not gzip): ${preview(bytes.toString('latin1'))}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`JSON is not an object: ${preview(JSON.stringify(value))}`);
  }
  return value as Record<string, unknown>;
}

/** Parses and decodes `alfred -r` output; every bad line or record is one problem, the rest is kept. */
export function decodeAlfredOutput(text: string): DecodedRecords {
  const { records, problems } = parseAlfredOutput(text);
  const nodes: NodeRecords = {};
  for (const record of records) {
    try {
      nodes[record.mac] = decodePayload(record.data);
    } catch (error) {
      problems.push({ mac: record.mac, message: `${record.mac}: ${(error as Error).message}` });
    }
  }
  return { nodes, problems };
}

function preview(text: string): string {
  const flat = JSON.stringify(text);
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
