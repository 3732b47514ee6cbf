import jsYaml from 'js-yaml';
import { type TagContext, tagJoiners } from './photon-tags.js';

/**
 * The quick read of a settings file. Every run parses its settings files, and the `yaml`
 * package (which keeps the node positions that error messages name) takes ~30 ms for the example's
 * 14 kB on cold code; js-yaml takes ~6 ms. The result must equal what the `yaml` path yields, so
 * the scalar types below copy the `yaml` package's YAML 1.2 core schema expressions (js-yaml's own
 * differ: `0b1`, `1_000`, `.5e3`…), and anything unusual — a syntax error, an unknown tag, many
 * aliases — returns undefined, and the caller takes the `yaml` path with its exact messages.
 */
export function loadSettingsYamlFast(text: string, ctx: TagContext): unknown {
  // `yaml` caps alias expansion (billion laughs); js-yaml shares objects, but walking the shared
  // tree (merging, validation) would still explode. Few aliases: fast path; many: `yaml`'s cap.
  if (countAliasMarks(text) > MAX_FAST_ALIASES || hasMultiLineQuote(text)) return undefined;
  try {
    return jsYaml.load(text, { schema: schemaFor(ctx) });
  } catch {
    return undefined;
  }
}

const MAX_FAST_ALIASES = 100;

function countAliasMarks(text: string): number {
  let count = 0;
  for (let at = text.indexOf('*'); at >= 0; at = text.indexOf('*', at + 1)) count += 1;
  return count;
}

/**
 * Whether a quoted scalar may span lines. js-yaml accepts continuation lines that `yaml` rejects
 * for their indentation — a forgotten closing quote could swallow the following keys — so such
 * files take the strict path. Conservative: a quote this scan cannot rule out also counts.
 */
export function hasMultiLineQuote(text: string): boolean {
  let quote = '';
  let blockIndent = -1; // inside a block scalar (| or >): lines indented deeper are its text
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      if (quote !== '') return true;
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart) {
      if (c === ' ') {
        indent += 1;
        continue;
      }
      lineStart = false;
      if (blockIndent >= 0) {
        if (indent > blockIndent) {
          i = skipLine(text, i);
          continue;
        }
        blockIndent = -1;
      }
    }
    if (quote !== '') {
      if (quote === '"' && c === '\\') i += 1;
      else if (c === quote) quote = '';
      continue;
    }
    const before = text[i - 1];
    const atTokenStart = i === 0 || before === ' ' || before === '\t' || '[{,\n'.includes(before);
    if (c === '#' && (i === 0 || before === ' ' || before === '\t' || before === '\n')) {
      i = skipLine(text, i);
    } else if ((c === '"' || c === "'") && atTokenStart) {
      quote = c;
    } else if ((c === '|' || c === '>') && atTokenStart && BLOCK_HEADER.test(restOfLine(text, i))) {
      blockIndent = indent;
      i = skipLine(text, i);
    }
  }
  return quote !== '';
}

const BLOCK_HEADER = /^[|>][-+0-9]*[ \t]*(?:#.*)?$/;

function restOfLine(text: string, from: number): string {
  const end = text.indexOf('\n', from);
  return text.slice(from, end < 0 ? text.length : end);
}

/** The index of the newline ending this line (or the text's end), so the loop sees that newline. */
function skipLine(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return (end < 0 ? text.length : end) - 1;
}

const { Type } = jsYaml;
const nullType = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (data: string | null) => data === null || /^(?:~|[Nn]ull|NULL)?$/.test(data),
  construct: () => null,
});
const boolType = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(data),
  construct: (data: string) => data[0] === 't' || data[0] === 'T',
});
const intType = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) =>
    data !== null && (/^[-+]?[0-9]+$/.test(data) || /^0o[0-7]+$/.test(data) || /^0x[0-9a-fA-F]+$/.test(data)),
  construct: (data: string) =>
    data.startsWith('0o')
      ? Number.parseInt(data.slice(2), 8)
      : data.startsWith('0x')
        ? Number.parseInt(data.slice(2), 16)
        : Number.parseInt(data, 10),
});
const floatType = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string | null) =>
    data !== null &&
    (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(data) ||
      /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(data) ||
      /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(data)),
  construct: (data: string) => {
    if (data.slice(-3).toLowerCase() === 'nan') return Number.NaN;
    if (data.slice(-3).toLowerCase() === 'inf') return data[0] === '-' ? -Infinity : Infinity;
    return Number.parseFloat(data);
  },
});
const mergeType = new Type('tag:yaml.org,2002:merge', {
  kind: 'scalar',
  resolve: (data: string | null) => data === '<<',
});

function schemaFor(ctx: TagContext): jsYaml.Schema {
  const join = tagJoiners(ctx);
  return jsYaml.FAILSAFE_SCHEMA.extend({
    implicit: [nullType, boolType, intType, floatType, mergeType],
    explicit: [
      new Type('!str_join', { kind: 'sequence', construct: (items: unknown[]) => join.str(items) }),
      new Type('!loc_join', { kind: 'sequence', construct: (items: unknown[]) => join.loc(items) }),
    ],
  });
}
