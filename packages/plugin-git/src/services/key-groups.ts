import { ConfigError, readYaml } from '@ffphoton/core';
import type { NamedKey } from './authorized-keys.js';
import { parsePublicKey } from './ssh-public-key.js';

/**
 * Reads Photon's ssh.yaml: `group → {name: "ssh-… AAAA… comment"}`, groups built from others
 * with merge keys (`<<: *ADMINS`, `<<: [*ADMINS, *FRIENDS]`). Every key of the chosen group
 * must be a valid public key, else nothing is deployed.
 */
export function readKeyGroup(text: string, file: string, group: string): NamedKey[] {
  const data = readYaml(text, { source: file, merge: true });
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError('expected a mapping of groups', { file });
  }
  const groups = data as Record<string, unknown>;
  if (!(group in groups)) {
    throw new ConfigError(`no group ${JSON.stringify(group)}; groups: ${Object.keys(groups).join(', ')}`, {
      file,
    });
  }
  const members = groups[group];
  if (!members || typeof members !== 'object' || Array.isArray(members)) {
    throw new ConfigError('expected a mapping of key names to public keys', { file, keyPath: group });
  }
  const keys: NamedKey[] = [];
  for (const [name, line] of Object.entries(members as Record<string, unknown>)) {
    const key = typeof line === 'string' ? parsePublicKey(line) : undefined;
    if (!key) throw new ConfigError('not an OpenSSH public key line', { file, keyPath: `${group}.${name}` });
    if (!/^[A-Za-z0-9_.@-]+$/.test(name)) {
      throw new ConfigError('key names may use letters, digits and _.@- only', {
        file,
        keyPath: `${group}.${name}`,
      });
    }
    keys.push({ name, key });
  }
  return keys;
}
