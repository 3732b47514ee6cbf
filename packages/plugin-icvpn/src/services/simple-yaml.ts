/**
 * Fast path for the layout icvpn-meta files use: block mappings of plain keys, block sequences
 * of plain or simply quoted scalars, `[]`/`{}`, comments and blank lines. It returns the same
 * value as the full parser (`toJS({ mapAsMap: true })`, YAML 1.2 core schema) or `undefined`
 * whenever it is not sure — anything else (flow collections, anchors, tags, multi-line or
 * special scalars, duplicate keys, odd indentation, tabs, non-ASCII) goes to the full parser,
 * which also produces the error messages.
 */
export type SimpleValue = string | number | null | SimpleValue[] | Map<SimpleValue, SimpleValue>;

interface Line {
  indent: number;
  content: string;
}

/** Printable ASCII and line feeds only: no tabs, CR, BOM or other characters the fast path would have to think about. */
const SIMPLE_TEXT = /^[\x20-\x7e\n]*$/;
const KEY_LINE = /^([A-Za-z0-9_][A-Za-z0-9_./+-]*):(?: +(.*))?$/;
/** A plain scalar that cannot be an indicator, a key, a comment or a continuation. */
const PLAIN = /^[A-Za-z0-9_./][A-Za-z0-9_./:@+-]*$/;
const QUOTED = /^(?:"([A-Za-z0-9_./:@+ -]*)"|'([A-Za-z0-9_./:@+ -]*)')$/;
const SMALL_INT = /^(?:0|[1-9][0-9]{0,14})$/;
/** Everything the core schema resolves to something other than a string (bar SMALL_INT): left to the full parser. */
const SPECIAL =
  /^(?:~|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** Thrown inside the parser when the fast path is unsure; never leaves this module. */
const UNSURE = Symbol('unsure');

export function parseSimpleYaml(text: string): Map<SimpleValue, SimpleValue> | undefined {
  if (!SIMPLE_TEXT.test(text)) return undefined;
  try {
    const lines = splitLines(text);
    if (lines.length === 0 || lines[0].indent !== 0 || isSeqItem(lines[0])) return undefined;
    const reader = new BlockReader(lines);
    const map = reader.map(0);
    return reader.done ? map : undefined;
  } catch (error) {
    if (error === UNSURE) return undefined;
    throw error;
  }
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  for (const raw of text.split('\n')) {
    let line = raw;
    const hash = line.indexOf('#');
    if (hash >= 0) {
      // A `#` not preceded by a space would be part of a scalar: not a layout this path reads.
      if (hash > 0 && line[hash - 1] !== ' ') throw UNSURE;
      line = line.slice(0, hash);
    }
    line = line.trimEnd();
    if (line === '') continue;
    const content = line.trimStart();
    lines.push({ indent: line.length - content.length, content });
  }
  return lines;
}

function isSeqItem(line: Line): boolean {
  return line.content === '-' || line.content.startsWith('- ');
}

/** First characters SPECIAL can match; most values (names, addresses with letters) skip that test. */
const MAYBE_SPECIAL = /^[~nNtTfF0-9.+-]/;

function scalar(text: string): SimpleValue {
  if (SMALL_INT.test(text)) return Number(text);
  if (!PLAIN.test(text) || text.endsWith(':') || (MAYBE_SPECIAL.test(text) && SPECIAL.test(text)))
    throw UNSURE;
  return text;
}

function inlineValue(text: string): SimpleValue {
  if (text === '[]') return [];
  if (text === '{}') return new Map();
  const quoted = QUOTED.exec(text);
  if (quoted) return quoted[1] ?? quoted[2];
  return scalar(text);
}

class BlockReader {
  private i = 0;

  constructor(private readonly lines: readonly Line[]) {}

  get done(): boolean {
    return this.i === this.lines.length;
  }

  private get next(): Line | undefined {
    return this.lines[this.i];
  }

  map(indent: number): Map<SimpleValue, SimpleValue> {
    const map = new Map<SimpleValue, SimpleValue>();
    for (let line = this.next; line && line.indent >= indent; line = this.next) {
      if (line.indent > indent || isSeqItem(line)) throw UNSURE;
      const match = KEY_LINE.exec(line.content);
      if (!match) throw UNSURE;
      const key = scalar(match[1]);
      if (map.has(key)) throw UNSURE;
      this.i++;
      map.set(key, match[2] === undefined ? this.nested(indent) : this.inline(match[2], indent));
    }
    return map;
  }

  /** The value of `key:` with nothing after it: a nested block, a sequence at the key's own indentation, or null. */
  private nested(indent: number): SimpleValue {
    const line = this.next;
    if (line && line.indent > indent) return isSeqItem(line) ? this.seq(line.indent) : this.map(line.indent);
    if (line && line.indent === indent && isSeqItem(line)) return this.seq(indent);
    return null;
  }

  private inline(text: string, indent: number): SimpleValue {
    const value = inlineValue(text);
    // A more indented line after a scalar would continue it (a multi-line plain scalar).
    if ((this.next?.indent ?? -1) > indent) throw UNSURE;
    return value;
  }

  private seq(indent: number): SimpleValue[] {
    const items: SimpleValue[] = [];
    for (let line = this.next; line && line.indent === indent && isSeqItem(line); line = this.next) {
      const text = line.content.slice(1).trimStart();
      if (text === '') throw UNSURE;
      this.i++;
      items.push(this.inline(text, indent));
    }
    return items;
  }
}
