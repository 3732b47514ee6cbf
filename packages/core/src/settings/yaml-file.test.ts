import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { RootSandbox } from '../fs/root-sandbox.js';
import { parseYamlBounded, parseYamlFile, readYamlTextIfExists } from './yaml-file.js';

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
    expect(parseYamlFile('a: &A {x: 1}\nb:\n  <<: *A\n', 'k.yaml')).toEqual({
      a: { x: 1 },
      b: { '<<': { x: 1 } },
    });
    const aliases = `a: &a [1]\nb: [${Array(1001).fill('*a').join(', ')}]\n`;
    expect(() => parseYamlFile(aliases, 'k.yaml')).toThrow(/^k\.yaml: cannot load: /);
    const deep = `${Array.from({ length: 65 }, (_, i) => `${'  '.repeat(i)}k:`).join('\n')} 1\n`;
    expect(() => parseYamlFile(deep, 'k.yaml')).toThrow(
      new ConfigError('nested deeper than 64 levels', { file: 'k.yaml' }),
    );
    expect(parseYamlFile('', 'empty.yaml')).toBeNull();
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
