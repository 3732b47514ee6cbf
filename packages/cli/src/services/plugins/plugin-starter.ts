import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { type FileStore, UsageError } from '@ffphoton/core';

export interface StarterNames {
  /** The npm package name, e.g. photon-plugin-barcheck. */
  name: string;
  /** The command topic and settings namespace, e.g. barcheck. */
  topic: string;
  camel: string;
  pascal: string;
}

/**
 * A plugin's names from its package name: `photon-plugin-barcheck` (or `@org/photon-plugin-barcheck`)
 * gives the topic `barcheck`. The topic is a settings namespace too, hence lower-case letters and digits.
 */
export function starterNames(name: string): StarterNames {
  if (!/^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/.test(name) || name.length > 214) {
    throw new UsageError(
      `"${name}" is not a valid npm package name (lower case, e.g. photon-plugin-barcheck)`,
    );
  }
  const topic = name.replace(/^@[^/]+\//, '').replace(/^photon-plugin-/, '');
  if (!/^[a-z][a-z0-9]*$/.test(topic)) {
    throw new UsageError(
      `"${topic}" (from "${name}") cannot be a command topic and settings namespace: use lower-case letters and digits, e.g. photon-plugin-barcheck`,
    );
  }
  const pascal = topic[0].toUpperCase() + topic.slice(1);
  return { name, topic, camel: topic, pascal };
}

/**
 * The starter's files (relative path → content) for `names`, depending on @ffphoton/core ^`coreVersion`,
 * from the templates in `starterDir` (packages/cli/starter, shipped with the CLI).
 */
export async function starterFiles(
  names: StarterNames,
  coreVersion: string,
  starterDir: string,
): Promise<Map<string, string>> {
  const fill = (text: string) =>
    text
      .replaceAll('__name__', names.name)
      .replaceAll('__topic__', names.topic)
      .replaceAll('__camel__', names.camel)
      .replaceAll('__Pascal__', names.pascal)
      .replaceAll('__coreVersion__', coreVersion);
  const files = new Map<string, string>();
  const root = starterDir;
  for (const entry of await fsp.readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.tmpl')) continue;
    const template = path.relative(root, path.join(entry.parentPath, entry.name));
    // npm never packs a file named .gitignore, hence the template's plain name.
    const target = fill(template.replace(/\.tmpl$/, '')).replace(/^gitignore$/, '.gitignore');
    files.set(target, fill(await fsp.readFile(path.join(root, template), 'utf8')));
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Writes the starter into `dir`, which must not exist or be empty; returns the written paths. */
export async function writeStarter(
  files: FileStore,
  dir: string,
  starter: Map<string, string>,
): Promise<string[]> {
  if ((await files.list(dir)).length > 0) {
    throw new UsageError(`${dir} is not empty; choose another --dir`);
  }
  const written: string[] = [];
  for (const [file, content] of starter) {
    const target = path.join(dir, file);
    await files.writeAtomic(target, content, {}, 'create');
    written.push(target);
  }
  return written;
}
