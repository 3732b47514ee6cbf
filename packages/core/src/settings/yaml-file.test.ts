import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, YamlError } from '../errors/errors.js';
import { RootSandbox } from '../fs/root-sandbox.js';
import { parseYamlBounded, readYaml, readYamlTextIfExists } from './yaml-file.js';

describe('readYaml', () => {
  it('loads anchors and merge keys, and names file, line and column of a syntax error', () => {
    expect(readYaml('a: &A {x: 1}\nb:\n  <<: *A\n  y: 2\n', { source: 'ssh.yaml', merge: true })).toEqual({
      a: { x: 1 },
      b: { x: 1, y: 2 },
    });
    const error = (() => {
      try {
        readYaml('ok: 1\nbad: [unclosed\n', { source: 'queue.yaml' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^queue\.yaml:\d+:\d+: invalid YAML/);
  });
});

describe('readYaml: errors name file, line, column, the problem and its key', () => {
  it('a syntax error, a duplicate key (named), an alias where none may be (its top-level key named)', () => {
    expect(thrown(() => readYaml('ok: 1\nbad: [unclosed\n', { source: 'q.yaml' }))).toEqual(
      new YamlError(
        'invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
        { file: 'q.yaml', line: 3, column: 1 },
        'syntax',
      ),
    );
    const duplicate = thrown(() => readYaml('a:\n  b: 1\n  b: 2\n', { source: 'd.yaml', mappings: 'maps' }));
    expect(duplicate).toEqual(
      new YamlError(
        'invalid YAML: Map keys must be unique',
        { file: 'd.yaml', line: 3, column: 3 },
        'duplicate-key',
        'b',
      ),
    );
    expect((duplicate as Error).message).toBe('d.yaml:3:3: invalid YAML: Map keys must be unique');
    const alias = thrown(() => readYaml('x: 1\ny: &a [1]\nz: [*a]\n', { source: 'm', maxAliases: 0 }));
    expect(alias).toEqual(
      new YamlError('YAML anchors and aliases are not accepted', { file: 'm', keyPath: 'z' }, 'alias', 'z'),
    );
    expect((alias as Error).message).toBe('m: z: YAML anchors and aliases are not accepted');
    expect(alias).toBeInstanceOf(ConfigError);
    // An anchor without an alias costs nothing to expand.
    expect(readYaml('x: &a 1\n', { source: 'm', maxAliases: 0 })).toEqual({ x: 1 });
  });

  it('the fast path and the full parser give the same value, as objects and as Maps', () => {
    const simple = 'asn: 65001\n1: one\nlist:\n  - a\n  - "0821"\n';
    const flow = '{asn: 65001, 1: one, list: [a, "0821"]}\n';
    for (const text of [simple, flow]) {
      expect(readYaml(text, { source: 'f' })).toStrictEqual({ 1: 'one', asn: 65001, list: ['a', '0821'] });
      expect(readYaml(text, { source: 'f', mappings: 'maps' })).toEqual(
        new Map<unknown, unknown>([
          ['asn', 65001],
          [1, 'one'],
          ['list', ['a', '0821']],
        ]),
      );
    }
  });
});

describe('bounded YAML', () => {
  it('a stack overflow in the parser is a ConfigError naming the file; other errors pass as they are', () => {
    expect(() =>
      parseYamlBounded('deep.yaml', 'a: 1', () => {
        throw new RangeError('Maximum call stack size exceeded');
      }),
    ).toThrow(new ConfigError('nested deeper than 64 levels', { file: 'deep.yaml' }));
    const other = new TypeError('not this');
    expect(() =>
      parseYamlBounded('x.yaml', 'a: 1', () => {
        throw other;
      }),
    ).toThrow(other);
    expect(parseYamlBounded('x.yaml', 'a: [1]', () => 'parsed')).toBe('parsed');
    let parsed = false;
    expect(() =>
      parseYamlBounded('x.yaml', `a: ${'['.repeat(65)}`, () => {
        parsed = true;
      }),
    ).toThrow(new ConfigError('nested deeper than 64 levels', { file: 'x.yaml' }));
    expect(parsed).toBe(false);
  });

  it('merge keys load only when asked; too many aliases and deep trees are refused', () => {
    expect(readYaml('a: &A {x: 1}\nb:\n  <<: *A\n', { source: 'k.yaml' })).toEqual({
      a: { x: 1 },
      b: { '<<': { x: 1 } },
    });
    const aliases = `a: &a [1]\nb: [${Array(1001).fill('*a').join(', ')}]\n`;
    expect(thrown(() => readYaml(aliases, { source: 'k.yaml' }))).toEqual(
      new YamlError(
        'cannot load: Excessive alias count indicates a resource exhaustion attack',
        { file: 'k.yaml' },
        'alias',
      ),
    );
    expect(thrown(() => readYaml('a:\n  <<: 1\n', { source: 'k.yaml', merge: true }))).toEqual(
      new YamlError('cannot load: Merge sources must be maps or map aliases', { file: 'k.yaml' }, 'syntax'),
    );
    const deep = `${Array.from({ length: 65 }, (_, i) => `${'  '.repeat(i)}k:`).join('\n')} 1\n`;
    expect(thrown(() => readYaml(deep, { source: 'k.yaml' }))).toEqual(
      new YamlError('nested deeper than 64 levels', { file: 'k.yaml' }, 'limit'),
    );
    // Block style at the limit: 63 mappings and a sequence are 64 levels, one more is refused.
    const levels = (maps: number) =>
      `${Array.from({ length: maps }, (_, i) => `${' '.repeat(i)}k:`).join('\n')}\n${' '.repeat(maps)}- v\n`;
    expect(JSON.stringify(readYaml(levels(63), { source: 'k.yaml' }))).toBe(
      `${'{"k":'.repeat(63)}["v"]${'}'.repeat(63)}`,
    );
    expect(thrown(() => readYaml(levels(64), { source: 'k.yaml' }))).toEqual(
      new YamlError('nested deeper than 64 levels', { file: 'k.yaml' }, 'limit'),
    );
    // The same depth in flow style is refused before the parser sees it.
    expect(thrown(() => readYaml(`a: ${'['.repeat(65)}`, { source: 'k.yaml' }))).toEqual(
      new YamlError('nested deeper than 64 levels', { file: 'k.yaml' }, 'limit'),
    );
    expect(readYaml('', { source: 'empty.yaml' })).toBeNull();
  });

  it("reads a plugin's YAML file inside --root: absent is undefined, over 4 MiB is refused", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'photon-yaml-file-'));
    const files = new RootSandbox(root);
    writeFileSync(path.join(root, 'keys.yaml'), 'a: 1\n');
    expect(readYamlTextIfExists(files, '/keys.yaml')).toBe('a: 1\n');
    expect(readYamlTextIfExists(files, '/missing.yaml')).toBeUndefined();
    writeFileSync(path.join(root, 'fits.yaml'), Buffer.alloc(4 * 1024 * 1024, 0x20));
    expect(readYamlTextIfExists(files, '/fits.yaml')).toHaveLength(4 * 1024 * 1024);
    writeFileSync(path.join(root, 'big.yaml'), Buffer.alloc(4 * 1024 * 1024 + 1, 0x20));
    expect(() => readYamlTextIfExists(files, '/big.yaml')).toThrow(
      new ConfigError('YAML file is larger than the limit of 4 MiB', { file: '/big.yaml' }),
    );
  });
});

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('nothing thrown');
}
