import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

type Importer = (specifier: string) => Promise<Record<string, unknown>> | undefined;
const require = createRequire(import.meta.url);
const { createPrecompiledImporter, FORMAT } = require('./precompiled-modules.cjs') as {
  createPrecompiledImporter(core: object): Importer;
  FORMAT: string;
};
const { fingerprint } = require('./fingerprint.cjs') as { fingerprint(bytes: Buffer): string };

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A package whose dist/settings.js is precompiled (as scripts/bundle.mjs writes it). */
function precompiledPackage(where: 'checkout' | 'installed' = 'checkout'): {
  root: string;
  settings: string;
} {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'photon-precompiled-'));
  roots.push(tmp);
  const root = where === 'installed' ? path.join(tmp, 'node_modules/@ffphoton/plugin-x') : tmp;
  const settings = path.join(root, 'dist/settings.js');
  mkdirSync(path.join(root, 'dist/bundle'), { recursive: true });
  writeFileSync(settings, "export const answer = 'from the ES module';\n");
  writeFileSync(
    path.join(root, 'dist/bundle/modules.json'),
    JSON.stringify({ format: FORMAT, inputs: { 'dist/settings.js': fingerprint(readFileSync(settings)) } }),
  );
  writeFileSync(
    path.join(root, 'dist/bundle/modules.cjs'),
    "(function (exports, require, module) { module.exports.modules = { 'dist/settings.js': () => Promise.resolve({ answer: 'precompiled', core: require('@ffphoton/core'), dirname: require('node:path').dirname('/a/b') }) }; })",
  );
  return { root, settings };
}

describe('precompiled modules of a first-party package', () => {
  it('serve a module the bundle holds, with the running core for @ffphoton/core', async () => {
    const { settings } = precompiledPackage();
    const core = { name: 'the running core' };
    const loaded = await createPrecompiledImporter(core)(pathToFileURL(settings).href);
    expect(loaded).toEqual({ answer: 'precompiled', core, dirname: '/a' });
  });

  it('leave to import() what the bundle does not hold', () => {
    const { root } = precompiledPackage();
    const other = path.join(root, 'dist/commands/x.js');
    expect(createPrecompiledImporter({})(pathToFileURL(other).href)).toBeUndefined();
    expect(createPrecompiledImporter({})('node:fs')).toBeUndefined();
    expect(createPrecompiledImporter({})(pathToFileURL(path.join(os.tmpdir(), 'x.js')).href)).toBeUndefined();
  });

  it.each(['checkout', 'installed'] as const)(
    'in a %s, go by content: a file rewritten unchanged is trusted, a same-size edit is not',
    async (where) => {
      const { settings } = precompiledPackage(where);
      // tsc (or npm unpacking) wrote the same content later: nothing to distrust.
      const later = new Date(Date.now() + 60_000);
      writeFileSync(settings, "export const answer = 'from the ES module';\n");
      utimesSync(settings, later, later);
      expect(await createPrecompiledImporter({})(pathToFileURL(settings).href)).toMatchObject({
        answer: 'precompiled',
      });
      // Same size, same old mtime, other content: the dist file is what must run.
      writeFileSync(settings, "export const answer = 'FROM THE ES MODULE';\n");
      const old = new Date(Date.now() - 60_000);
      utimesSync(settings, old, old);
      expect(createPrecompiledImporter({})(pathToFileURL(settings).href)).toBeUndefined();
    },
  );

  it("serve a settings module from the package's settings bundle until another of its modules loads", async () => {
    const { root, settings } = precompiledPackage();
    const command = path.join(root, 'dist/commands/x.js');
    mkdirSync(path.dirname(command));
    writeFileSync(command, "export const command = 'x';\n");
    const manifestFile = path.join(root, 'dist/bundle/modules.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    manifest.inputs['dist/commands/x.js'] = fingerprint(readFileSync(command));
    manifest.settings = {
      entries: ['dist/settings.js'],
      inputs: { 'dist/settings.js': manifest.inputs['dist/settings.js'] },
    };
    writeFileSync(manifestFile, JSON.stringify(manifest));
    writeFileSync(
      path.join(root, 'dist/bundle/modules.cjs'),
      "(function (exports, require, module) { module.exports.modules = { 'dist/settings.js': () => Promise.resolve({ answer: 'whole bundle' }), 'dist/commands/x.js': () => Promise.resolve({ command: 'x' }) }; })",
    );
    writeFileSync(
      path.join(root, 'dist/bundle/settings.cjs'),
      "(function (exports, require, module) { module.exports.modules = { 'dist/settings.js': () => Promise.resolve({ answer: 'settings bundle' }) }; })",
    );
    // `config validate`: settings only, from the small bundle.
    const importer = createPrecompiledImporter({});
    expect(await importer(pathToFileURL(settings).href)).toEqual({ answer: 'settings bundle' });
    // A task: its command first, and from then on the whole bundle.
    const task = createPrecompiledImporter({});
    expect(await task(pathToFileURL(command).href)).toEqual({ command: 'x' });
    expect(await task(pathToFileURL(settings).href)).toEqual({ answer: 'whole bundle' });
    // A settings input edited: the settings bundle cannot vouch for it, nor can the whole one.
    writeFileSync(settings, "export const answer = 'FROM THE ES MODULE';\n");
    expect(createPrecompiledImporter({})(pathToFileURL(settings).href)).toBeUndefined();
  });

  it('refuse a bundle whose input changed size or is gone, or that has no manifest', () => {
    const changed = precompiledPackage();
    writeFileSync(changed.settings, "export const answer = 'edited';\n");
    expect(createPrecompiledImporter({})(pathToFileURL(changed.settings).href)).toBeUndefined();

    const gone = precompiledPackage();
    rmSync(gone.settings);
    expect(createPrecompiledImporter({})(pathToFileURL(gone.settings).href)).toBeUndefined();

    const bare = precompiledPackage();
    rmSync(path.join(bare.root, 'dist/bundle/modules.json'));
    expect(createPrecompiledImporter({})(pathToFileURL(bare.settings).href)).toBeUndefined();
  });
});
