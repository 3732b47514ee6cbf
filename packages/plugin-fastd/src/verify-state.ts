// The on-verify decision. fastd runs the hook on every handshake, so this module imports
// nothing but node:fs: no settings, no DI, no logger (see verify-hook.ts).
import { readFileSync } from 'node:fs';

export interface VerifyInstanceState {
  interface: string;
  /** Keys synced from the peers repository (64 hex, lower case). */
  keys: string[];
  /** The peer limit and connected count of the last `fastd limit` run; null before the first. */
  limit: number | null;
  connected: number | null;
}

export interface VerifyState {
  version: 1;
  updated: string;
  instances: Record<string, VerifyInstanceState>;
}

export type VerifyVerdict =
  | { accept: true; instance: string }
  | {
      accept: false;
      instance?: string;
      reason: 'no-state' | 'unknown-instance' | 'unknown-key' | 'limit-reached';
    };

export function readVerifyState(file: string): VerifyState | undefined {
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as VerifyState;
    return state?.version === 1 && typeof state.instances === 'object' ? state : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Accept iff the key is known and the instance is below its limit. The instance is the one
 * named, else the one whose interface is fastd's $INTERFACE, else the only one.
 */
export function decideVerify(
  state: VerifyState | undefined,
  key: string,
  select: { instance?: string; interface?: string },
): VerifyVerdict {
  if (!state) return { accept: false, reason: 'no-state' };
  const names = Object.keys(state.instances);
  const instance =
    select.instance ??
    (select.interface
      ? names.find((name) => state.instances[name].interface === select.interface)
      : undefined) ??
    (names.length === 1 && !select.interface ? names[0] : undefined);
  const entry = instance === undefined ? undefined : state.instances[instance];
  if (!entry || instance === undefined) return { accept: false, reason: 'unknown-instance' };
  if (!entry.keys.includes(key.toLowerCase())) return { accept: false, instance, reason: 'unknown-key' };
  if (entry.limit !== null && entry.connected !== null && entry.connected >= entry.limit) {
    return { accept: false, instance, reason: 'limit-reached' };
  }
  return { accept: true, instance };
}
