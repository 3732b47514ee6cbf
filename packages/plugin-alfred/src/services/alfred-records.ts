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
const LINE = /^\{ "([0-9a-f]{2}(?::[0-9a-f]{2}){5})", "((?:[^"\\]|\\.)*)"(?:, (\d+))? \},$/;
const BACKSLASH = 0x5c;

/** Splits `alfred -r` output into records; a line that does not parse is one problem. */
export function parseAlfredOutput(text: string): { records: AlfredRecord[]; problems: RecordProblem[] } {
  const records: AlfredRecord[] = [];
  const problems: RecordProblem[] = [];
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo += 1;
    if (line.trim() === '') continue;
    const match = LINE.exec(line);
    const data = match ? unescapeAlfred(match[2]) : undefined;
    if (!match || !data) {
      const mac = /^\{ "([0-9a-f:]{17})"/.exec(line)?.[1];
      problems.push({ mac, message: `line ${lineNo}: not an alfred record: ${preview(line)}` });
      continue;
    }
    records.push({ mac: match[1], data, ...(match[3] ? { version: Number(match[3]) } : {}) });
  }
  return { records, problems };
}

/** Reverses alfred's escaping (`\xHH`, `\"`, `\\`); undefined for any other escape. */
export function unescapeAlfred(escaped: string): Buffer | undefined {
  const out = Buffer.allocUnsafe(escaped.length);
  let n = 0;
  for (let i = 0; i < escaped.length; i++) {
    const code = escaped.charCodeAt(i);
    if (code > 0x7e) return undefined; // alfred runs in the C locale: its output is pure ASCII
    if (code !== BACKSLASH) {
      out[n++] = code;
      continue;
    }
    const next = escaped[i + 1];
    if (next === '"' || next === '\\') {
      out[n++] = next.charCodeAt(0);
      i += 1;
    } else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(escaped.slice(i + 2, i + 4))) {
      out[n++] = Number.parseInt(escaped.slice(i + 2, i + 4), 16);
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
      bytes = gunzipSync(data);
    } catch (error) {
      throw new Error(`gzip data is corrupt (${(error as Error).message})`);
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
