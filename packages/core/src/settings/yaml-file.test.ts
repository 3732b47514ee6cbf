import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { parseYamlFile } from './yaml-file.js';

describe('parseYamlFile', () => {
  it('loads anchors and merge keys, and names file, line and column of a syntax error', () => {
    expect(parseYamlFile('a: &A {x: 1}\nb:\n  <<: *A\n  y: 2\n', 'ssh.yaml', { merge: true })).toEqual({
      a: { x: 1 },
      b: { x: 1, y: 2 },
    });
    const error = (() => {
      try {
        parseYamlFile('ok: 1\nbad: [unclosed\n', 'queue.yaml');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^queue\.yaml:\d+:\d+: invalid YAML/);
  });
});
