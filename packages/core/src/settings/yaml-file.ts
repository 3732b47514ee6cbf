import type { Document, LineCounter } from 'yaml';
import { ConfigError, messageOf, YamlError } from '../errors/errors.js';
import { readBoundedTextIfExists } from '../input/bounded-file.js';
import { assertTreeWithin, yamlFlowDepth } from '../input/bounded-tree.js';
import { INPUT_LIMITS } from '../input/limits.js';
import { parseSimpleYaml, type YamlMappings } from './simple-yaml.js';
import { yamlLibrary } from './yaml-library.js';

export type { YamlMappings } from './simple-yaml.js';

export interface ReadYamlOptions {
  /** The file named in errors. */
  source: string;
  /** Plain objects (the default), or Maps that keep each key's type. */
  mappings?: YamlMappings;
  /**
   * Aliases the value may expand (default: the input limit, 1000); 0 refuses anchors and
   * aliases outright, naming the first top-level key that uses one.
   */
  maxAliases?: number;
  /** `<<` merge keys (YAML 1.1's; off by default). */
  merge?: boolean;
}

/**
 * The one reader of plugins' YAML files (key groups, account lists, schedule pins, icvpn-meta).
 * A document in the simple block layout is read by a scanner that gives the full parser's value
 * (simple-yaml.ts); anything else by the `yaml` package, which also gives every error its line
 * and column: positions cost only when something is wrong. Duplicate keys are refused, flow
 * nesting and the expanded tree are bounded (docs/input-limits.md). Throws a YamlError.
 * Settings files keep their own reader (settings-loader.ts: photon's tags, positions for zod's
 * complaints, js-yaml first), whose errors are the same ConfigErrors with file, line and column.
 */
export function readYaml(text: string, options: ReadYamlOptions): unknown {
  const mappings = options.mappings ?? 'objects';
  // The scanner's trees need no tree check: no aliases, at most 64 levels, one node per line.
  return parseSimpleYaml(text, mappings) ?? parseFully(text, mappings, options);
}

/** The `yaml` package's reading, with the position of whatever is wrong. */
function parseFully(text: string, mappings: YamlMappings, options: ReadYamlOptions): unknown {
  const file = options.source;
  if (yamlFlowDepth(text, INPUT_LIMITS.maxDepth) > INPUT_LIMITS.maxDepth) throw tooDeep(file);
  const yaml = yamlLibrary();
  const lines = new yaml.LineCounter();
  let doc: Document;
  try {
    doc = yaml.parseDocument(text, {
      lineCounter: lines,
      prettyErrors: false,
      merge: options.merge,
      uniqueKeys: true,
    });
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(file);
    throw error;
  }
  const problem = doc.errors[0];
  if (problem) {
    const { line, col: column } = lines.linePos(problem.pos[0]);
    const key =
      problem.code === 'DUPLICATE_KEY'
        ? text
            .slice(lines.lineStarts[line - 1], lines.lineStarts[line])
            .split(':')[0]
            .trim()
        : undefined;
    throw new YamlError(
      `invalid YAML: ${problem.message.split('\n')[0]}`,
      { file, line, column },
      key === undefined ? 'syntax' : 'duplicate-key',
      key,
    );
  }
  const maxAliasCount = options.maxAliases ?? INPUT_LIMITS.yamlAliases;
  let data: unknown;
  try {
    data = doc.toJS({ mapAsMap: mappings === 'maps', maxAliasCount });
  } catch (error) {
    // yaml throws a ReferenceError for an alias beyond the count (or an unknown one).
    const alias = error instanceof ReferenceError;
    if (alias && maxAliasCount === 0) {
      const key = firstKeyWithAlias(doc);
      throw new YamlError('YAML anchors and aliases are not accepted', { file, keyPath: key }, 'alias', key);
    }
    throw new YamlError(`cannot load: ${messageOf(error)}`, { file }, alias ? 'alias' : 'syntax');
  }
  try {
    assertTreeWithin(data, {}, file);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new YamlError(error.detail, { file }, 'limit');
  }
  return data;
}

function tooDeep(file: string): YamlError {
  return new YamlError(`nested deeper than ${INPUT_LIMITS.maxDepth} levels`, { file }, 'limit');
}

/** The parts of yaml's Pair and node classes used here. */
interface PairLike {
  key: unknown;
  value: { toJS?: (doc: Document, options: { maxAliasCount: number }) => unknown } | null;
}

/** The first top-level key whose value cannot be converted without resolving an alias. */
function firstKeyWithAlias(doc: Document): string | undefined {
  const items = (doc.contents as { items?: unknown[] } | null)?.items ?? [];
  for (const item of items as PairLike[]) {
    try {
      item.value?.toJS?.(doc, { maxAliasCount: 0 });
    } catch {
      // A scalar key node prints as its value (`~` as "null"), a collection key as its YAML.
      return String(item.key);
    }
  }
  return undefined;
}

/**
 * Runs a `yaml` parse of `text`, refusing deep flow nesting first (the parser takes seconds on a
 * few thousand `[`, and overflows the stack beyond) and turning a stack overflow into a
 * ConfigError naming the file.
 */
export function parseYamlBounded<T>(file: string, text: string, parse: () => T): T {
  assertFlowDepthWithin(text, file);
  try {
    return parse();
  } catch (error) {
    if (error instanceof RangeError)
      throw new ConfigError(`nested deeper than ${INPUT_LIMITS.maxDepth} levels`, { file });
    throw error;
  }
}

/**
 * The text of a plugin's YAML file at a task path (inside `--root`), read as bounded input:
 * regular files of at most 4 MiB (docs/input-limits.md); undefined when it does not exist.
 */
export function readYamlTextIfExists(
  files: { resolve(p: string): string },
  file: string,
): string | undefined {
  return readBoundedTextIfExists(files.resolve(file), {
    file,
    maxBytes: INPUT_LIMITS.yamlFileBytes,
    kind: 'YAML file',
  });
}

/** The first syntax error of a document parsed with a LineCounter, as a ConfigError at its position. */
export function throwOnSyntaxError(doc: Document, lines: LineCounter, file: string): void {
  const problem = doc.errors[0];
  if (!problem) return;
  const pos = lines.linePos(problem.pos[0]);
  throw new ConfigError(`invalid YAML: ${problem.message.split('\n')[0]}`, {
    file,
    line: pos.line,
    column: pos.col,
  });
}

/** Refuses YAML text whose flow collections nest deeper than the limit, before any parser sees it. */
export function assertFlowDepthWithin(text: string, file: string): void {
  if (yamlFlowDepth(text, INPUT_LIMITS.maxDepth) > INPUT_LIMITS.maxDepth)
    throw new ConfigError(`nested deeper than ${INPUT_LIMITS.maxDepth} levels`, { file });
}
