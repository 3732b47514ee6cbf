import { ConfigError } from '../errors/errors.js';
import { INPUT_LIMITS } from './limits.js';

export interface TreeLimits {
  /** Values the tree may hold, each use of a shared (aliased) subtree counted again. */
  maxNodes?: number;
  maxDepth?: number;
}

/**
 * Refuses a parsed tree whose expansion is too large or too deep. YAML aliases make a 360-byte
 * document share one subtree billions of times; a reader that shares objects (js-yaml) returns
 * at once, and the first walk over the result (merge, validation, `config show`) never ends.
 * Each shared subtree's size and height are computed once and reused, so the check costs the
 * unique nodes, not the expansion; recursion stops at `maxDepth`.
 */
export function assertTreeWithin(value: unknown, limits: TreeLimits = {}, file?: string): void {
  const maxNodes = limits.maxNodes ?? INPUT_LIMITS.yamlExpandedNodes;
  const maxDepth = limits.maxDepth ?? INPUT_LIMITS.maxDepth;
  const measured = new Map<object, { size: number; height: number }>();
  const tooDeep = () => new ConfigError(`nested deeper than ${maxDepth} levels`, { file });
  const measure = (node: unknown, depth: number): { size: number; height: number } => {
    if (node === null || typeof node !== 'object') return { size: 1, height: 0 };
    const known = measured.get(node);
    if (known) {
      if (depth + known.height > maxDepth) throw tooDeep();
      return known;
    }
    if (depth >= maxDepth) throw tooDeep();
    let size = 1;
    let height = 0;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      const inner = measure(child, depth + 1);
      size += inner.size;
      height = Math.max(height, inner.height + 1);
      if (size > maxNodes)
        throw new ConfigError(`aliases expand to more than ${maxNodes} values (an alias bomb?)`, { file });
    }
    const result = { size, height };
    measured.set(node, result);
    return result;
  };
  if (measure(value, 0).size > maxNodes)
    throw new ConfigError(`aliases expand to more than ${maxNodes} values (an alias bomb?)`, { file });
}

/**
 * The deepest nesting of YAML flow collections (`[`, `{`) in `text`, skipping quoted scalars and
 * comments; stops at `stopAbove` + 1. The `yaml` parser takes seconds on a few thousand levels
 * (and overflows the stack beyond), so deep text is refused before it is parsed. An apostrophe
 * inside a plain scalar within a flow collection can hide brackets from this scan (up to the next
 * apostrophe); the tree check after parsing still holds.
 */
export function yamlFlowDepth(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (quote === 0x22 && c === 0x5c) i += 1;
      // Outside collections a line end ends it too: an apostrophe in a plain scalar (`don't`)
      // opened no quote, and must not hide the brackets of the lines below.
      else if (c === quote || (c === 0x0a && depth === 0)) quote = 0;
      continue;
    }
    if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x23 && (i === 0 || text.charCodeAt(i - 1) <= 0x20)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) return deepest;
      }
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth -= 1;
  }
  return deepest;
}
