// photon as npm installs it, made from the checkout's build: for the start-up tests
// (test/start-up.test.ts), the cold-start bench (`BENCH_INSTALLED=1`) and the patch measurements
// (scripts/bundle/measure-patches.mjs). Build first (and generate the oclif manifests to ship them).
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';

/**
 * Lays the built packages of the checkout `repo` out in `dir`/node_modules: first-party packages
 * copied (package.json, bin, dist with its bundles and code caches, and with `manifests` the oclif
 * manifests), third-party ones linked, and what npm nests under a package (the CLI's
 * plugin-autocomplete, core's nodemailer) linked beside it. Returns the photon bin.
 */
export function installBuiltCopy(repo, dir, { manifests = true } = {}) {
  const modules = path.join(dir, 'node_modules');
  mkdirSync(path.join(modules, '@ffphoton'), { recursive: true });
  for (const entry of readdirSync(path.join(repo, 'node_modules')))
    if (entry !== '@ffphoton' && !entry.startsWith('.'))
      symlinkSync(path.join(repo, 'node_modules', entry), path.join(modules, entry));
  const parts = ['package.json', 'bin', 'dist', ...(manifests ? ['oclif.manifest.json'] : [])];
  for (const pkg of readdirSync(path.join(repo, 'packages'))) {
    const from = path.join(repo, 'packages', pkg);
    const to = path.join(modules, '@ffphoton', pkg);
    for (const part of parts.filter((p) => existsSync(path.join(from, p))))
      cpSync(path.join(from, part), path.join(to, part), {
        recursive: true,
        filter: (f) => !f.endsWith('.test.js') && !f.includes('.node-compile-cache'),
      });
    if (existsSync(path.join(from, 'node_modules'))) {
      mkdirSync(to, { recursive: true });
      symlinkSync(path.join(from, 'node_modules'), path.join(to, 'node_modules'));
    }
  }
  return path.join(modules, '@ffphoton/cli/bin/run.js');
}
