import { promises as fsp } from 'node:fs';
import path from 'node:path';
import {
  type Clock,
  type FileStore,
  type Logger,
  PartialFailureError,
  type ServiceManager,
  UsageError,
} from '@ffphoton/core';
import { type FastdInstance, type FastdSettings, unitOf } from '../settings.js';
import {
  isIgnoredPeerName,
  isSafePeerName,
  PeerFileRefusal,
  validatePeerFile,
} from './peer-file-validator.js';
import type { PeersRepository } from './peers-repository.js';
import { VerifyStateStore } from './verify-state-store.js';

export interface RefusedPeerFile {
  file: string;
  reason: string;
}

export interface InstanceKeySync {
  instance: string;
  keys: number;
  added: string[];
  updated: string[];
  removed: string[];
  refused: RefusedPeerFile[];
  signalled: boolean;
  error?: string;
}

export interface KeySyncResult {
  instances: InstanceKeySync[];
  changed: number;
}

/** Reading thousands of key files at once would run out of file descriptors. */
const READ_BATCH = 256;

/** `fastd sync-keys`: key repository → peers directory (validated), SIGHUP on change, verify state. */
export class KeySyncService {
  constructor(
    private readonly repository: PeersRepository,
    private readonly files: FileStore,
    private readonly services: ServiceManager,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async sync(cfg: FastdSettings): Promise<KeySyncResult> {
    const instances = cfg.instances.filter((instance) => instance.peersRepo);
    if (instances.length === 0)
      throw new UsageError('no fastd instance has a peersRepo (settings fastd.instances[].peersRepo)');
    const results: InstanceKeySync[] = [];
    const keysOf = new Map<string, string[]>();
    for (const instance of instances) {
      const outcome = await this.syncOne(cfg, instance).catch((error: unknown) => ({
        result: { ...emptySync(instance.name), error: (error as Error).message },
        keys: undefined,
      }));
      results.push(outcome.result);
      if (outcome.keys) keysOf.set(instance.name, outcome.keys);
    }
    await new VerifyStateStore(this.files, cfg.verifyStateFile, () => this.clock.now()).update(
      instances.filter((instance) => keysOf.has(instance.name)),
      (entry, instance) => {
        entry.keys = keysOf.get(instance.name)!;
      },
    );
    const result: KeySyncResult = {
      instances: results,
      changed: results.filter((r) => r.added.length + r.updated.length + r.removed.length > 0).length,
    };
    const problems = results.flatMap((r) => [
      ...(r.error ? [`${r.instance}: ${r.error}`] : []),
      ...r.refused.map((refused) => `${r.instance}: ${refused.file}: ${refused.reason}`),
    ]);
    if (problems.length > 0) {
      throw new PartialFailureError(
        `fastd sync-keys: ${problems.length} problem(s): ${problems.join('; ')}`,
        problems,
        result,
      );
    }
    return result;
  }

  private async syncOne(
    cfg: FastdSettings,
    instance: FastdInstance,
  ): Promise<{ result: InstanceKeySync; keys: string[] }> {
    const result = emptySync(instance.name);
    const clone = await this.repository.update(instance.peersRepo!);
    const wanted = await this.readValidPeers(clone, result.refused);
    const keys = [...new Set([...wanted.values()].map((peer) => peer.key))].sort();
    result.keys = keys.length;
    if (instance.peersDir) {
      await this.mirror(instance.peersDir, wanted, new Set(result.refused.map((r) => r.file)), result);
      if (result.added.length + result.updated.length + result.removed.length > 0) {
        // SIGHUP makes fastd re-read its peer directories (and only those).
        await this.services.signal(unitOf(instance), 'HUP', cfg.signalCommand);
        result.signalled = true;
      }
    }
    for (const refused of result.refused)
      this.logger.error(
        { instance: instance.name, ...refused },
        `refused peer file ${refused.file}: ${refused.reason}`,
      );
    return { result, keys };
  }

  /** Every acceptable peer file of the clone (top level, as fastd reads a peer dir). */
  private async readValidPeers(
    clone: string,
    refused: RefusedPeerFile[],
  ): Promise<Map<string, { key: string; text: string }>> {
    const listing = await fsp.readdir(clone, { withFileTypes: true });
    const entries = listing
      .filter((entry) => entry.isFile() && !isIgnoredPeerName(entry.name))
      .map((entry) => entry.name)
      .sort();
    const texts: string[] = [];
    for (let i = 0; i < entries.length; i += READ_BATCH) {
      texts.push(
        ...(await Promise.all(
          entries.slice(i, i + READ_BATCH).map((name) => fsp.readFile(path.join(clone, name), 'utf8')),
        )),
      );
    }
    const wanted = new Map<string, { key: string; text: string }>();
    const owner = new Map<string, string>();
    entries.forEach((name, i) => {
      if (!isSafePeerName(name)) {
        refused.push({ file: name, reason: 'unsafe file name' });
        return;
      }
      try {
        const { key } = validatePeerFile(texts[i]);
        const first = owner.get(key);
        if (first) throw new PeerFileRefusal(`duplicate key, already in ${first}`);
        owner.set(key, name);
        wanted.set(name, { key, text: texts[i] });
      } catch (error) {
        if (!(error instanceof PeerFileRefusal)) throw error;
        refused.push({ file: name, reason: error.message });
      }
    });
    return wanted;
  }

  /** Adds and updates the valid files, removes vanished ones; a refused file's old copy is left alone. */
  private async mirror(
    dir: string,
    wanted: Map<string, { text: string }>,
    refused: Set<string>,
    result: InstanceKeySync,
  ): Promise<void> {
    await this.files.mkdir(dir);
    const existing = new Set((await this.files.list(dir)).filter((name) => !isIgnoredPeerName(name)));
    const names = [...wanted.keys()];
    for (let i = 0; i < names.length; i += READ_BATCH) {
      await Promise.all(
        names.slice(i, i + READ_BATCH).map(async (name) => {
          const written = await this.files.writeIfChanged(
            path.posix.join(dir, name),
            wanted.get(name)!.text,
            { mode: 0o644 },
          );
          if (written.changed) (existing.has(name) ? result.updated : result.added).push(name);
        }),
      );
    }
    for (const name of existing) {
      if (wanted.has(name) || refused.has(name)) continue;
      await this.files.remove(path.posix.join(dir, name));
      result.removed.push(name);
    }
    result.added.sort();
    result.updated.sort();
  }
}

function emptySync(instance: string): InstanceKeySync {
  return { instance, keys: 0, added: [], updated: [], removed: [], refused: [], signalled: false };
}
