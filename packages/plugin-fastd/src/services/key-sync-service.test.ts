import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import {
  ExitCode,
  exitCodeOf,
  FileStore,
  GitLocalChangesError,
  GitLockedError,
  GitService,
  gitSettings,
  partial,
  RootSandbox,
  RunChanges,
  type ServiceManager,
  UsageError,
} from '@ffphoton/core';
import { completeResult, partialOutcome, tempDir } from '@ffphoton/core/testing';
import { describe, expect, it } from 'vitest';
import { fastdSettings } from '../settings.js';
import { KeyRepo } from '../test-helpers/key-repo.js';
import { canSetUmask, withUmask } from '../test-helpers/umask.js';
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
  const sync = async () => completeResult(await service.sync(cfg));
  const partly = async () => partialOutcome(await service.sync(cfg));
  const peers = (instance = 'mz') => {
    const peersDir = path.join(root, 'etc/fastd', instance, 'peers');
    return existsSync(peersDir) ? readdirSync(peersDir).sort() : [];
  };
  const state = () => readVerifyState(path.join(root, 'var/lib/photon/fastd-verify.json'));
  const clone = path.join(root, 'var/lib/photon/keys');
  return { dir, root, repo, signals, sync, partly, peers, state, clone, cfg };
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
    const { result, problems } = await t.partly();
    expect(problems).toEqual([
      'mz: local-node: not from the key repository, kept (remove it, or add it to the repository)',
      'mz: n2: not from the key repository, kept (remove it, or add it to the repository)',
    ]);
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
    const { problems } = await t.partly();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^wi: /);
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

interface FleetInstance {
  name: string;
  /** Which key repository (by name); none: no peersRepo. */
  repo?: string;
  /** Default: a peers directory; false: keys for `on verify` only. */
  peersDir?: boolean;
}

/** Like `bed`, for several instances and key repositories, dry-run and SHA-256 repositories. */
function fleet(
  name: string,
  instances: FleetInstance[],
  options: { objectFormat?: 'sha1' | 'sha256'; repos?: string[] } = {},
) {
  const dir = tempDir(name);
  const root = path.join(dir, 'root');
  mkdirSync(root);
  const repos = Object.fromEntries(
    (options.repos ?? ['keys']).map((repo) => [
      repo,
      new KeyRepo(dir, { name: repo, objectFormat: options.objectFormat }),
    ]),
  );
  const signals: string[] = [];
  const services = {
    signal: async (unit: string, signal: string) => {
      signals.push(`${unit} ${signal}`);
    },
  } as unknown as ServiceManager;
  const cfg = fastdSettings.schema.parse({
    verifyStateFile: '/var/lib/photon/fastd-verify.json',
    instances: instances.map((instance) => ({
      name: instance.name,
      interface: `${instance.name}VPN`,
      configFile: `/etc/fastd/${instance.name}/fastd.conf`,
      statusSocket: `/run/fastd-${instance.name}.sock`,
      ...(instance.peersDir === false ? {} : { peersDir: `/etc/fastd/${instance.name}/peers` }),
      ...(instance.repo
        ? {
            peersRepo: {
              remote: repos[instance.repo]?.origin ?? path.join(dir, 'missing.git'),
              local: `/var/lib/photon/${instance.repo}`,
            },
          }
        : {}),
    })),
  });
  const changes = new RunChanges();
  const service = (dryRun = false) => {
    const files = new FileStore(new RootSandbox(root), { dryRun, recorder: changes });
    const git = new GitService(gitSettings.schema.parse({ networkTimeoutSeconds: 30 }), files, 'gw1');
    return new KeySyncService(git, files, services, { now: () => new Date() });
  };
  const sync = async (dryRun = false) => completeResult(await service(dryRun).sync(cfg));
  const partly = async (dryRun = false) => partialOutcome(await service(dryRun).sync(cfg));
  const failure = async (dryRun = false) => {
    const error = await service(dryRun)
      .sync(cfg)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  };
  const peersDir = (instance: string) => path.join(root, 'etc/fastd', instance, 'peers');
  const peers = (instance: string) =>
    existsSync(peersDir(instance)) ? readdirSync(peersDir(instance)).sort() : [];
  const state = () => readVerifyState(path.join(root, 'var/lib/photon/fastd-verify.json'));
  const clone = (repo: string) => path.join(root, 'var/lib/photon', repo);
  /** The peers directories' recorded changes since the last call. */
  const peerChanges = () =>
    changes.files
      .splice(0)
      .filter((change) => change.path.startsWith('/etc/fastd/'))
      .map(({ path, action }) => `${action} ${path}`);
  return { root, cfg, repos, signals, sync, partly, failure, peersDir, peers, state, clone, peerChanges };
}

const synced = (instance: string, fields: Partial<InstanceKeySync>): InstanceKeySync => ({
  instance,
  keys: 0,
  added: [],
  updated: [],
  removed: [],
  refused: [],
  kept: [],
  signalled: false,
  ...fields,
});

describe('KeySyncService, whole results', () => {
  it('refuses settings where no instance has a key repository (exit 2)', async () => {
    const t = fleet('keysync-none', [{ name: 'mz' }]);
    const error = await t.failure();
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe('no fastd instance has a peersRepo (settings fastd.instances[].peersRepo)');
    expect(t.state()).toBeUndefined();
  });

  it("refuses each bad file of the clone by name and reason, syncs the rest and keeps a refused file's old copy", async () => {
    const t = fleet('keysync-refused', [{ name: 'mz', repo: 'keys' }]);
    t.repos.keys.commit({
      n1: peer(1),
      n2: peer(2),
      n3: peer(3),
      'README.md': '# keys\n',
      '.hidden': 'x',
      'n4~': 'x',
      'sub/n5': peer(5),
    });
    expect(await t.sync()).toEqual({
      instances: [synced('mz', { keys: 3, added: ['n1', 'n2', 'n3'], signalled: true })],
      changed: 1,
    });
    expect(t.peers('mz')).toEqual(['n1', 'n2', 'n3']);
    // What fastd skips in a peers directory is no peer file: neither removed nor reported.
    writeFileSync(path.join(t.peersDir('mz'), '.keep'), '');
    writeFileSync(path.join(t.peersDir('mz'), 'n1~'), 'old');
    t.repos.keys.commit({
      n2: `${peer(2)}on up "reboot";\n`,
      'bad name': peer(4),
      big: `${peer(5)}#${'x'.repeat(64 * 1024)}\n`,
      zdup: peer(1),
    });
    const outcome = await t.partly();
    const problems = [
      'mz: bad name: unsafe file name',
      'mz: big: peer file is larger than the limit of 64 KiB',
      'mz: n2: forbidden statement "on up reboot"',
      'mz: zdup: duplicate key, already in n1',
    ];
    expect(outcome).toEqual(
      partial(
        {
          instances: [
            synced('mz', {
              keys: 2,
              refused: [
                { file: 'bad name', reason: 'unsafe file name' },
                { file: 'big', reason: 'peer file is larger than the limit of 64 KiB' },
                { file: 'n2', reason: 'forbidden statement "on up reboot"' },
                { file: 'zdup', reason: 'duplicate key, already in n1' },
              ],
            }),
          ],
          changed: 0,
        },
        problems,
        `fastd sync-keys: 4 problem(s): ${problems.slice(0, 3).join('; ')}; …`,
      ),
    );
    // n2's last good copy stays (fastd keeps the peer), but its key is not the repository's any more.
    expect(t.peers('mz')).toEqual(['.keep', 'n1', 'n1~', 'n2', 'n3']);
    expect(readFileSync(path.join(t.peersDir('mz'), 'n2'), 'utf8')).toBe(peer(2));
    expect(t.state()?.instances.mz.keys).toEqual([key(1), key(3)]);
    expect(t.signals).toEqual(['fastd@mz HUP']);
    // n2 repaired: three problems are listed without an ellipsis.
    t.repos.keys.commit({ n2: peer(2) });
    const fewer = await t.partly();
    expect(fewer.message).toBe(
      `fastd sync-keys: 3 problem(s): ${[problems[0], problems[1], problems[3]].join('; ')}`,
    );
  });

  it('gives an instance without a peers directory its keys in the verify state only', async () => {
    const t = fleet('keysync-no-dir', [
      { name: 'mz', repo: 'keys' },
      { name: 'bi' },
      { name: 'wi', repo: 'keys', peersDir: false },
    ]);
    // The verify state lists keys in key order, not in file name order.
    t.repos.keys.commit({ n1: peer(2), n2: peer(1) });
    expect(await t.sync()).toEqual({
      instances: [synced('mz', { keys: 2, added: ['n1', 'n2'], signalled: true }), synced('wi', { keys: 2 })],
      changed: 1,
    });
    expect(t.signals).toEqual(['fastd@mz HUP']);
    expect(existsSync(path.join(t.root, 'etc/fastd/wi'))).toBe(false);
    expect(t.state()?.instances).toEqual({
      mz: { interface: 'mzVPN', keys: [key(1), key(2)], limit: null, connected: null },
      wi: { interface: 'wiVPN', keys: [key(1), key(2)], limit: null, connected: null },
    });
  });

  it('in dry-run reports what it would add to a peers directory that does not exist yet, and writes nothing', async () => {
    const t = fleet('keysync-dry', [{ name: 'mz', repo: 'keys', peersDir: false }]);
    t.repos.keys.commit({ n1: peer(1) });
    await t.sync();
    const before = readFileSync(path.join(t.root, 'var/lib/photon/fastd-verify.json'), 'utf8');
    t.cfg.instances[0].peersDir = '/etc/fastd/mz/peers';
    t.repos.keys.commit({ n2: peer(2) });
    const result = await t.sync(true);
    expect(result.instances).toEqual([synced('mz', { keys: 1, added: ['n1'], signalled: true })]);
    expect(existsSync(path.join(t.root, 'etc/fastd/mz'))).toBe(false);
    expect(readFileSync(path.join(t.root, 'var/lib/photon/fastd-verify.json'), 'utf8')).toBe(before);
    // A peers "directory" that is a file fails the instance in dry-run too (only a missing one is empty).
    mkdirSync(path.join(t.root, 'etc/fastd/mz'), { recursive: true });
    writeFileSync(path.join(t.root, 'etc/fastd/mz/peers'), '');
    // The only instance failed: its own error, not "partly done".
    const error = await t.failure(true);
    expect(error).toMatchObject({
      code: 'ENOTDIR',
      message: `ENOTDIR: not a directory, scandir '${path.join(t.root, 'etc/fastd/mz/peers')}'`,
    });
  });

  it('keeps the first file of a key in name order and refuses the others as duplicates', async () => {
    const t = fleet('keysync-duplicates', [{ name: 'mz', repo: 'keys' }]);
    const names = ['k', 'c', 'x', 'a', 'q', 'f', 'z', 'm', 'b', 'r'];
    t.repos.keys.commit(Object.fromEntries(names.map((name) => [name, peer(7)])));
    const { problems } = await t.partly();
    expect(problems).toEqual(
      names
        .filter((name) => name !== 'a')
        .sort()
        .map((name) => `mz: ${name}: duplicate key, already in a`),
    );
    expect(t.peers('mz')).toEqual(['a']);
  });

  it('syncs each key repository on its own: one failing does not stop the other', async () => {
    const t = fleet(
      'keysync-two-repos',
      [
        { name: 'mz', repo: 'a' },
        { name: 'wi', repo: 'b' },
      ],
      { repos: ['a', 'b'] },
    );
    t.repos.a.commit({ n1: peer(1) });
    t.repos.b.commit({ m1: peer(11) });
    expect(await t.sync()).toEqual({
      instances: [
        synced('mz', { keys: 1, added: ['n1'], signalled: true }),
        synced('wi', { keys: 1, added: ['m1'], signalled: true }),
      ],
      changed: 2,
    });
    // Both clones locked: nothing synced, for one reason: that reason (exit 69), not "partly done".
    writeFileSync(path.join(t.clone('a'), '.git/index.lock'), '');
    writeFileSync(path.join(t.clone('b'), '.git/index.lock'), '');
    t.repos.a.commit({ n2: peer(2) });
    t.repos.b.commit({ m2: peer(12) });
    const locked = await t.failure();
    expect(locked).toBeInstanceOf(GitLockedError);
    expect(locked.message).toContain(t.clone('a').slice(t.root.length));
    // Only a's clone locked: b moves on, a is named (exit 5).
    rmSync(path.join(t.clone('b'), '.git/index.lock'));
    const partly = await t.partly();
    const { result } = partly;
    expect(result.instances[1]).toEqual(synced('wi', { keys: 2, added: ['m2'], signalled: true }));
    // The lock's message names its age in seconds: compared without it.
    const lockedAgain =
      /^\/var\/lib\/photon\/a: git is locked by \/var\/lib\/photon\/a\/\.git\/index\.lock \(it is \d+ s old;/;
    expect(result.instances[0]).toEqual(synced('mz', { error: expect.stringMatching(lockedAgain) }));
    expect(result.changed).toBe(1);
    expect(partly.problems).toEqual([`mz: ${result.instances[0].error}`]);
    expect(t.state()?.instances).toEqual({
      mz: { interface: 'mzVPN', keys: [key(1)], limit: null, connected: null },
      wi: { interface: 'wiVPN', keys: [key(11), key(12)], limit: null, connected: null },
    });
    // Both failing, for different reasons (a lock: 69; a file not from the remote: 5): "partly done" (exit 5).
    writeFileSync(path.join(t.clone('b'), 'dropped'), peer(13));
    t.repos.b.commit({ m3: peer(14) });
    const both = await t.partly();
    expect(both.problems).toHaveLength(2);
    expect(t.peers('wi')).toEqual(['m1', 'm2']);
  });

  it('writes more files than one batch on the first run, each one once', async () => {
    const t = fleet('keysync-batch', [{ name: 'mz', repo: 'keys' }]);
    const names = Array.from({ length: 150 }, (_, i) => `n${String(i).padStart(3, '0')}`);
    t.repos.keys.commit(Object.fromEntries(names.map((name, i) => [name, peer(i + 1)])));
    const result = await t.sync();
    expect(result.instances[0]).toEqual(synced('mz', { keys: 150, added: names, signalled: true }));
    expect(t.peerChanges().sort()).toEqual(names.map((name) => `create /etc/fastd/mz/peers/${name}`));
    expect(t.peers('mz')).toEqual(names);
    for (const [i, name] of names.entries())
      expect(readFileSync(path.join(t.peersDir('mz'), name), 'utf8')).toBe(peer(i + 1));
    expect(t.state()?.instances.mz.keys).toEqual(names.map((_, i) => key(i + 1)).sort());
  });

  it.each(['sha1', 'sha256'] as const)(
    'replaces and removes what a %s repository once held, also a file now holding another key',
    async (objectFormat) => {
      const t = fleet(`keysync-${objectFormat}`, [{ name: 'mz', repo: 'keys' }], { objectFormat });
      t.repos.keys.commit({ n1: peer(1), n2: peer(2), n3: peer(3) });
      await t.sync();
      // n1's key is replaced by another (a new router): its old bytes were the repository's.
      t.repos.keys.commit({ n1: peer(4), n2: null });
      t.peerChanges();
      expect(await t.sync()).toEqual({
        instances: [synced('mz', { keys: 2, updated: ['n1'], removed: ['n2'], signalled: true })],
        changed: 1,
      });
      expect(t.peerChanges()).toEqual(['update /etc/fastd/mz/peers/n1', 'delete /etc/fastd/mz/peers/n2']);
      expect(t.peers('mz')).toEqual(['n1', 'n3']);
      expect(readFileSync(path.join(t.peersDir('mz'), 'n1'), 'utf8')).toBe(peer(4));
    },
  );

  it.skipIf(!canSetUmask)('writes peer files fastd can read under any umask (0644)', async () => {
    const t = fleet('keysync-umask', [{ name: 'mz', repo: 'keys' }]);
    t.repos.keys.commit({ n1: peer(1) });
    await withUmask(0o077, () => t.sync());
    expect(statSync(path.join(t.peersDir('mz'), 'n1')).mode & 0o777).toBe(0o644);
  });

  it('removes every peer of an emptied repository, reported in name order', async () => {
    const t = fleet('keysync-emptied', [{ name: 'mz', repo: 'keys' }]);
    // Created b first, then a: the peers directory lists them in that order.
    t.repos.keys.commit({ b: peer(2) });
    await t.sync();
    t.repos.keys.commit({ a: peer(1) });
    await t.sync();
    t.repos.keys.commit({ a: null, b: null });
    expect(await t.sync()).toEqual({
      instances: [synced('mz', { keys: 0, removed: ['a', 'b'], signalled: true })],
      changed: 1,
    });
    expect(t.peers('mz')).toEqual([]);
    expect(t.state()?.instances.mz.keys).toEqual([]);
  });

  it('takes a duplicate key from the first file in name order, not in the order the clone got them', async () => {
    const t = fleet('keysync-late-duplicate', [{ name: 'mz', repo: 'keys' }]);
    t.repos.keys.commit({ b: peer(7) });
    await t.sync();
    t.repos.keys.commit({ a: peer(7) });
    const { result } = await t.partly();
    expect(result).toEqual({
      instances: [
        synced('mz', {
          keys: 1,
          added: ['a'],
          refused: [{ file: 'b', reason: 'duplicate key, already in a' }],
          signalled: true,
        }),
      ],
      changed: 1,
    });
  });
});
