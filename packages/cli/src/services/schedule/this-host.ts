import { ConfigError } from '@ffphoton/core';
import type { FleetSettings } from '../../settings.js';

/** `--host NAME`, else `fleet.self` (a name or an index), else this machine's host name. */
export function resolveFleetHost(
  fleet: Pick<FleetSettings, 'hosts' | 'self'>,
  flag: string | undefined,
  hostname: string,
): string {
  const names = fleet.hosts.map((h) => h.name);
  if (fleet.self !== undefined && flag === undefined && typeof fleet.self === 'number') {
    const host = names[fleet.self];
    if (host === undefined)
      throw new ConfigError(`index ${fleet.self} is outside the ${names.length} hosts`, {
        keyPath: 'fleet.self',
      });
    return host;
  }
  const wanted = flag ?? (fleet.self as string | undefined) ?? hostname;
  const found = names.find((name) => name.toLowerCase() === wanted.toLowerCase());
  if (found) return found;
  const source = flag !== undefined ? '--host' : fleet.self !== undefined ? 'fleet.self' : 'this host name';
  throw new ConfigError(
    `${source} "${wanted}" is not in fleet.hosts (${names.join(', ') || 'none'}); use --host or fleet.self`,
  );
}
