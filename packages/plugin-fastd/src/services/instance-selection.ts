import { UsageError } from '@ffphoton/core';
import type { FastdInstance } from '../settings.js';

/** The configured instances named on the command line (all of them when none is named). */
export function selectInstances(all: FastdInstance[], names: string[]): FastdInstance[] {
  if (all.length === 0) throw new UsageError('no fastd instances configured (settings fastd.instances)');
  if (names.length === 0) return all;
  return names.map((name) => {
    const found = all.find((instance) => instance.name === name);
    if (!found)
      throw new UsageError(
        `unknown fastd instance ${name} (configured: ${all.map((i) => i.name).join(', ')})`,
      );
    return found;
  });
}
