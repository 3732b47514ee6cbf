import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

type Importer = (specifier: string) => Promise<Record<string, unknown>> | undefined;
const { createPrecompiledImporter, FORMAT } = createRequire(import.meta.url)('./precompiled-modules.cjs') as {
  createPrecompiledImporter(core: object): Importer;
  FORMAT: string;
};

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
    JSON.stringify({ format: FORMAT, inputs: { 'dist/settings.js': statSync(settings).size } }),
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

  it('leave to import() what the bundle does not hold or cannot vouch for', () => {
    const { root, settings } = precompiledPackage();
    const other = path.join(root, 'dist/commands/x.js');
    expect(createPrecompiledImporter({})(pathToFileURL(other).href)).toBeUndefined();
    expect(createPrecompiledImporter({})('node:fs')).toBeUndefined();
    expect(createPrecompiledImporter({})(pathToFileURL(path.join(os.tmpdir(), 'x.js')).href)).toBeUndefined();

    // tsc rewrote the module after the bundle was made: the dist file is what must run.
    const later = new Date(Date.now() + 60_000);
    utimesSync(settings, later, later);
    expect(createPrecompiledImporter({})(pathToFileURL(settings).href)).toBeUndefined();
  });

  it('in an installed package, trust files npm wrote after the bundle but not another size', async () => {
    const { settings } = precompiledPackage('installed');
    const later = new Date(Date.now() + 60_000);
    utimesSync(settings, later, later);
    expect(await createPrecompiledImporter({})(pathToFileURL(settings).href)).toMatchObject({
      answer: 'precompiled',
    });
    writeFileSync(settings, "export const answer = 'patched by hand';\n");
    expect(createPrecompiledImporter({})(pathToFileURL(settings).href)).toBeUndefined();
  });

  it('refuse a bundle whose input changed size, or that has no manifest', () => {
    const changed = precompiledPackage();
    writeFileSync(changed.settings, "export const answer = 'edited';\n");
    const old = new Date(Date.now() - 60_000);
    utimesSync(changed.settings, old, old);
    expect(createPrecompiledImporter({})(pathToFileURL(changed.settings).href)).toBeUndefined();

    const bare = precompiledPackage();
    rmSync(path.join(bare.root, 'dist/bundle/modules.json'));
    expect(createPrecompiledImporter({})(pathToFileURL(bare.settings).href)).toBeUndefined();
  });
});
