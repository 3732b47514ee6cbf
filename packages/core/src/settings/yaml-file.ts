import { type Document, LineCounter, parseDocument } from 'yaml';
import { ConfigError, messageOf } from '../errors/errors.js';
import { readBoundedTextIfExists } from '../input/bounded-file.js';
import { assertTreeWithin, yamlFlowDepth } from '../input/bounded-tree.js';
import { INPUT_LIMITS } from '../input/limits.js';

/**
 * Parses a plugin's own YAML file (key groups, queue files, account lists) the way settings are
 * parsed: anchors and merge keys load, and a syntax error is a ConfigError naming file, line and
 * column (exit 2).
 */
export function parseYamlFile(text: string, file: string, options: { merge?: boolean } = {}): unknown {
  const lines = new LineCounter();
  const doc = parseYamlBounded(file, text, () =>
    parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: options.merge }),
  );
  throwOnSyntaxError(doc, lines, file);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: INPUT_LIMITS.yamlAliases });
  } catch (error) {
    throw new ConfigError(`cannot load: ${messageOf(error)}`, { file });
  }
  assertTreeWithin(data, {}, file);
  return data;
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
