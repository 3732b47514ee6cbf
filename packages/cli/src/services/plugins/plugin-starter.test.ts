import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileStore, RootSandbox, UsageError } from '@ffphoton/core';
import { tempDir } from '@ffphoton/core/testing';
import { describe, expect, it } from 'vitest';
import { starterFiles, starterNames, writeStarter } from './plugin-starter.js';

const starterDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../starter');

describe('starterNames', () => {
  it('takes the topic and settings namespace from the package name', () => {
    expect(starterNames('photon-plugin-barcheck')).toEqual({
      name: 'photon-plugin-barcheck',
      topic: 'barcheck',
      camel: 'barcheck',
      pascal: 'Barcheck',
    });
    expect(starterNames('@ffmwu/photon-plugin-dns2').topic).toBe('dns2');
  });
  it('refuses names npm or photon cannot take, with exit 2', () => {
    for (const bad of ['Photon-Plugin-X', 'photon-plugin-bar-check', 'a b', '../x', 'photon-plugin-']) {
      expect(() => starterNames(bad)).toThrow(UsageError);
    }
  });
});

describe('starterFiles', () => {
  it('is a standalone package: nothing refers into this repository, every placeholder is filled', async () => {
    const files = await starterFiles(starterNames('photon-plugin-barcheck'), '0.3.1', starterDir);
    expect([...files.keys()]).toEqual([
      '.gitignore',
      'README.md',
      'package.json',
      'src/commands/barcheck/check.test.ts',
      'src/commands/barcheck/check.ts',
      'src/index.ts',
      'src/services/file-check.test.ts',
      'src/services/file-check.ts',
      'src/settings.ts',
      'tsconfig.json',
      'vitest.config.ts',
    ]);
    for (const [file, text] of files) {
      expect(text, file).not.toMatch(/\.\.\/\.\.\/(\.\.\/)?(packages|tsconfig|vitest)/);
      expect(text, file).not.toMatch(/__(name|topic|camel|Pascal|coreVersion)__/);
    }
    const pjson = JSON.parse(files.get('package.json') ?? '');
    expect(pjson.peerDependencies).toEqual({ '@ffphoton/core': '^0.3.1' });
    expect(pjson.devDependencies['@ffphoton/core']).toBe('^0.3.1');
    expect(pjson.photon.settings).toEqual({ barcheck: './dist/settings.js' });
    // No negated pattern: oclif warns about every `files` entry it cannot find after install.
    expect(pjson.files).toEqual(['dist']);
  });
});

describe('writeStarter', () => {
  it('writes into a new directory and refuses a non-empty one', async () => {
    const dir = path.join(tempDir('starter'), 'p');
    const files = new FileStore(new RootSandbox());
    const written = await writeStarter(files, dir, new Map([['src/a.ts', 'a\n']]));
    expect(written).toEqual([path.join(dir, 'src/a.ts')]);
    expect(readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toBe('a\n');
    const taken = tempDir('starter');
    mkdirSync(path.join(taken, 'x'));
    writeFileSync(path.join(taken, 'x/keep'), 'mine');
    await expect(writeStarter(files, path.join(taken, 'x'), new Map([['keep', 'theirs']]))).rejects.toThrow(
      'is not empty',
    );
    expect(readFileSync(path.join(taken, 'x/keep'), 'utf8')).toBe('mine');
  });
});
