import { LineCounter, parseDocument } from 'yaml';
import { ConfigError, messageOf } from '../errors/errors.js';

/**
 * Parses a plugin's own YAML file (key groups, queue files, account lists) the way settings are
 * parsed: anchors and merge keys load, and a syntax error is a ConfigError naming file, line and
 * column (exit 2).
 */
export function parseYamlFile(text: string, file: string, options: { merge?: boolean } = {}): unknown {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: options.merge });
  const problem = doc.errors[0];
  if (problem) {
    const pos = lines.linePos(problem.pos[0]);
    throw new ConfigError(`invalid YAML: ${problem.message.split('\n')[0]}`, {
      file,
      line: pos.line,
      column: pos.col,
    });
  }
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    throw new ConfigError(`cannot load: ${messageOf(error)}`, { file });
  }
}
