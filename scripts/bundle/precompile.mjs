// A first-party package's precompiled modules: its commands, hooks and settings modules
// (everything oclif or core import()s from it), those its package.json lists in
// `photon.precompile` (what the CLI's bin loads), and what they import, in one file,
// dist/bundle/modules.cjs, which core's loader runs through the code cache instead of Node's ESM
// loader (packages/core/loader/precompiled-modules.cjs). `@ffphoton/core` stays outside: the
// bundle is handed the running copy. modules.json records the content of every input, so a dist
// rebuilt or edited since is loaded as it is instead.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';
import { firstPartyInputs } from './inputs.mjs';
import { asciiOnly, bundleText, hasDynamicImport } from './text.mjs';

// The manifest format the loader accepts, from the loader itself.
const { FORMAT } = createRequire(import.meta.url)('../../packages/core/loader/precompiled-modules.cjs');

export async function precompilePackage(root) {
  const pjson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const listJs = (dir) =>
    readdirSync(dir, { recursive: true })
      .filter((f) => f.endsWith('.js') && !f.endsWith('.test.js'))
      .map((f) => path.join(dir, f));
  // First-party packages name a commands directory (oclif also knows patterns and explicit maps).
  const commandsDir = pjson.oclif?.commands;
  if (commandsDir !== undefined && typeof commandsDir !== 'string')
    throw new Error(`cannot precompile ${path.basename(root)}: oclif.commands is not a directory`);
  const commands = commandsDir ? listJs(path.join(root, commandsDir)) : [];
  const hooks = Object.values(pjson.oclif?.hooks ?? {})
    .flat()
    .map((f) => path.join(root, f));
  const settings = Object.values(pjson.photon?.settings ?? {}).map((f) => path.join(root, f));
  // Modules the package's bin loads before oclif (the CLI's plugin directory and help helpers).
  const extra = (pjson.photon?.precompile ?? []).map((f) => path.join(root, f));
  const entries = [...new Set([...commands, ...hooks, ...settings, ...extra])].map((f) =>
    path.relative(root, f).split(path.sep).join('/'),
  );
  const outDir = path.join(root, 'dist/bundle');
  rmSync(outDir, { recursive: true, force: true });
  if (entries.length === 0) return;
  const name = path.basename(root);
  const all = await bundleEntries(root, name, entries);
  // The settings modules once more on their own: `config validate` reads every package's
  // settings and runs none of its commands (the loader picks this bundle while nothing else of
  // the package has loaded).
  const settingsEntries = [...new Set(settings)].map((f) => path.relative(root, f).split(path.sep).join('/'));
  const settingsOnly =
    settingsEntries.length > 0 ? await bundleEntries(root, name, settingsEntries) : undefined;
  mkdirSync(outDir, { recursive: true });
  const manifest = { format: FORMAT, inputs: all.inputs };
  if (settingsOnly) manifest.settings = { entries: settingsEntries, inputs: settingsOnly.inputs };
  writeFileSync(path.join(outDir, 'modules.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(path.join(outDir, 'modules.cjs'), all.text);
  if (settingsOnly) writeFileSync(path.join(outDir, 'settings.cjs'), settingsOnly.text);
}

/** One CommonJS bundle of `entries` (paths relative to `root`): its file text and its inputs' fingerprints. */
async function bundleEntries(root, name, entries) {
  const result = await build({
    stdin: {
      contents: `export const modules = {\n${entries.map((e) => `  ${JSON.stringify(e)}: () => import(${JSON.stringify(`./${e}`)}),`).join('\n')}\n};\n`,
      resolveDir: root,
      sourcefile: 'precompiled-modules.js',
    },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['@ffphoton/core'],
    charset: 'ascii',
    minifyWhitespace: true,
    minifySyntax: true,
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  // A module that needs what CommonJS cannot give it must stay an ES module.
  const problems = result.warnings.map((w) => w.text).filter((t) => /import\.meta|top-level await/.test(t));
  const code = result.outputFiles[0].text;
  if (hasDynamicImport(code)) problems.push('a dynamic import() of a module outside the package');
  if (problems.length > 0) throw new Error(`cannot precompile ${name}: ${problems.join('; ')}`);
  return {
    text: bundleText(['exports', 'require', 'module', '__filename', '__dirname'], asciiOnly(code)),
    inputs: firstPartyInputs(root, result.metafile),
  };
}
