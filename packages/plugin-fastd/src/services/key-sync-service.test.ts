import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ExitCode,
  exitCodeOf,
  FileStore,
  GitLocalChangesError,
  GitLockedError,
  GitService,
  gitSettings,
  PartialFailureError,
  RootSandbox,
  type ServiceManager,
} from '@ffphoton/core';
import { tempDir } from '@ffphoton/core/testing';
import { describe, expect, it } from 'vitest';
import { fastdSettings } from '../settings.js';
import { KeyRepo } from '../test-helpers/key-repo.js';
import { readVerifyState } from '../verify-state.js';
import { type InstanceKeySync, KeySyncService } from './key-sync-service.js';

const key = (n: number) => n.toString(16).padStart(64, '0');
const peer = (n: number) => `key "${key(n)}";\n`;

/**
 * A sandbox root with a key repository and one or two instances; no fastd daemon: SIGHUPs are
 * recorded, everything else (git, files, the verify state) is real.
 */
function bed(name: string, instances = ['mz']) {
  const dir = tempDir(name);
  const root = path.join(dir, 'root');
  mkdirSync(root);
  const repo = new KeyRepo(dir);
  const signals: string[] = [];
  const services = {
    signal: async (unit: string, signal: string) => {
      signals.push(`${unit} ${signal}`);
    },
  } as unknown as ServiceManager;
  const cfg = fastdSettings.schema.parse({
    verifyStateFile: '/var/lib/photon/fastd-verify.json',
    instances: instances.map((instance) => ({
      name: instance,
      interface: `${instance}VPN`,
      configFile: `/etc/fastd/${instance}/fastd.conf`,
      statusSocket: `/run/fastd-${instance}.sock`,
      peersDir: `/etc/fastd/${instance}/peers`,
      peersRepo: { remote: repo.origin, local: '/var/lib/photon/keys' },
    })),
  });
  const files = new FileStore(new RootSandbox(root), { dryRun: false });
  const gitService = new GitService(gitSettings.schema.parse({ networkTimeoutSeconds: 30 }), files, 'gw1');
  const service = new KeySyncService(gitService, files, services, { now: () => new Date() });
  const sync = () => service.sync(cfg);
  const peers = (instance = 'mz') => {
    const peersDir = path.join(root, 'etc/fastd', instance, 'peers');
    return existsSync(peersDir) ? readdirSync(peersDir).sort() : [];
  };
  const state = () => readVerifyState(path.join(root, 'var/lib/photon/fastd-verify.json'));
  const clone = path.join(root, 'var/lib/photon/keys');
  return { dir, root, repo, signals, sync, peers, state, clone, cfg };
}

const counts = (r: InstanceKeySync) => [r.added, r.updated, r.removed, r.kept];

describe('KeySyncService against real git and files (no daemon)', () => {
  it('follows the repository over cycles: added, changed, removed, rewound; the verify state too', async () => {
    const t = bed('keysync-cycles');
    t.repo.commit({ n1: peer(1), 'README.md': '# keys\n' });
    let run = await t.sync();
    expect(counts(run.instances[0])).toEqual([['n1'], [], [], []]);
    expect(t.peers()).toEqual(['n1']);
    expect(t.state()?.instances.mz.keys).toEqual([key(1)]);
    t.repo.commit({ n2: peer(2) });
    run = await t.sync();
    expect(counts(run.instances[0])).toEqual([['n2'], [], [], []]);
    expect(t.state()?.instances.mz.keys).toEqual([key(1), key(2)]);
    // Nothing changed: nothing written, nothing signalled.
    const before = readFileSync(path.join(t.root, 'var/lib/photon/fastd-verify.json'), 'utf8');
    run = await t.sync();
    expect(run.changed).toBe(0);
    expect(readFileSync(path.join(t.root, 'var/lib/photon/fastd-verify.json'), 'utf8')).toBe(before);
    t.repo.commit({ n1: `${peer(1)}float yes;\n`, n2: null, n3: peer(3) });
    run = await t.sync();
    expect(counts(run.instances[0])).toEqual([['n3'], ['n1'], ['n2'], []]);
    expect(t.peers()).toEqual(['n1', 'n3']);
    expect(t.state()?.instances.mz.keys).toEqual([key(1), key(3)]);
    // The remote is rewound (reset --hard HEAD~1 && push -f): the mirror follows, n3 leaves, n2 returns.
    t.repo.rewind();
    run = await t.sync();
    expect(counts(run.instances[0])).toEqual([['n2'], ['n1'], ['n3'], []]);
    expect(t.peers()).toEqual(['n1', 'n2']);
    expect(t.state()?.instances.mz.keys).toEqual([key(1), key(2)]);
    expect(t.signals).toEqual(['fastd@mz HUP', 'fastd@mz HUP', 'fastd@mz HUP', 'fastd@mz HUP']);
  });

  it('keeps and names a file an admin put into the peers directory (exit 5), syncs the rest', async () => {
    const t = bed('keysync-admin-peers');
    t.repo.commit({ n1: peer(1), n2: peer(2) });
    await t.sync();
    const peersDir = path.join(t.root, 'etc/fastd/mz/peers');
    writeFileSync(path.join(peersDir, 'local-node'), peer(9));
    // n2 now holds another peer's key: an admin's file. n3 holds n3's key in other words (a peers
    // directory from before photon): the same peer, replaced by the repository's file.
    writeFileSync(path.join(peersDir, 'n2'), peer(8));
    writeFileSync(path.join(peersDir, 'n3'), `# node three\nkey "${key(3).toUpperCase()}";\n`);
    t.repo.commit({ n1: null, n2: `${peer(2)}float yes;\n`, n3: peer(3) });
    const error = await t.sync().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartialFailureError);
    expect((error as PartialFailureError).problems).toEqual([
      'mz: local-node: not from the key repository, kept (remove it, or add it to the repository)',
      'mz: n2: not from the key repository, kept (remove it, or add it to the repository)',
    ]);
    const result = (error as PartialFailureError).result as { instances: InstanceKeySync[] };
    expect(counts(result.instances[0])).toEqual([[], ['n3'], ['n1'], ['local-node', 'n2']]);
    expect(t.peers()).toEqual(['local-node', 'n2', 'n3']);
    expect(readFileSync(path.join(peersDir, 'local-node'), 'utf8')).toBe(peer(9));
    expect(readFileSync(path.join(peersDir, 'n2'), 'utf8')).toBe(peer(8));
    expect(readFileSync(path.join(peersDir, 'n3'), 'utf8')).toBe(peer(3));
    // The verify state is the repository's keys, not the admin's.
    expect(t.state()?.instances.mz.keys).toEqual([key(2), key(3)]);
  });

  it('refuses an admin file in the clone by name (exit 5), keeps it and the last synced state', async () => {
    const t = bed('keysync-admin-clone');
    t.repo.commit({ n1: peer(1) });
    await t.sync();
    writeFileSync(path.join(t.clone, 'dropped'), peer(7));
    t.repo.commit({ n1: null, n2: peer(2) });
    const error = await t.sync().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitLocalChangesError);
    expect(exitCodeOf(error)).toBe(ExitCode.Partial);
    expect((error as Error).message).toContain('1 file(s) not from the remote: dropped; they are kept');
    expect(readFileSync(path.join(t.clone, 'dropped'), 'utf8')).toBe(peer(7));
    expect(t.peers()).toEqual(['n1']);
    expect(t.state()?.instances.mz.keys).toEqual([key(1)]);
  });

  it('exits 69 on a git lock that may be live and changes nothing', async () => {
    const t = bed('keysync-lock');
    t.repo.commit({ n1: peer(1) });
    await t.sync();
    writeFileSync(path.join(t.clone, '.git/index.lock'), '');
    t.repo.commit({ n2: peer(2) });
    const error = await t.sync().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitLockedError);
    expect(exitCodeOf(error)).toBe(ExitCode.Unavailable);
    expect(t.peers()).toEqual(['n1']);
  });

  it('a failed instance keeps its keys in the verify state while the other one moves on', async () => {
    const t = bed('keysync-two', ['mz', 'wi']);
    t.repo.commit({ n1: peer(1) });
    await t.sync();
    expect(t.state()?.instances).toMatchObject({ mz: { keys: [key(1)] }, wi: { keys: [key(1)] } });
    // wi's peers directory is not a directory (tests run as root: modes would not stop the write).
    const wiPeers = path.join(t.root, 'etc/fastd/wi/peers');
    renameSync(wiPeers, `${wiPeers}.away`);
    writeFileSync(wiPeers, '');
    t.repo.commit({ n2: peer(2) });
    const error = await t.sync().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartialFailureError);
    expect((error as PartialFailureError).problems).toHaveLength(1);
    expect((error as PartialFailureError).problems[0]).toMatch(/^wi: /);
    rmSync(wiPeers);
    renameSync(`${wiPeers}.away`, wiPeers);
    expect(t.state()?.instances).toMatchObject({ mz: { keys: [key(1), key(2)] }, wi: { keys: [key(1)] } });
    await t.sync();
    expect(t.state()?.instances).toMatchObject({
      mz: { keys: [key(1), key(2)] },
      wi: { keys: [key(1), key(2)] },
    });
    expect(t.peers('wi')).toEqual(['n1', 'n2']);
  });
});
