import os from 'node:os';

/** The short host name (before the first dot), as Photon's `get_hostname` returned it. */
export function shortHostname(full: string = os.hostname()): string {
  return full.split('.')[0] ?? full;
}
