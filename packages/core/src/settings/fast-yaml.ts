import jsYaml from 'js-yaml';
import { type TagContext, tagJoiners } from './photon-tags.js';
import { CORE_SCALARS } from './yaml-core-schema.js';

/**
 * The quick read of a settings file. Every run parses its settings files, and the `yaml`
 * package (which keeps the node positions that error messages name) takes ~30 ms for the example's
 * 14 kB on cold code; js-yaml takes ~6 ms. The result must equal what the `yaml` path yields, so
 * the scalar types below use the `yaml` package's YAML 1.2 core schema expressions (js-yaml's own
 * differ: `0b1`, `1_000`, `.5e3`…), and anything unusual — a syntax error, an unknown tag, many
 * aliases, a continuation line the two readers judge differently (`spansLines`) — returns
 * undefined, and the caller takes the `yaml` path with its exact messages.
 */
export function loadSettingsYamlFast(text: string, ctx: TagContext): unknown {
  // `yaml` caps alias expansion (billion laughs); js-yaml shares objects, but walking the shared
  // tree (merging, validation) would still explode. Few aliases: fast path; many: `yaml`'s cap.
  if (countAliasMarks(text) > MAX_FAST_ALIASES || spansLines(text)) return undefined;
  try {
    return jsYaml.load(text, { schema: schemaFor(ctx) });
  } catch {
    return undefined;
  }
}

const MAX_FAST_ALIASES = 100;

// `*name` where a node may start; cron's stars (`* * *`, or a star-slash step mid-scalar) are
// not aliases. May over-count, which only costs the quick path.
const ALIAS = /(?:^|[\s[{,])\*[^\s,\]}]/g;

function countAliasMarks(text: string): number {
  return text.match(ALIAS)?.length ?? 0;
}

/**
 * Whether the text has a quoted scalar that spans lines, or a flow collection (`[…]`, `{…}`)
 * continued on a line not indented deeper than the block line that owns it. js-yaml accepts such
 * continuation lines where `yaml` rejects them — a forgotten closing quote could swallow the
 * following keys — so these files take the strict path. Conservative: whatever this scan cannot
 * rule out counts.
 */
export function spansLines(text: string): boolean {
  let blockIndent = -1; // inside a block scalar (| or >): lines indented deeper are its text
  let depth = 0; // flow brackets left open by earlier lines
  let ownerIndent = -1; // indentation of the block line that owns the open flow collection
  let lastIndent = 0; // indentation of the previous line with content
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    const indent = line.search(/[^ ]/);
    if (indent < 0) continue;
    if (blockIndent >= 0) {
      if (indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (depth > 0 && indent <= ownerIndent) return true;
    const isComment = line[indent] === '#';
    // Most lines hold no quote, bracket or block indicator; only those are scanned by character.
    if (depth > 0 || /['"|>[{]/.test(line)) {
      const scan = scanLine(line, indent, depth);
      if (scan.openQuote || scan.depth < 0) return true;
      if (depth === 0 && scan.depth > 0)
        ownerIndent = line[indent] === '[' || line[indent] === '{' ? lastIndent : indent;
      depth = scan.depth;
      if (scan.blockScalar) blockIndent = indent;
    }
    if (!isComment) lastIndent = indent;
  }
  return depth > 0;
}

/** One line's effect: brackets still open after it, an unclosed quote, a block scalar header. */
function scanLine(line: string, from: number, depth: number) {
  let quote = '';
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (quote !== '') {
      if (quote === '"' && c === '\\') i += 1;
      // `''` inside single quotes is an escaped quote, not the end and a new start
      else if (quote === "'" && c === "'" && line[i + 1] === "'") i += 1;
      else if (c === quote) quote = '';
      continue;
    }
    const before = i === 0 ? ' ' : line[i - 1];
    const atTokenStart =
      before === ' ' || before === '\t' || before === '[' || before === '{' || before === ',';
    if (c === '#' && (before === ' ' || before === '\t')) break;
    if ((c === '"' || c === "'") && atTokenStart) quote = c;
    else if (c === '[' || c === '{') depth += 1;
    else if (c === ']' || c === '}') depth -= 1;
    else if (depth === 0 && (c === '|' || c === '>') && atTokenStart && BLOCK_HEADER.test(line.slice(i)))
      return { depth, openQuote: false, blockScalar: true };
  }
  return { depth, openQuote: quote !== '', blockScalar: false };
}

const BLOCK_HEADER = /^[|>][-+0-9]*[ \t]*(?:#.*)?$/;

const { Type } = jsYaml;
const nullType = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (data: string | null) => data === null || CORE_SCALARS.null.test(data),
  construct: () => null,
});
const boolType = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && CORE_SCALARS.bool.test(data),
  construct: (data: string) => data[0] === 't' || data[0] === 'T',
});
const intType = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) =>
    data !== null &&
    (CORE_SCALARS.int.test(data) || CORE_SCALARS.intOctal.test(data) || CORE_SCALARS.intHex.test(data)),
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
    (CORE_SCALARS.floatSpecial.test(data) ||
      CORE_SCALARS.floatExponent.test(data) ||
      CORE_SCALARS.float.test(data)),
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
