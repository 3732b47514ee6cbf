import { type PublicKey, parsePublicKey } from './ssh-public-key.js';

/** Comment line photon puts above every key it added; `--prune` only touches these. */
export const MARKER_PREFIX = '# photon-managed:';

export interface NamedKey {
  name: string;
  key: PublicKey;
}

export interface AuthorizedKeysPlan {
  text: string;
  added: string[];
  removed: string[];
  /** Keys of the group that were already there (marked or not). */
  present: string[];
}

interface Marker {
  group: string;
  name: string;
}

function parseMarker(line: string): Marker | undefined {
  if (!line.startsWith(MARKER_PREFIX)) return undefined;
  const match = /group=(\S+)\s+name=(\S+)/.exec(line);
  return match ? { group: match[1], name: match[2] } : undefined;
}

/** The key blob of an authorized_keys line, which may start with options. */
export function blobOf(line: string): string | undefined {
  const tokens = line.trim().split(/\s+/);
  for (let i = 0; i < tokens.length - 1; i++) {
    const key = parsePublicKey(tokens.slice(i).join(' '));
    if (key) return key.blob;
  }
  return undefined;
}

/**
 * Adds the group's keys that are missing; with `prune`, drops keys photon added for this
 * group that are no longer in it. Keys photon did not add are never removed.
 */
export function planAuthorizedKeys(
  current: string,
  group: string,
  keys: NamedKey[],
  prune: boolean,
): AuthorizedKeysPlan {
  const wanted = new Set(keys.map((k) => k.key.blob));
  const lines = current.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const kept: string[] = [];
  const removed: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = parseMarker(lines[i]);
    const next = lines[i + 1];
    if (marker && next !== undefined && prune && marker.group === group) {
      const blob = blobOf(next);
      if (blob && !wanted.has(blob)) {
        removed.push(marker.name);
        i++;
        continue;
      }
    }
    kept.push(lines[i]);
  }
  const presentBlobs = new Set(kept.map(blobOf).filter((b): b is string => b !== undefined));
  const added: string[] = [];
  const present: string[] = [];
  for (const { name, key } of keys) {
    if (presentBlobs.has(key.blob)) {
      present.push(name);
      continue;
    }
    kept.push(`${MARKER_PREFIX} group=${group} name=${name}`, key.line);
    presentBlobs.add(key.blob);
    added.push(name);
  }
  return { text: kept.length > 0 ? `${kept.join('\n')}\n` : '', added, removed, present };
}
