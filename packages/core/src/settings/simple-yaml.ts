/**
 * `readYaml`'s fast path, for the layout most data files use (icvpn-meta: 10,000 files a run):
 * block mappings of plain keys, block sequences of plain or simply quoted scalars, `[]`/`{}`,
 * comments and blank lines. It returns the same value as the full parser (`toJS`, with
 * `mapAsMap` for `maps`; YAML 1.2 core schema) or `undefined` whenever it is not sure — anything
 * else (flow collections, anchors, tags, multi-line or special scalars, duplicate keys, odd
 * indentation, tabs, non-ASCII) goes to the full parser, which also produces the error messages.
 */
import { INPUT_LIMITS } from '../input/limits.js';

export type SimpleValue =
  | string
  | number
  | null
  | SimpleValue[]
  | Map<SimpleValue, SimpleValue>
  | { [key: string]: SimpleValue };

/** How mappings come back: Maps keeping each key's type (`65001:` is a number), or plain objects. */
export type YamlMappings = 'maps' | 'objects';

/** The non-blank lines without comments: indentation and content, in two arrays (fewer objects). */
interface Lines {
  indents: number[];
  contents: string[];
}

/** Printable ASCII and line feeds only: no tabs, CR, BOM or other characters the fast path would have to think about. */
const SIMPLE_TEXT = /^[\x20-\x7e\n]*$/;
/** YAML limits implicit keys to 1024 characters; longer ones are the full parser's to reject. */
const KEY = /^[A-Za-z0-9_][A-Za-z0-9_./+-]{0,1000}$/;
/** A plain scalar that cannot be an indicator, a key, a comment or a continuation. */
const PLAIN = /^[A-Za-z0-9_./][A-Za-z0-9_./:@+-]*$/;
const QUOTED = /^(?:"([A-Za-z0-9_./:@+ -]*)"|'([A-Za-z0-9_./:@+ -]*)')$/;
const SMALL_INT = /^(?:0|[1-9][0-9]{0,14})$/;
/** Everything the core schema resolves to something other than a string (bar SMALL_INT): left to the full parser. */
const SPECIAL =
  /^(?:~|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/**
 * The deepest mapping taken (the top one is 0): with a sequence or `{}` inside, still within the
 * depth limit (docs/input-limits.md). Deeper documents go to the full parser and its tree check.
 */
const MAX_MAP_DEPTH = INPUT_LIMITS.maxDepth - 2;

/** Thrown inside the parser when the fast path is unsure; never leaves this module. */
const UNSURE = Symbol('unsure');

/** The document (a mapping at the top) when the text has the simple layout; undefined otherwise. */
export function parseSimpleYaml(text: string, mappings: YamlMappings): SimpleValue | undefined {
  if (!SIMPLE_TEXT.test(text)) return undefined;
  try {
    const lines = splitLines(text);
    if (lines.contents.length === 0 || lines.indents[0] !== 0 || isSeqItem(lines.contents[0]))
      return undefined;
    const reader = new BlockReader(lines, mappings);
    const map = reader.map(0, 0);
    return reader.done ? map : undefined;
  } catch (error) {
    if (error === UNSURE) return undefined;
    throw error;
  }
}

const SPACE = 32;

function splitLines(text: string): Lines {
  const lines: Lines = { indents: [], contents: [] };
  let hash = -1;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let first = start;
    while (first < end && text.charCodeAt(first) === SPACE) first++;
    if (hash < first) hash = text.indexOf('#', first) >>> 0; // none: 2^32 - 1, beyond any line
    let last = end;
    if (hash < end) {
      // A `#` not preceded by a space would be part of a scalar: not a layout this path reads.
      if (hash > first && text.charCodeAt(hash - 1) !== SPACE) throw UNSURE;
      last = hash;
    }
    while (last > first && text.charCodeAt(last - 1) === SPACE) last--;
    if (last > first) {
      lines.indents.push(first - start);
      lines.contents.push(text.slice(first, last));
    }
    start = end + 1;
  }
  return lines;
}

function isSeqItem(content: string): boolean {
  return content === '-' || content.startsWith('- ');
}

/** First characters SPECIAL can match; most values (names, addresses with letters) skip that test. */
const MAYBE_SPECIAL = /^[~nNtTfF0-9.+-]/;

function scalar(text: string): SimpleValue {
  if (SMALL_INT.test(text)) return Number(text);
  if (!PLAIN.test(text) || text.endsWith(':') || (MAYBE_SPECIAL.test(text) && SPECIAL.test(text)))
    throw UNSURE;
  return text;
}

function inlineValue(text: string, mappings: YamlMappings): SimpleValue {
  if (text === '[]') return [];
  if (text === '{}') return mappings === 'maps' ? new Map() : {};
  const quoted = QUOTED.exec(text);
  if (quoted) return quoted[1] ?? quoted[2];
  return scalar(text);
}

class BlockReader {
  private i = 0;

  constructor(
    private readonly lines: Lines,
    private readonly mappings: YamlMappings,
  ) {}

  get done(): boolean {
    return this.i === this.lines.contents.length;
  }

  /** Indentation of the next line; -1 at the end. */
  private get indent(): number {
    return this.lines.indents[this.i] ?? -1;
  }

  private get content(): string {
    return this.lines.contents[this.i];
  }

  map(indent: number, depth: number): SimpleValue {
    if (depth > MAX_MAP_DEPTH) throw UNSURE;
    const map = new Map<SimpleValue, SimpleValue>();
    while (this.indent >= indent) {
      const content = this.content;
      if (this.indent > indent || isSeqItem(content)) throw UNSURE;
      const colon = content.indexOf(':');
      const keyText = colon < 0 ? '' : content.slice(0, colon);
      if (!KEY.test(keyText)) throw UNSURE;
      const key = scalar(keyText);
      if (map.has(key)) throw UNSURE;
      const rest = content.slice(colon + 1);
      // `key:value` without a space is a plain scalar, not a mapping.
      if (rest !== '' && rest.charCodeAt(0) !== SPACE) throw UNSURE;
      this.i++;
      map.set(key, rest === '' ? this.nested(indent, depth) : this.inline(rest.trimStart(), indent));
    }
    return this.mappings === 'maps' ? map : toObject(map);
  }

  /** The value of `key:` with nothing after it: a nested block, a sequence at the key's own indentation, or null. */
  private nested(indent: number, depth: number): SimpleValue {
    const next = this.indent;
    if (next > indent) return isSeqItem(this.content) ? this.seq(next) : this.map(next, depth + 1);
    if (next === indent && isSeqItem(this.content)) return this.seq(indent);
    return null;
  }

  private inline(text: string, indent: number): SimpleValue {
    const value = inlineValue(text, this.mappings);
    // A more indented line after a scalar would continue it (a multi-line plain scalar).
    if (this.indent > indent) throw UNSURE;
    return value;
  }

  private seq(indent: number): SimpleValue[] {
    const items: SimpleValue[] = [];
    while (this.indent === indent && isSeqItem(this.content)) {
      const text = this.content.slice(1).trimStart();
      if (text === '') throw UNSURE;
      this.i++;
      items.push(this.inline(text, indent));
    }
    return items;
  }
}

/**
 * The mapping as the full parser's plain object: keys as strings. Unsure when two keys would
 * become one (`1` and `'1'`) or a key is `__proto__` (an own property there, not the prototype).
 */
function toObject(map: Map<SimpleValue, SimpleValue>): { [key: string]: SimpleValue } {
  const object: { [key: string]: SimpleValue } = {};
  for (const [key, value] of map) {
    const name = String(key);
    if (name === '__proto__' || Object.hasOwn(object, name)) throw UNSURE;
    object[name] = value;
  }
  return object;
}
