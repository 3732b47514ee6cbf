import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FastdNode,
  FastdTestbed,
  generateKey,
} from '../packages/plugin-fastd/src/test-helpers/fastd-testbed.js';
import { startStatusServers } from '../packages/plugin-fastd/src/test-helpers/status-servers.js';
import { photon, photonBin, repoRoot } from './helpers/photon.js';

/**
 * A sandbox gateway lives through many cron cycles while its inputs change between them (keys
 * added, changed, removed and the remote rewound; the key remote unreachable for a while; other
 * gateways going offline and back; communities leaving and joining the registry), with runs
 * killed (-9) and stopped (SIGTERM) at random points. After every cycle each invariant is checked
 * against a fresh computation from the inputs, not from photon's own results.
 *
 * Reproduce a run with PHOTON_SOAK_SEED=<seed> (printed when a cycle fails).
 */
const CYCLES = 30;
const FAULT_CYCLES = 12;
const seed = Number(process.env.PHOTON_SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** mulberry32: a small seeded generator, so a failing run can be repeated exactly. */
function random(seedValue: number): () => number {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@x',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@x',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env: gitEnv, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

/** A bare remote and the work tree that feeds it: the truth the gateway must mirror. */
class Remote {
  readonly origin: string;
  readonly work: string;
  constructor(dir: string, name: string, seedFrom?: string) {
    this.origin = path.join(dir, `${name}.git`);
    this.work = path.join(dir, `${name}-work`);
    if (seedFrom) cpSync(seedFrom, this.work, { recursive: true });
    else mkdirSync(this.work, { recursive: true });
    git(this.work, 'init', '-q', '-b', 'main');
    git(this.work, 'commit', '-q', '--allow-empty', '-m', 'start');
    if (seedFrom) this.commit({});
    git(dir, 'clone', '-q', '--bare', this.work, this.origin);
    git(this.work, 'remote', 'add', 'origin', this.origin);
  }

  /** The files of the remote's head (the work tree is always pushed). */
  files(): string[] {
    return readdirSync(this.work).filter((f) => !f.startsWith('.'));
  }

  read(name: string): string {
    return readFileSync(path.join(this.work, name), 'utf8');
  }

  commit(files: Record<string, string | null>): void {
    for (const [name, content] of Object.entries(files)) {
      if (content === null) rmSync(path.join(this.work, name));
      else writeFileSync(path.join(this.work, name), content);
    }
    git(this.work, 'add', '-A');
    git(this.work, 'commit', '-q', '--allow-empty', '-m', 'change');
    if (existsSync(this.origin)) git(this.work, 'push', '-q', 'origin', 'main');
  }

  /** `git reset --hard HEAD~1 && git push -f`: the remote forgets its last commit. */
  rewind(): void {
    git(this.work, 'reset', '-q', '--hard', 'HEAD~1');
    if (existsSync(this.origin)) git(this.work, 'push', '-q', '--force', 'origin', 'main');
  }

  /** Unreachable (renamed away) or back. */
  setReachable(reachable: boolean): void {
    const away = `${this.origin}.away`;
    if (!reachable && existsSync(this.origin)) renameSync(this.origin, away);
    if (reachable && existsSync(away)) {
      renameSync(away, this.origin);
      // What was committed meanwhile reaches the remote now.
      git(this.work, 'push', '-q', '--force', 'origin', 'main');
    }
  }
}

/** Every file below dir (relative paths). */
function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

const JOBS = [
  ['fastd', 'sync-keys'],
  ['fastd', 'limit'],
  ['icvpn', 'update'],
  ['git', 'snapshot'],
] as const;
const taskOf = (job: readonly string[]) => job.join('-');
const verifyHook = path.join(repoRoot, 'packages/plugin-fastd/dist/verify-hook.js');

describe('soak: one gateway through many cron cycles with changing inputs, kills and signals', () => {
  const bed = new FastdTestbed();
  const root = bed.dir;
  const rng = random(seed);
  let gw: FastdNode;
  let keys: Remote;
  let meta: Remote;
  let configs: Remote;
  let servers: Awaited<ReturnType<typeof startStatusServers>>;
  const remoteStatus: Record<string, string | 'silent'> = {};
  const remotePeers: Record<string, number | undefined> = { gw2: 7, gw3: 12 };
  let config: string;
  const env = {
    HOME: '/root',
    XDG_CONFIG_HOME: '',
    XDG_DATA_HOME: '',
    PHOTON_DATA_DIR: '/var/lib/photon',
  };
  const under = (p: string) => path.join(root, p);
  const outbox = under('var/spool/photon/outbox');
  const removedCommunities = new Map<string, string>();
  /** Every key the remote ever held: those no longer there must be refused. */
  const revoked = new Set<string>();

  /** Mails the incident rule allows, per task: one when it starts failing or fails differently, one when it recovers. */
  const incidents = new Map<string, number>();
  let expectedMails = 0;
  const account = (task: string, exitCode: number) => {
    const open = incidents.get(task);
    if (exitCode === 0) {
      if (open !== undefined) expectedMails += 1;
      incidents.delete(task);
    } else if (open !== exitCode) {
      expectedMails += 1;
      incidents.set(task, exitCode);
    }
  };

  const publishStatus = () => {
    for (const [gateway, peers] of Object.entries(remotePeers)) {
      remoteStatus[gateway] =
        peers === undefined
          ? 'silent'
          : JSON.stringify({ gw: { peers }, _timestamp: Math.floor(Date.now() / 1000) });
    }
  };

  beforeAll(async () => {
    gw = await bed.create('gw', ['include peers from "peers";', 'peer limit 50;']);
    await bed.start(gw);
    keys = new Remote(root, 'keys');
    keys.commit(Object.fromEntries([1, 2, 3].map((n) => [`node${n}`, `key "${generateKey().public}";\n`])));
    meta = new Remote(root, 'icvpn-meta', path.join(repoRoot, 'packages/plugin-icvpn/test-data/meta'));
    configs = new Remote(root, 'gateway-configs');
    servers = await startStatusServers(remoteStatus);
    publishStatus();
    mkdirSync(under('etc/tinc/icvpn/hosts'), { recursive: true });
    config = path.join(root, 'photon.yaml');
    const reload = ['true'];
    writeFileSync(
      config,
      JSON.stringify({
        photon: { hostname: 'gw1' },
        mail: { transport: 'file', outbox: '/var/spool/photon/outbox', to: 'noc@example.org' },
        fastd: {
          instances: [
            {
              name: 'gw',
              unit: 'gw',
              interface: gw.interface,
              configFile: '/gw/fastd.conf',
              statusSocket: '/gw/status.sock',
              peersDir: '/gw/peers',
              peersRepo: { remote: keys.origin, local: '/var/lib/photon/clones/peers' },
            },
          ],
          limit: {
            gateways: ['gw1', 'gw2', 'gw3'],
            statusUrl: servers.urlTemplate,
            localStatusFile: '/www/fastd_status.json',
            additional: 2,
            fetchTimeoutMs: 1_000,
          },
          // As systemd does it: a restart runs outside photon's process group, so killing a run
          // (kill -9 of its group) never leaves fastd stopped half-way through a restart.
          restartCommand: ['setsid', '--wait', ...bed.restartCommand],
          signalCommand: bed.signalCommand,
          verifyStateFile: '/var/lib/photon/fastd-verify.json',
        },
        icvpn: {
          meta: { remote: meta.origin, dir: '/var/lib/photon/icvpn-meta' },
          tinc: { dir: '/etc/tinc/icvpn' },
          exclude: ['alpha'],
          outputs: [
            {
              kind: 'bgp',
              family: 'ipv4',
              target: '/etc/bird/icvpn_ipv4_peers.conf',
              defaultTemplate: 'ebgp_icvpn',
              reload,
            },
            {
              kind: 'bgp',
              family: 'ipv6',
              target: '/etc/bird/icvpn_ipv6_peers.conf',
              defaultTemplate: 'ebgp_icvpn',
              reload,
            },
            { kind: 'roa', family: 'ipv4', maxLength: 20, target: '/etc/bird/icvpn_ipv4_roa.conf', reload },
            { kind: 'dns', format: 'bind', target: '/etc/bind/named.conf.icvpn', reload },
          ],
        },
        git: {
          snapshot: {
            repository: { remote: configs.origin, dir: '/var/lib/photon/gateway-configs' },
            paths: ['/gw/fastd.conf', '/gw/peers'],
            commands: {},
          },
        },
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await servers?.close();
    bed.cleanup();
  });

  // Asynchronous: the other gateways' status server runs in this process.
  const run = (job: readonly string[]) =>
    photon([...job, '--root', root, '--config', config], { env, timeoutMs: 60_000 });

  const restartRunning = () =>
    spawnSync('pgrep', ['-f', path.join(bed.dir, 'restart.sh')], { encoding: 'utf8' }).stdout.trim() !== '';
  const until = async (done: () => boolean, ms: number) => {
    for (const end = Date.now() + ms; !done() && Date.now() < end; )
      await new Promise((resolve) => setTimeout(resolve, 50));
  };

  /** Starts a job and ends it with `signal` after a random delay; waits until it is gone. */
  const interrupt = async (job: readonly string[], signal: NodeJS.Signals, keysReachable: boolean) => {
    const child: ChildProcess = spawn(
      process.execPath,
      [photonBin, ...job, '--root', root, '--config', config],
      {
        env: { ...process.env, NODE_ENV: 'production', ...env },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise((resolve) => setTimeout(resolve, 50 + rng() * 700));
    child.kill(signal);
    const code = await exited;
    // A restart runs in its own session (setsid, as systemd's does) and outlives a killed run.
    // On a gateway the next cron run comes minutes later; here it comes at once, so wait as
    // that time would until the restart is done and fastd answers on its socket again.
    await until(() => !restartRunning() && existsSync(gw.socket), 10_000);
    // A signalled run ends within 2 s with 128 + the signal (SIGTERM), unless it had finished
    // first, with what an uninterrupted run may end with.
    const finished = job[1] === 'sync-keys' && !keysReachable ? [69, 1] : [0, 5];
    if (signal === 'SIGTERM') expect([...finished, 143, null], job.join(' ')).toContain(code);
  };

  /** The invariants after a cycle, each computed from the inputs. */
  const checkInvariants = async (cycle: number, keysReachable: boolean) => {
    const where = `cycle ${cycle} (PHOTON_SOAK_SEED=${seed})`;
    // Keys: the peers directory and the on-verify state are exactly the remote's keys.
    if (keysReachable) {
      const expected = keys.files().sort();
      expect(readdirSync(under('gw/peers')).sort(), where).toEqual(expected);
      const state = JSON.parse(readFileSync(under('var/lib/photon/fastd-verify.json'), 'utf8'));
      const wanted = expected.map((f) => /key "([0-9a-f]{64})"/.exec(keys.read(f))?.[1] ?? '').sort();
      expect([...state.instances.gw.keys].sort(), where).toEqual(wanted);
      // The on-verify hook decides from that state: a current key is accepted, a revoked one refused.
      const hook = (key: string) =>
        spawnSync(process.execPath, [verifyHook, '--state', under('var/lib/photon/fastd-verify.json'), key], {
          env: { ...process.env, INTERFACE: gw.interface },
        }).status;
      const current = wanted[Math.floor(rng() * wanted.length)];
      if (current) expect(hook(current), `${where}: current key ${current} refused`).toBe(0);
      const revokedKey = [...revoked].find((key) => !wanted.includes(key));
      if (revokedKey) expect(hook(revokedKey), `${where}: revoked key ${revokedKey} accepted`).toBe(1);
      for (const key of wanted) revoked.add(key);
    }
    // Peer limit: average of the online gateways' peers + (1 + offline) × additional.
    const counts = [0, ...Object.values(remotePeers).filter((p): p is number => p !== undefined)];
    const offline = 3 - counts.length;
    const limit = Math.floor(counts.reduce((a, b) => a + b, 0) / counts.length) + (1 + offline) * 2;
    expect(readFileSync(under('gw/fastd.conf'), 'utf8'), where).toContain(`\npeer limit ${limit};\n`);
    const verified = spawnSync('fastd', ['--verify-config', '-c', under('gw/fastd.conf')], {
      encoding: 'utf8',
    });
    expect(verified.status, `${where}: ${verified.stderr}`).toBe(0);
    // icvpn: each output valid by its real validator; a community that left is gone from it.
    const bgp4 = readFileSync(under('etc/bird/icvpn_ipv4_peers.conf'), 'utf8');
    for (const removed of removedCommunities.keys()) {
      expect(
        bgp4.includes(`# ${removed}`) || new RegExp(`protocol bgp icvpn_${removed}\\b`).test(bgp4),
        where,
      ).toBe(false);
    }
    const wrapper = path.join(root, 'validate-bird.conf');
    writeFileSync(
      wrapper,
      `router id 10.0.0.1;\ntemplate bgp ebgp_icvpn { local as 64512; }\ninclude "${under('etc/bird/icvpn_ipv4_peers.conf')}";\nroa table icvpn {\ninclude "${under('etc/bird/icvpn_ipv4_roa.conf')}";\n}\n`,
    );
    const bird = spawnSync('bird', ['-p', '-c', wrapper], { encoding: 'utf8' });
    expect(bird.status, `${where}: ${bird.stderr}`).toBe(0);
    const named = spawnSync('named-checkconf', [under('etc/bind/named.conf.icvpn')], { encoding: 'utf8' });
    expect(named.status, `${where}: ${named.stdout}`).toBe(0);
    // Nothing half-done left behind: no temp file, no lock file of ours, a readable journal.
    const leftovers = walk(root).filter(
      (f) => /\.tmp$|\.tmp\.|(^|\/)index\.lock$/.test(f) && !f.includes('-work/'),
    );
    expect(leftovers, where).toEqual([]);
    for (const task of readdirSync(under('var/lib/photon/runs'))) {
      for (const record of readdirSync(under(`var/lib/photon/runs/${task}`))) {
        const text = readFileSync(under(`var/lib/photon/runs/${task}/${record}`), 'utf8');
        expect(() => JSON.parse(text), `${where}: journal ${task}/${record}`).not.toThrow();
      }
    }
    // Mail: one per incident and one per recovery, no more.
    expect(walk(outbox).length, `${where}: mails`).toBe(expectedMails);
  };

  it(`keeps every invariant for ${CYCLES} cycles (seed in the failure message)`, async () => {
    const faultCycles = new Set<number>();
    while (faultCycles.size < FAULT_CYCLES) faultCycles.add(1 + Math.floor(rng() * (CYCLES - 1)));
    const pick = <T>(items: readonly T[]) => items[Math.floor(rng() * items.length)];
    let keysReachable = true;
    let unreachableFor = 0;
    let next = 4;
    for (let cycle = 0; cycle < CYCLES; cycle += 1) {
      if (cycle > 0) {
        // Keys: add, change, remove, rewind; now and then the remote is unreachable for a few cycles.
        const roll = rng();
        const names = keys.files();
        if (!keysReachable && --unreachableFor <= 0) keysReachable = true;
        else if (keysReachable && roll < 0.08) {
          keysReachable = false;
          unreachableFor = 1 + Math.floor(rng() * 3);
        } else if (roll < 0.45) keys.commit({ [`node${next++}`]: `key "${generateKey().public}";\n` });
        else if (roll < 0.6) keys.commit({ [pick(names)]: `key "${generateKey().public}";\n` });
        else if (roll < 0.8 && names.length > 1) keys.commit({ [pick(names)]: null });
        else if (roll < 0.9 && Number(git(keys.work, 'rev-list', '--count', 'HEAD')) > 2) keys.rewind();
        keys.setReachable(keysReachable);
        // Other gateways go offline and come back with other peer counts.
        for (const gateway of Object.keys(remotePeers)) {
          if (rng() < 0.3)
            remotePeers[gateway] = remotePeers[gateway] === undefined ? Math.floor(rng() * 40) : undefined;
        }
        publishStatus();
        // Communities leave and join the registry.
        const present = meta.files().filter((f) => !f.startsWith('README') && f !== 'alpha');
        if (rng() < 0.3 && present.length > 3) {
          const name = pick(present);
          removedCommunities.set(name, meta.read(name));
          meta.commit({ [name]: null });
        } else if (rng() < 0.3 && removedCommunities.size > 0) {
          const [name, text] = pick([...removedCommunities.entries()]);
          removedCommunities.delete(name);
          meta.commit({ [name]: text });
        }
      }
      if (faultCycles.has(cycle))
        await interrupt(pick(JOBS), rng() < 0.5 ? 'SIGKILL' : 'SIGTERM', keysReachable);
      for (const job of JOBS) {
        const result = await run(job);
        const where = `cycle ${cycle}, ${job.join(' ')} (PHOTON_SOAK_SEED=${seed})`;
        // Every job succeeds, except sync-keys while its remote is unreachable.
        const allowed = job[1] === 'sync-keys' && !keysReachable ? [69, 1] : [0];
        expect(allowed, `${where}: exit ${result.code}\n${result.stderr}`).toContain(result.code);
        account(taskOf(job), result.code ?? -1);
        if (process.env.PHOTON_SOAK_DEBUG)
          console.log(job.join(' '), result.code, result.stderr.slice(0, 2000));
      }
      await checkInvariants(cycle, keysReachable);
    }
  }, 300_000);
});
