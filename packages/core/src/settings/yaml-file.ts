import { type Document, LineCounter, parseDocument } from 'yaml';
import { ConfigError, messageOf } from '../errors/errors.js';

/**
 * Parses a plugin's own YAML file (key groups, queue files, account lists) the way settings are
 * parsed: anchors and merge keys load, and a syntax error is a ConfigError naming file, line and
 * column (exit 2).
 */
export function parseYamlFile(text: string, file: string, options: { merge?: boolean } = {}): unknown {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: options.merge });
  throwOnSyntaxError(doc, lines, file);
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    throw new ConfigError(`cannot load: ${messageOf(error)}`, { file });
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
