#!/usr/bin/env node
// Part of `npm run build` (run by scripts/bundle.mjs, after the packages are compiled): writes
// photon.1 and one page per command (photon-fastd-limit.1 …) into packages/cli/man, from the
// commands as oclif loads them (bundled plugins included, community plugins not). The pages are
// rendered by packages/cli/src/services/man-pages.ts; package.json's "man" field installs them.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export async function writeManPages(repo) {
  const cli = path.join(repo, 'packages/cli');
  // The compiled commands, as the photon binary runs them (bin/run.js).
  globalThis.oclif = { ...globalThis.oclif, enableAutoTranspile: false };
  const { Config } = await import('@ffphoton/core');
  const { manPages } = await import(pathToFileURL(path.join(cli, 'dist/services/man-pages.js')).href);
  const ejs = createRequire(createRequire(import.meta.url).resolve('@oclif/core/package.json'))('ejs');
  const config = await Config.load({ root: cli, userPlugins: false, devPlugins: false });
  const pjson = JSON.parse(readFileSync(path.join(cli, 'package.json'), 'utf8'));
  const topics = Object.fromEntries(config.topics.map((t) => [t.name, t.description ?? '']));
  const pages = manPages(config.commands, {
    bin: config.bin,
    version: config.version,
    description: pjson.description,
    topics,
    // oclif's help renders its texts with ejs and { config, command }, the id as typed.
    render: (text, command) =>
      ejs.render(text, {
        config,
        command: { ...command, id: command.id.replaceAll(':', config.topicSeparator) },
      }),
  });

  // Written beside the old pages and swapped in, so a failed build leaves the old set whole.
  const dir = path.join(cli, 'man');
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  for (const page of pages) writeFileSync(path.join(tmp, page.file), page.text);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);

  // npm installs only the pages the "man" field lists: a command without its entry would ship
  // without a page. A warning, not a failed build (test/man-pages.test.ts fails on it).
  const listed = new Set(pjson.man ?? []);
  const missing = pages.map((p) => `./man/${p.file}`).filter((f) => !listed.has(f));
  const stale = [...listed].filter((f) => !pages.some((p) => `./man/${p.file}` === f));
  if (missing.length > 0 || stale.length > 0) {
    console.warn(
      `warning: man pages: packages/cli/package.json "man" does not match the commands${missing.length ? `; add ${missing.join(', ')}` : ''}${stale.length ? `; remove ${stale.join(', ')}` : ''}`,
    );
  }
  return pages;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeManPages(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
}
