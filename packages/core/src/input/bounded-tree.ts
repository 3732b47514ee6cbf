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
 * Iterative, and stops at the first value over the budget: cost is bounded by the budget.
 */
export function assertTreeWithin(value: unknown, limits: TreeLimits = {}, file?: string): void {
  const maxNodes = limits.maxNodes ?? INPUT_LIMITS.yamlExpandedNodes;
  const maxDepth = limits.maxDepth ?? INPUT_LIMITS.maxDepth;
  const stack: [unknown, number][] = [[value, 0]];
  let nodes = 0;
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (++nodes > maxNodes)
      throw new ConfigError(`aliases expand to more than ${maxNodes} values (an alias bomb?)`, { file });
    if (current === null || typeof current !== 'object') continue;
    if (depth >= maxDepth) throw new ConfigError(`nested deeper than ${maxDepth} levels`, { file });
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) stack.push([child, depth + 1]);
  }
}
