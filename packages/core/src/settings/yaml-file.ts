import { type Document, LineCounter, parseDocument } from 'yaml';
import { ConfigError, messageOf } from '../errors/errors.js';
import { assertTreeWithin } from '../input/bounded-tree.js';
import { INPUT_LIMITS } from '../input/limits.js';

/**
 * Parses a plugin's own YAML file (key groups, queue files, account lists) the way settings are
 * parsed: anchors and merge keys load, and a syntax error is a ConfigError naming file, line and
 * column (exit 2).
 */
export function parseYamlFile(text: string, file: string, options: { merge?: boolean } = {}): unknown {
  const lines = new LineCounter();
  const doc = parseYamlBounded(file, () =>
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
 * Runs a `yaml` parse, turning a stack overflow (the parser recurses per nesting level: a few
 * thousand `[` overflow it) into a ConfigError naming the file.
 */
export function parseYamlBounded<T>(file: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof RangeError)
      throw new ConfigError(`nested deeper than ${INPUT_LIMITS.maxDepth} levels`, { file });
    throw error;
  }
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
