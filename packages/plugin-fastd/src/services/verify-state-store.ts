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

  /**
   * Applies `change` to a fresh copy of each listed instance's entry (created empty when missing) and
   * writes atomically when the result differs from the file. Instances not listed keep their entries:
   * a failed instance keeps the keys and limits of its last good run.
   */
  async update(
    instances: FastdInstance[],
    change: (entry: VerifyInstanceState, instance: FastdInstance) => void,
  ): Promise<void> {
    const current = readVerifyState(this.files.resolve(this.file));
    const entries: Record<string, VerifyInstanceState> = { ...current?.instances };
    for (const instance of instances) {
      // A copy: comparing against `current` needs `current` untouched by `change`.
      const previous = entries[instance.name];
      const entry: VerifyInstanceState = {
        interface: instance.interface,
        keys: [...(previous?.keys ?? [])],
        limit: previous?.limit ?? null,
        connected: previous?.connected ?? null,
      };
      change(entry, instance);
      entries[instance.name] = entry;
    }
    // An unchanged state is not rewritten (an unchanged sync-keys run writes nothing); `updated` is the last change.
    if (current && JSON.stringify(entries) === JSON.stringify(current.instances)) return;
    const next: VerifyState = { version: 1, updated: this.now().toISOString(), instances: entries };
    await this.files.writeAtomic(this.file, `${JSON.stringify(next)}\n`, { mode: 0o644 });
  }
}
