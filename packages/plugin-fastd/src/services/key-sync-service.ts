import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type Clock,
  ConfigError,
  exitCodeOf,
  type FileStore,
  type GitRepository,
  type GitService,
  INPUT_LIMITS,
  partial,
  readBoundedFile,
  type ServiceManager,
  type TaskOutcome,
  UsageError,
} from '@ffphoton/core';
import { type FastdInstance, type FastdSettings, unitOf } from '../settings.js';
import {
  isIgnoredPeerName,
  isSafePeerName,
  PeerFileRefusal,
  validatePeerFile,
} from './peer-file-validator.js';
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
  /** Files in the peers directory that did not come from the key repository: left as they are. */
  kept: string[];
  signalled: boolean;
  error?: string;
}

export interface KeySyncResult {
  instances: InstanceKeySync[];
  changed: number;
}

/** Writing thousands of key files at once would run out of file descriptors. */
const WRITE_BATCH = 64;

/** `fastd sync-keys`: key repository → peers directory (validated), SIGHUP on change, verify state. */
export class KeySyncService {
  constructor(
    private readonly git: GitService,
    private readonly files: FileStore,
    private readonly services: ServiceManager,
    private readonly clock: Clock,
  ) {}

  async sync(cfg: FastdSettings): Promise<TaskOutcome<KeySyncResult>> {
    const instances = cfg.instances.filter((instance) => instance.peersRepo);
    if (instances.length === 0)
      throw new UsageError('no fastd instance has a peersRepo (settings fastd.instances[].peersRepo)');
    // One update and one read per clone (instances may share one, settings refuse it with different
    // remotes), and the clones concurrently: N unreachable repositories cost one network timeout.
    const groups = new Map<string, FastdInstance[]>();
    for (const instance of instances) {
      const local = instance.peersRepo!.local;
      groups.set(local, [...(groups.get(local) ?? []), instance]);
    }
    const outcomes = new Map<FastdInstance, SyncOutcome>();
    await Promise.all(
      [...groups.values()].map(async (group) => {
        for (const [i, outcome] of (await this.syncClone(cfg, group)).entries())
          outcomes.set(group[i], outcome);
      }),
    );
    const results = instances.map((instance) => outcomes.get(instance)!.result);
    // Nothing synced anywhere, for one reason (a held git lock, an unreachable remote): that
    // reason's own exit code (69), not "partly done".
    const errors = instances.map((instance) => outcomes.get(instance)!.error);
    if (errors.every(Boolean) && new Set(errors.map(exitCodeOf)).size === 1) throw errors[0];
    const keysOf = new Map<string, string[]>();
    for (const [instance, outcome] of outcomes) if (outcome.keys) keysOf.set(instance.name, outcome.keys);
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
      ...r.kept.map(
        (file) =>
          `${r.instance}: ${file}: not from the key repository, kept (remove it, or add it to the repository)`,
      ),
    ]);
    if (problems.length === 0) return result;
    return partial(
      result,
      problems,
      `fastd sync-keys: ${problems.length} problem(s): ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}`,
    );
  }

  /**
   * Updates and reads one key repository, then mirrors it for each instance of `group` (outcomes
   * in its order). A repository failure is every instance's failure, a mirror failure one's own.
   */
  private async syncClone(cfg: FastdSettings, group: FastdInstance[]): Promise<SyncOutcome[]> {
    const { remote, local, branch } = group[0].peersRepo!;
    const refused: RefusedPeerFile[] = [];
    let wanted: Map<string, WantedPeer>;
    let repo: GitRepository;
    try {
      // The key repository is a mirror: it follows the remote exactly and refuses files that are not the remote's.
      repo = (await this.git.update(remote, local, { branch, mirror: true })).repo;
      wanted = this.readValidPeers(repo.dir, refused);
    } catch (error) {
      return group.map((instance) => failedSync(instance, error));
    }
    const keys = [...new Set([...wanted.values()].map((peer) => peer.key))].sort();
    const outcomes: SyncOutcome[] = [];
    // Read only when a file in a peers directory is to be replaced or removed.
    let blobs: Promise<Set<string>> | undefined;
    const fromRepository = async (bytes: Buffer) => {
      blobs ??= repo.blobNames();
      const known = await blobs;
      return known.has(blobName(bytes, known));
    };
    for (const instance of group) {
      const result = { ...emptySync(instance.name), keys: keys.length, refused: [...refused] };
      try {
        await this.syncInstance(cfg, instance, wanted, result, fromRepository);
        outcomes.push({ result, keys });
      } catch (error) {
        outcomes.push(failedSync(instance, error));
      }
    }
    return outcomes;
  }

  /** Mirrors the valid peers into the instance's peers directory; SIGHUP when it changed. */
  private async syncInstance(
    cfg: FastdSettings,
    instance: FastdInstance,
    wanted: Map<string, WantedPeer>,
    result: InstanceKeySync,
    fromRepository: (bytes: Buffer) => Promise<boolean>,
  ): Promise<void> {
    if (!instance.peersDir) return;
    await this.mirror(
      instance.peersDir,
      wanted,
      new Set(result.refused.map((r) => r.file)),
      result,
      fromRepository,
    );
    if (result.added.length + result.updated.length + result.removed.length > 0) {
      // SIGHUP makes fastd re-read its peer directories (and only those).
      await this.services.signal(unitOf(instance), 'HUP', cfg.signalCommand);
      result.signalled = true;
    }
  }

  /**
   * Every acceptable peer file of the clone (top level, as fastd reads a peer dir). Key files are
   * tiny and thousands: a synchronous read is one syscall round trip, where fs/promises takes four
   * thread-pool hops per file (≈15× slower for 5,000 files); nothing else runs meanwhile.
   */
  private readValidPeers(clone: string, refused: RefusedPeerFile[]): Map<string, WantedPeer> {
    const entries = readdirSync(clone, { withFileTypes: true })
      .filter((entry) => entry.isFile() && !isIgnoredPeerName(entry.name))
      .map((entry) => entry.name)
      .sort();
    const wanted = new Map<string, WantedPeer>();
    const owner = new Map<string, string>();
    for (const name of entries) {
      if (!isSafePeerName(name)) {
        refused.push({ file: name, reason: 'unsafe file name' });
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = readBoundedFile(path.join(clone, name), {
          maxBytes: INPUT_LIMITS.peerFileBytes,
          kind: 'peer file',
        });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        refused.push({ file: name, reason: error.detail });
        continue;
      }
      try {
        const { key } = validatePeerFile(bytes.toString('utf8'));
        const first = owner.get(key);
        if (first) throw new PeerFileRefusal(`duplicate key, already in ${first}`);
        owner.set(key, name);
        wanted.set(name, { key, bytes });
      } catch (error) {
        if (!(error instanceof PeerFileRefusal)) throw error;
        refused.push({ file: name, reason: error.message });
      }
    }
    return wanted;
  }

  /**
   * Adds and updates the valid files, removes vanished ones; a refused file's old copy is left alone.
   * Only what the key repository once held is replaced or removed: a file an admin put there (its
   * bytes were never in the repository) is kept and reported. One listing and a byte comparison per
   * file: an unchanged run writes nothing.
   */
  private async mirror(
    dir: string,
    wanted: Map<string, WantedPeer>,
    refused: Set<string>,
    result: InstanceKeySync,
    fromRepository: (bytes: Buffer) => Promise<boolean>,
  ): Promise<void> {
    await this.files.mkdir(dir);
    const hostDir = this.files.resolve(dir);
    const existing = new Set(listNames(hostDir).filter((name) => !isIgnoredPeerName(name)));
    // Ours: bytes the repository once held, or (replacing a file of the same name) the same peer's
    // key in other words — a peers directory from before photon. Anything else is an admin's file.
    const ours = async (name: string, replacing?: WantedPeer) => {
      const bytes = readIfFile(path.join(hostDir, name));
      if (bytes === undefined || (await fromRepository(bytes))) return true;
      if (replacing && keyOf(bytes) === replacing.key) return true;
      result.kept.push(name);
      return false;
    };
    const changed: [string, WantedPeer][] = [];
    for (const [name, peer] of wanted) {
      const bytes = existing.has(name) ? readIfFile(path.join(hostDir, name)) : undefined;
      if (bytes?.equals(peer.bytes)) continue;
      if (!existing.has(name) || (await ours(name, peer))) changed.push([name, peer]);
    }
    // Parallel writes overlap their fsyncs (the first run writes every file).
    for (let i = 0; i < changed.length; i += WRITE_BATCH) {
      await Promise.all(
        changed.slice(i, i + WRITE_BATCH).map(async ([name, peer]) => {
          const update = existing.has(name);
          await this.files.writeAtomic(
            path.posix.join(dir, name),
            peer.bytes,
            { mode: 0o644 },
            update ? 'update' : 'create',
          );
          (update ? result.updated : result.added).push(name);
        }),
      );
    }
    for (const name of [...existing].sort()) {
      if (wanted.has(name) || refused.has(name) || !(await ours(name))) continue;
      await this.files.remove(path.posix.join(dir, name));
      result.removed.push(name);
    }
    result.added.sort();
    result.updated.sort();
    result.kept.sort();
  }
}

interface WantedPeer {
  key: string;
  bytes: Buffer;
}

/** `keys` only when the instance synced: a failed one keeps its previous verify state. */
interface SyncOutcome {
  result: InstanceKeySync;
  keys: string[] | undefined;
  error?: unknown;
}

function listNames(hostDir: string): string[] {
  try {
    return readdirSync(hostDir);
  } catch (error) {
    // Only in --dry-run, which does not create the directory.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The file's bytes; undefined when it is unreadable or not a file (a write then reports a real problem). */
function readIfFile(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** The key of a peer file fastd would accept, else undefined. */
function keyOf(bytes: Buffer): string | undefined {
  try {
    return validatePeerFile(bytes.toString('utf8')).key;
  } catch {
    return undefined;
  }
}

/** git's object name of a blob with these bytes (SHA-1, or SHA-256 in a repository that uses it). */
function blobName(bytes: Buffer, known: Set<string>): string {
  const sha256 = known.values().next().value?.length === 64;
  return createHash(sha256 ? 'sha256' : 'sha1')
    .update(`blob ${bytes.length}\0`)
    .update(bytes)
    .digest('hex');
}

function emptySync(instance: string): InstanceKeySync {
  return { instance, keys: 0, added: [], updated: [], removed: [], refused: [], kept: [], signalled: false };
}

function failedSync(instance: FastdInstance, error: unknown): SyncOutcome {
  return {
    result: { ...emptySync(instance.name), error: (error as Error).message },
    keys: undefined,
    error,
  };
}
