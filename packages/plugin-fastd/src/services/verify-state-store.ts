import type { FileStore } from '@ffphoton/core';
import type { FastdInstance } from '../settings.js';
import { readVerifyState, type VerifyInstanceState, type VerifyState } from '../verify-state.js';

/** Writes the small state file `fastd verify` reads; `sync-keys` fills the keys, `limit` the limits. */
export class VerifyStateStore {
  constructor(
    private readonly files: FileStore,
    private readonly file: string,
    private readonly now: () => Date,
  ) {}

  /** Applies `change` to each instance's entry (created empty when missing) and writes atomically if that changed it. */
  async update(
    instances: FastdInstance[],
    change: (entry: VerifyInstanceState, instance: FastdInstance) => void,
  ): Promise<void> {
    const current = readVerifyState(this.files.resolve(this.file));
    const next: VerifyState = {
      version: 1,
      updated: this.now().toISOString(),
      instances: { ...current?.instances },
    };
    for (const instance of instances) {
      const entry = next.instances[instance.name] ?? {
        interface: instance.interface,
        keys: [],
        limit: null,
        connected: null,
      };
      entry.interface = instance.interface;
      change(entry, instance);
      next.instances[instance.name] = entry;
    }
    // An unchanged state is not rewritten (an unchanged sync-keys run writes nothing); `updated` is the last change.
    if (current && JSON.stringify(next.instances) === JSON.stringify(current.instances)) return;
    await this.files.writeAtomic(this.file, `${JSON.stringify(next)}\n`, { mode: 0o644 });
  }
}
