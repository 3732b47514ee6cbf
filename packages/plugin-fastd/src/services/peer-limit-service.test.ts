import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  ConfigError,
  FileStore,
  RootSandbox,
  type ServiceManager,
  Shell,
  silentLogger,
  UnavailableError,
} from '@ffphoton/core';
import { completeResult, partialOutcome, tempDir } from '@ffphoton/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { fastdSettings } from '../settings.js';
import { startStatusServers } from '../test-helpers/status-servers.js';
import { canSetUmask, withUmask } from '../test-helpers/umask.js';
import { readVerifyState } from '../verify-state.js';
import { type LimitResult, PeerLimitService } from './peer-limit-service.js';
import { StatusSocketReader } from './status-socket-reader.js';
import { VerifyStateStore } from './verify-state-store.js';

const key1 = 'a'.repeat(64);
const key2 = 'b'.repeat(64);

const status = readFileSync(new URL('../../test-data/status-gw-tap.raw.json', import.meta.url), 'utf8');
const secret = /Secret: ([0-9a-f]{64})/.exec(
  execFileSync('fastd', ['--generate-key'], { encoding: 'utf8' }),
)![1];
const closers: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

/**
 * A sandbox root with a real fastd configuration (checked by the real `fastd --verify-config`), a
 * unix socket answering with a captured status (3 connected peers, 15 s up) and loopback status
 * servers for the other gateways. No fastd daemon: restarts are recorded.
 */
async function bed(name: string, remotes: Record<string, unknown>, peerLimit: string) {
  const dir = tempDir(name);
  const root = path.join(dir, 'root');
  const etc = path.join(root, 'etc/fastd/mz');
  mkdirSync(etc, { recursive: true });
  const fastdConf = [
    `secret "${secret}";`,
    'bind 127.0.0.1:0;',
    'mode tap;',
    'interface "mzVPN";',
    'method "null";',
    'include "peer_limit.conf";',
    '',
  ].join('\n');
  writeFileSync(path.join(etc, 'fastd.conf'), fastdConf);
  writeFileSync(path.join(etc, 'peer_limit.conf'), `# managed by photon\npeer limit ${peerLimit};\n`);
  mkdirSync(path.join(root, 'run'));
  const socket = path.join(root, 'run/fastd-mz.sock');
  const server = net.createServer((c) => c.end(status));
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  closers.push(() => void server.close());
  const bodies: Record<string, string> = {};
  const set = (next: Record<string, unknown>) => {
    for (const [gateway, peers] of Object.entries(next))
      bodies[gateway] = JSON.stringify({ mz: { peers }, _timestamp: Date.now() / 1000 - 5 });
  };
  set(remotes);
  const servers = await startStatusServers(bodies);
  closers.push(servers.close);
  const cfg = fastdSettings.schema.parse({
    verifyStateFile: '/var/lib/photon/fastd-verify.json',
    instances: [
      {
        name: 'mz',
        interface: 'mzVPN',
        configFile: '/etc/fastd/mz/peer_limit.conf',
        statusSocket: '/run/fastd-mz.sock',
      },
    ],
    limit: {
      gateways: ['gw1', ...Object.keys(remotes)],
      statusUrl: servers.urlTemplate,
      localStatusFile: '/var/www/fastd_status.json',
      additional: 8,
      maxPeers: 1000,
      fetchTimeoutMs: 2_000,
    },
  });
  const files = new FileStore(new RootSandbox(root), { dryRun: false });
  const restarts: string[] = [];
  const services = {
    restart: async (unit: string) => {
      restarts.push(unit);
    },
  } as unknown as ServiceManager;
  const shell = new Shell({ dryRun: false, defaultTimeoutMs: 10_000 });
  const service = new PeerLimitService(
    new StatusSocketReader(files),
    files,
    shell,
    services,
    { now: () => new Date() },
    silentLogger,
  );
  const apply = () => service.apply(cfg, 'gw1');
  const run = async (): Promise<LimitResult> => completeResult(await apply());
  const statement = () => readFileSync(path.join(etc, 'peer_limit.conf'), 'utf8');
  const state = () => readVerifyState(path.join(root, 'var/lib/photon/fastd-verify.json'))?.instances.mz;
  const syncKeys = (keys: string[]) =>
    new VerifyStateStore(files, cfg.verifyStateFile, () => new Date()).update(cfg.instances, (entry) => {
      entry.keys = keys;
    });
  return { etc, apply, run, set, restarts, statement, state, fastdConf, syncKeys };
}

describe('PeerLimitService with real files and fastd --verify-config (no daemon)', () => {
  it('refuses absurd remote counts as bad data and repairs a statement fastd refuses', async () => {
    const t = await bed(
      'limit-bounds',
      { b: 5, c: 3_000_000_000, d: 1e300, e: -2, f: 7.5, g: 1001 },
      '7.5e+299',
    );
    // sync-keys wrote the keys into the same state file before: limit keeps them.
    await t.syncKeys([key1]);
    const result = await t.run();
    // Online: this gateway (3) and b (5); c–g are offline for mz: avg 4 + (1 + 5) × 8.
    expect(result.instances[0]).toMatchObject({
      total: 8,
      online: 2,
      offline: 5,
      average: 4,
      gauge: 48,
      limit: 52,
      old: undefined,
      restart: true,
      outcome: 'changed',
    });
    expect(result.refusedCounts).toEqual([
      { gateway: 'c', instance: 'mz', reason: 'peers 3000000000 is not a peer count from 0 to 1000' },
      { gateway: 'd', instance: 'mz', reason: 'peers 1e+300 is not a peer count from 0 to 1000' },
      { gateway: 'e', instance: 'mz', reason: 'peers -2 is not a peer count from 0 to 1000' },
      { gateway: 'f', instance: 'mz', reason: 'peers 7.5 is not a peer count from 0 to 1000' },
      { gateway: 'g', instance: 'mz', reason: 'peers 1001 is not a peer count from 0 to 1000' },
    ]);
    expect(t.statement()).toBe('# managed by photon\npeer limit 52;\n');
    expect(t.restarts).toEqual(['fastd@mz']);
    expect(t.state()).toEqual({ interface: 'mzVPN', keys: [key1], limit: 52, connected: 3 });

    // The next cycle: nothing to do.
    const again = await t.run();
    expect(again.instances[0]).toMatchObject({ limit: 52, old: 52, restart: false, outcome: 'unchanged' });
    expect(t.restarts).toEqual(['fastd@mz']);

    // Gateways come back with sane counts: the limit and the verify state follow.
    t.set({ c: 9, d: 0, e: 1, f: 2, g: 4 });
    const third = await t.run();
    expect(third.instances[0]).toMatchObject({ total: 24, online: 7, offline: 0, limit: 3 + 8, old: 52 });
    expect(t.restarts).toEqual(['fastd@mz', 'fastd@mz']);
    expect(t.state()).toEqual({ interface: 'mzVPN', keys: [key1], limit: 11, connected: 3 });
    // And sync-keys after limit keeps the limit.
    await t.syncKeys([key1, key2]);
    expect(t.state()).toEqual({ interface: 'mzVPN', keys: [key1, key2], limit: 11, connected: 3 });
  });

  it('keeps the old configuration and does not restart when fastd --verify-config refuses the new one', async () => {
    const t = await bed('limit-verify', { b: 5 }, '40');
    writeFileSync(path.join(t.etc, 'fastd.conf'), `${t.fastdConf}bogus statement;\n`);
    const { result, problems } = partialOutcome(await t.apply());
    const row = result.instances[0];
    expect(problems).toEqual([`mz: ${row.reason}`]);
    expect(row).toMatchObject({ limit: 12, old: 40, restart: false, outcome: 'failed' });
    expect(row.reason).toMatch(
      /^fastd --verify-config refused the configuration \(.*syntax error.*\); \/etc\/fastd\/mz\/peer_limit.conf was restored, fastd was not restarted$/,
    );
    expect(t.statement()).toBe('# managed by photon\npeer limit 40;\n');
    expect(t.restarts).toEqual([]);
    // The refused limit is not written into the verify state.
    expect(t.state()).toEqual({ interface: 'mzVPN', keys: [], limit: null, connected: null });
    // Fixed by the admin: the next run applies the limit.
    writeFileSync(path.join(t.etc, 'fastd.conf'), t.fastdConf);
    expect((await t.run()).instances[0]).toMatchObject({
      limit: 12,
      old: 40,
      restart: true,
      outcome: 'changed',
    });
    expect(t.statement()).toBe('# managed by photon\npeer limit 12;\n');
    expect(t.restarts).toEqual(['fastd@mz']);
  });
});

const gwCapture = status;
const oneOfFour = readFileSync(
  new URL('../../test-data/status-gw-tap-peerlimit1.raw.json', import.meta.url),
  'utf8',
);

interface FleetInstance {
  name: string;
  /** The status socket's answer (the captures: gw 3 connected, 15 s up; oneOfFour 1 connected, 12 s up); none: no socket. */
  capture?: string;
  /** peer_limit.conf's text; none: no such file. */
  limitConf?: string;
  extra?: Record<string, unknown>;
}

/**
 * Like `bed`, for several instances and every knob: a fixed clock, a recording logger, dry-run,
 * restarts that fail for named units. Remote bodies are documents (epoch `_timestamp` added when absent).
 */
async function fleet(
  name: string,
  options: {
    instances: FleetInstance[];
    remotes?: Record<string, Record<string, unknown>>;
    limit?: Record<string, unknown>;
    dryRun?: boolean;
    failingRestarts?: string[];
    raw?: (cfg: ReturnType<typeof fastdSettings.schema.parse>) => void;
  },
) {
  const dir = tempDir(name);
  const root = path.join(dir, 'root');
  mkdirSync(path.join(root, 'run'), { recursive: true });
  const now = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000);
  const epoch = now.getTime() / 1000;
  for (const instance of options.instances) {
    const etc = path.join(root, 'etc/fastd', instance.name);
    mkdirSync(etc, { recursive: true });
    writeFileSync(
      path.join(etc, 'fastd.conf'),
      [
        `secret "${secret}";`,
        'bind 127.0.0.1:0;',
        'mode tap;',
        `interface "${instance.name}VPN";`,
        'method "null";',
        'include "peer_limit.conf";',
        '',
      ].join('\n'),
    );
    if (instance.limitConf !== undefined)
      writeFileSync(path.join(etc, 'peer_limit.conf'), instance.limitConf);
    if (instance.capture !== undefined) {
      const answer = instance.capture;
      const server = net.createServer((c) => c.end(answer));
      await new Promise<void>((resolve) =>
        server.listen(path.join(root, `run/fastd-${instance.name}.sock`), resolve),
      );
      closers.push(() => void server.close());
    }
  }
  const remotes = options.remotes ?? {};
  const servers = await startStatusServers(
    Object.fromEntries(
      Object.entries(remotes).map(([gateway, doc]) => [
        gateway,
        JSON.stringify({ _timestamp: epoch - 5, ...doc }),
      ]),
    ),
  );
  closers.push(servers.close);
  const cfg = fastdSettings.schema.parse({
    verifyStateFile: '/var/lib/photon/fastd-verify.json',
    instances: options.instances.map((instance) => ({
      name: instance.name,
      interface: `${instance.name}VPN`,
      configFile: `/etc/fastd/${instance.name}/peer_limit.conf`,
      statusSocket: `/run/fastd-${instance.name}.sock`,
      ...instance.extra,
    })),
    limit: {
      gateways: ['gw1', ...Object.keys(remotes)],
      statusUrl: servers.urlTemplate,
      localStatusFile: '/var/www/fastd_status.json',
      additional: 8,
      maxPeers: 1000,
      fetchTimeoutMs: 2_000,
      ...options.limit,
    },
  });
  options.raw?.(cfg);
  const files = new FileStore(new RootSandbox(root), { dryRun: options.dryRun ?? false });
  const restarts: string[] = [];
  const services = {
    restart: async (unit: string) => {
      if (options.failingRestarts?.includes(unit)) throw new Error(`${unit} would not start`);
      restarts.push(unit);
    },
  } as unknown as ServiceManager;
  const warnings: [unknown, string][] = [];
  const logger = {
    ...silentLogger,
    warn: (fields: unknown, message: string) => warnings.push([fields, message]),
  };
  const service = new PeerLimitService(
    new StatusSocketReader(files),
    files,
    new Shell({ dryRun: false, defaultTimeoutMs: 10_000 }),
    services,
    { now: () => now },
    logger as unknown as typeof silentLogger,
  );
  const apply = async (host = 'gw1') => completeResult(await service.apply(cfg, host));
  const partly = async (host = 'gw1') => partialOutcome(await service.apply(cfg, host));
  const failure = async (host = 'gw1') => {
    const error = await service.apply(cfg, host).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  };
  const host = (p: string) => path.join(root, p);
  const limitConf = (instance: string) => readFileSync(host(`etc/fastd/${instance}/peer_limit.conf`), 'utf8');
  const stateFile = host('var/lib/photon/fastd-verify.json');
  const published = () => readFileSync(host('var/www/fastd_status.json'), 'utf8');
  return {
    root,
    cfg,
    now,
    epoch,
    apply,
    partly,
    failure,
    restarts,
    warnings,
    host,
    limitConf,
    stateFile,
    published,
    servers,
  };
}

const url = (servers: { urlTemplate: string }, gateway: string) =>
  servers.urlTemplate.replace('{gateway}', gateway);

describe('PeerLimitService, whole runs', () => {
  it('refuses a host outside the gateway list before anything is read or written (exit 2)', async () => {
    const t = await fleet('limit-host', {
      instances: [{ name: 'mz', capture: gwCapture, limitConf: 'peer limit 7;\n' }],
      limit: { gateways: ['a', 'b'] },
    });
    const error = await t.failure();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe('fastd.limit.gateways: this host gw1 is not in the gateway list (a, b)');
    t.cfg.limit.gateways = [];
    expect((await t.failure()).message).toBe(
      'fastd.limit.gateways: this host gw1 is not in the gateway list (empty)',
    );
    expect(t.limitConf('mz')).toBe('peer limit 7;\n');
    expect(existsSync(t.stateFile)).toBe(false);
  });

  it('changes nothing when an instance has no gateway online (exit 69)', async () => {
    const t = await fleet('limit-offline', {
      instances: [
        { name: 'mz', capture: gwCapture, limitConf: 'peer limit 7;\n' },
        { name: 'wi', limitConf: 'peer limit 7;\n' },
        { name: 'bi', limitConf: 'peer limit 7;\n' },
      ],
      remotes: { b: { mz: { peers: 4 } } },
    });
    const error = await t.failure();
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe('no gateway online for fastd instance(s) wi, bi: nothing changed');
    for (const instance of ['mz', 'wi', 'bi']) expect(t.limitConf(instance)).toBe('peer limit 7;\n');
    expect(existsSync(t.stateFile)).toBe(false);
    expect(existsSync(t.host('var/www/fastd_status.json'))).toBe(false);
    expect(t.restarts).toEqual([]);
  });

  it('computes each instance from its own counts, publishes, records the state and warns about bad gateways', async () => {
    const t = await fleet('limit-two', {
      instances: [
        { name: 'mz', capture: gwCapture, limitConf: '# mz\npeer limit 40;\n' },
        { name: 'wi', capture: oneOfFour, limitConf: 'peer limit 33;' },
      ],
      remotes: {
        b: { mz: { peers: 5 }, wi: { peers: 2 } },
        c: { mz: { peers: 50 }, _timestamp: 0 },
        d: { mz: { peers: 'x' }, wi: {} },
      },
      limit: { gateways: ['gw1', 'b', 'c', 'd', 'e'] },
    });
    const result = await t.apply();
    // mz: own 3 + b 5 over 2 online, 3 offline: 4 + 4 × 8; wi: own 1 + b 2: 1 + 32.
    expect(result).toEqual({
      host: 'gw1',
      instances: [
        {
          instance: 'mz',
          total: 8,
          online: 2,
          offline: 3,
          average: 4,
          gauge: 32,
          limit: 36,
          connected: 3,
          uptimeSeconds: 15,
          old: 40,
          restart: false,
          outcome: 'changed',
        },
        {
          instance: 'wi',
          total: 3,
          online: 2,
          offline: 3,
          average: 1,
          gauge: 32,
          limit: 33,
          connected: 1,
          uptimeSeconds: 12,
          old: 33,
          restart: false,
          outcome: 'unchanged',
        },
      ],
      gateways: [
        { gateway: 'b', url: url(t.servers, 'b'), state: 'fresh', ageSeconds: 5 },
        {
          gateway: 'c',
          url: url(t.servers, 'c'),
          state: 'stale',
          reason: `data ${t.epoch} s old (max 900)`,
          ageSeconds: t.epoch,
        },
        { gateway: 'd', url: url(t.servers, 'd'), state: 'fresh', ageSeconds: 5 },
        { gateway: 'e', url: url(t.servers, 'e'), state: 'unreachable', reason: 'HTTP 404' },
      ],
      refusedCounts: [
        { gateway: 'd', instance: 'mz', reason: 'peers "x" is not a peer count from 0 to 1000' },
      ],
      published: '/var/www/fastd_status.json',
      changed: 1,
      restarted: [],
    });
    expect(t.limitConf('mz')).toBe('# mz\npeer limit 36;\n');
    expect(t.limitConf('wi')).toBe('peer limit 33;');
    expect(t.restarts).toEqual([]);
    expect(t.published()).toBe(
      `${JSON.stringify(
        {
          mz: { peers: 3, uptime: 15, limit: 36 },
          wi: { peers: 1, uptime: 12, limit: 33 },
          ansible: true,
          _timestamp: t.epoch,
        },
        null,
        4,
      )}\n`,
    );
    expect(readVerifyState(t.stateFile)).toEqual({
      version: 1,
      updated: t.now.toISOString(),
      instances: {
        mz: { interface: 'mzVPN', keys: [], limit: 36, connected: 3 },
        wi: { interface: 'wiVPN', keys: [], limit: 33, connected: 1 },
      },
    });
    expect(t.warnings).toEqual([
      [{ gateway: 'c' }, `gateway c: stale, data ${t.epoch} s old (max 900)`],
      [{ gateway: 'e' }, 'gateway e: unreachable, HTTP 404'],
      [
        { gateway: 'd', instance: 'mz' },
        'gateway d: instance mz: peers "x" is not a peer count from 0 to 1000; counted as offline',
      ],
    ]);
  });

  it('restarts when the limit moves by `additional` either way or fastd is up long enough, not short of that', async () => {
    const t = await fleet('limit-restart', {
      instances: [
        // Limits: mz 3 + 8 = 11, wi 1 + 8 = 9, bi 11.
        { name: 'mz', capture: gwCapture, limitConf: 'peer limit 19;\n' },
        { name: 'wi', capture: oneOfFour, limitConf: 'peer limit 2;\n' },
        { name: 'bi', capture: gwCapture, limitConf: 'peer limit 3;\n' },
      ],
      limit: { restartAfterUptimeSeconds: 15 },
    });
    const rows = (await t.apply()).instances;
    expect(
      rows.map(({ instance, limit, old, restart, outcome }) => ({ instance, limit, old, restart, outcome })),
    ).toEqual([
      { instance: 'mz', limit: 11, old: 19, restart: true, outcome: 'changed' },
      { instance: 'wi', limit: 9, old: 2, restart: false, outcome: 'changed' },
      { instance: 'bi', limit: 11, old: 3, restart: true, outcome: 'changed' },
    ]);
    expect(t.restarts).toEqual(['fastd@mz', 'fastd@bi']);
    // Unchanged, but up for 15 s (the threshold) → restarted again; wi (12 s) is not.
    const again = await t.apply();
    expect(again.instances.map((row) => [row.instance, row.outcome, row.restart])).toEqual([
      ['mz', 'unchanged', true],
      ['wi', 'unchanged', false],
      ['bi', 'unchanged', true],
    ]);
    expect(again.restarted).toEqual(['mz', 'bi']);
    expect(again.changed).toBe(0);
    expect(t.restarts).toEqual(['fastd@mz', 'fastd@bi', 'fastd@mz', 'fastd@bi']);
  });

  it('a failed restart fails that instance only: the others are applied, published and recorded', async () => {
    const t = await fleet('limit-restart-fails', {
      instances: [
        {
          name: 'mz',
          capture: gwCapture,
          limitConf: 'peer limit 100;\n',
          extra: { unit: 'fastd-mz.service' },
        },
        { name: 'wi', capture: oneOfFour, limitConf: 'peer limit 100;\n' },
      ],
      failingRestarts: ['fastd-mz.service'],
    });
    const { message, problems, result } = await t.partly();
    expect(message).toBe('fastd limit: 1 of 2 instance(s) failed');
    expect(problems).toEqual(['mz: restart failed: fastd-mz.service would not start']);
    expect(result.instances.map((row) => [row.instance, row.limit, row.restart, row.outcome])).toEqual([
      ['mz', 11, true, 'failed'],
      ['wi', 9, true, 'changed'],
    ]);
    expect(result.restarted).toEqual(['mz', 'wi']);
    expect(t.restarts).toEqual(['fastd@wi']);
    expect(t.limitConf('mz')).toBe('peer limit 11;\n');
    expect(JSON.parse(t.published())).toMatchObject({
      mz: { peers: 3, limit: 11 },
      wi: { peers: 1, limit: 9 },
    });
    expect(readVerifyState(t.stateFile)?.instances).toEqual({
      mz: { interface: 'mzVPN', keys: [], limit: null, connected: null },
      wi: { interface: 'wiVPN', keys: [], limit: 9, connected: 1 },
    });
  });

  it('leaves an instance alone without its own status, its config file or one single statement', async () => {
    const t = await fleet('limit-skips', {
      instances: [
        { name: 'mz', limitConf: 'peer limit 5;\n' },
        { name: 'wi', capture: gwCapture },
        { name: 'bi', capture: gwCapture, limitConf: '# peer limit 5;\n' },
        { name: 'ka', capture: oneOfFour, limitConf: 'peer limit 5;\npeer limit 6;\n' },
      ],
      remotes: { b: { mz: { peers: 6 }, wi: { peers: 1 }, bi: { peers: 1 }, ka: { peers: 1 } } },
    });
    const { message, problems, result } = await t.partly();
    expect(message).toBe('fastd limit: 2 of 4 instance(s) failed');
    const socketMissing =
      'fastd status socket /run/fastd-mz.sock does not exist (is fastd running with this "status socket"?)';
    expect(problems).toEqual([
      `mz: ${socketMissing}`,
      'wi: config file /etc/fastd/wi/peer_limit.conf does not exist',
    ]);
    const skipNone = 'no active "peer limit" statement in /etc/fastd/bi/peer_limit.conf, skipping';
    const skipTwo = '2 active "peer limit" statements in /etc/fastd/ka/peer_limit.conf, skipping (ambiguous)';
    expect(result.instances).toEqual([
      {
        instance: 'mz',
        total: 6,
        online: 1,
        offline: 1,
        average: 6,
        gauge: 16,
        limit: 22,
        connected: undefined,
        uptimeSeconds: undefined,
        restart: false,
        outcome: 'failed',
        reason: socketMissing,
      },
      {
        instance: 'wi',
        total: 4,
        online: 2,
        offline: 0,
        average: 2,
        gauge: 8,
        limit: 10,
        connected: 3,
        uptimeSeconds: 15,
        restart: false,
        outcome: 'failed',
        reason: 'config file /etc/fastd/wi/peer_limit.conf does not exist',
      },
      {
        instance: 'bi',
        total: 4,
        online: 2,
        offline: 0,
        average: 2,
        gauge: 8,
        limit: 10,
        connected: 3,
        uptimeSeconds: 15,
        restart: false,
        outcome: 'skipped',
        reason: skipNone,
      },
      {
        instance: 'ka',
        total: 2,
        online: 2,
        offline: 0,
        average: 1,
        gauge: 8,
        limit: 9,
        connected: 1,
        uptimeSeconds: 12,
        restart: false,
        outcome: 'skipped',
        reason: skipTwo,
      },
    ]);
    expect(result.changed).toBe(0);
    expect(t.limitConf('mz')).toBe('peer limit 5;\n');
    expect(t.limitConf('ka')).toBe('peer limit 5;\npeer limit 6;\n');
    expect(Object.keys(JSON.parse(t.published()))).toEqual(['wi', 'bi', 'ka', 'ansible', '_timestamp']);
    // A skipped instance's limit is still the verify hook's; a failed one's is not.
    expect(readVerifyState(t.stateFile)?.instances).toEqual({
      mz: { interface: 'mzVPN', keys: [], limit: null, connected: null },
      wi: { interface: 'wiVPN', keys: [], limit: null, connected: null },
      bi: { interface: 'biVPN', keys: [], limit: 10, connected: 3 },
      ka: { interface: 'kaVPN', keys: [], limit: 9, connected: 1 },
    });
    expect(t.warnings).toEqual([
      [{ instance: 'bi', file: '/etc/fastd/bi/peer_limit.conf' }, skipNone],
      [{ instance: 'ka', file: '/etc/fastd/ka/peer_limit.conf' }, skipTwo],
    ]);
  });

  it('publishes nothing when no instance has its own status', async () => {
    const t = await fleet('limit-nothing-own', {
      instances: [{ name: 'mz', limitConf: 'peer limit 5;\n' }],
      remotes: { b: { mz: { peers: 6 } } },
    });
    const { result } = await t.partly();
    expect(result.published).toBeUndefined();
    expect(existsSync(t.host('var/www/fastd_status.json'))).toBe(false);
  });

  it('never writes a limit fastd cannot read, whatever the (bypassed) settings compute', async () => {
    const cases: [number, string | undefined][] = [
      [2_147_483_644, undefined],
      [2_147_483_645, "computed limit 2147483648 is outside fastd's range"],
      [-100, "computed limit -97 is outside fastd's range"],
      [0.5, "computed limit 3.5 is outside fastd's range"],
    ];
    for (const [additional, refusal] of cases) {
      const t = await fleet('limit-range', {
        instances: [{ name: 'mz', capture: gwCapture, limitConf: 'peer limit 5;\n' }],
        raw: (cfg) => {
          cfg.limit.additional = additional;
        },
      });
      if (refusal === undefined) {
        expect((await t.apply()).instances[0]).toMatchObject({ limit: 2_147_483_647, outcome: 'changed' });
        expect(t.limitConf('mz')).toBe('peer limit 2147483647;\n');
        continue;
      }
      const error = await t.partly();
      expect(error.problems).toEqual([`mz: ${refusal}`]);
      expect(t.limitConf('mz')).toBe('peer limit 5;\n');
      expect(t.restarts).toEqual([]);
    }
  });

  it('in dry-run computes and reports, but writes, checks and restarts nothing', async () => {
    const t = await fleet('limit-dry', {
      instances: [{ name: 'mz', capture: gwCapture, limitConf: 'peer limit 7.5e+299;\n' }],
      dryRun: true,
    });
    // A configuration fastd refuses: a check would fail the instance.
    writeFileSync(t.host('etc/fastd/mz/fastd.conf'), 'bogus;\n');
    const result = await t.apply();
    expect(result.instances[0]).toMatchObject({
      limit: 11,
      old: undefined,
      restart: true,
      outcome: 'changed',
    });
    expect(result.published).toBe('/var/www/fastd_status.json');
    expect(t.limitConf('mz')).toBe('peer limit 7.5e+299;\n');
    expect(existsSync(t.host('var/www/fastd_status.json'))).toBe(false);
    expect(existsSync(t.stateFile)).toBe(false);
    expect(t.restarts).toEqual([]);
  });

  it('does not restart when fastd refuses an unchanged configuration it was to be restarted with', async () => {
    const t = await fleet('limit-refused-unchanged', {
      instances: [{ name: 'mz', capture: gwCapture, limitConf: 'peer limit 11;\n' }],
      limit: { restartAfterUptimeSeconds: 10 },
    });
    writeFileSync(
      t.host('etc/fastd/mz/fastd.conf'),
      `${readFileSync(t.host('etc/fastd/mz/fastd.conf'), 'utf8')}bogus;\n`,
    );
    const error = await t.partly();
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(
      /^mz: fastd --verify-config refused the configuration \(.*Error: config error: syntax error at .*\/etc\/fastd\/mz\/fastd\.conf:7:1\); fastd was not restarted$/,
    );
    expect(error.result.instances[0]).toMatchObject({
      limit: 11,
      old: 11,
      restart: false,
      outcome: 'failed',
    });
    expect(t.restarts).toEqual([]);
  });

  it('checks the configured fastdConfig, else fastd.conf beside the statement, else the statement file itself', async () => {
    // fastdConfig given: it is checked (and refused), not the good fastd.conf beside.
    const given = await fleet('limit-fastdconfig', {
      instances: [
        {
          name: 'mz',
          capture: gwCapture,
          limitConf: 'peer limit 100;\n',
          extra: { fastdConfig: '/etc/fastd/mz/broken.conf' },
        },
      ],
    });
    writeFileSync(given.host('etc/fastd/mz/broken.conf'), 'bogus;\n');
    const refused = await given.partly();
    expect(refused.problems[0]).toMatch(
      /broken\.conf:1:1\); \/etc\/fastd\/mz\/peer_limit\.conf was restored, fastd was not restarted$/,
    );
    expect(given.limitConf('mz')).toBe('peer limit 100;\n');
    // The statement in a complete configuration of another name, no fastd.conf beside it.
    const alone = await fleet('limit-alone', {
      instances: [{ name: 'mz', capture: gwCapture, extra: { configFile: '/etc/fastd/mz/mz.conf' } }],
    });
    const conf = readFileSync(alone.host('etc/fastd/mz/fastd.conf'), 'utf8').replace(
      'include "peer_limit.conf";',
      'peer limit 100;',
    );
    writeFileSync(alone.host('etc/fastd/mz/mz.conf'), conf);
    rmSync(alone.host('etc/fastd/mz/fastd.conf'));
    expect((await alone.apply()).instances[0]).toMatchObject({
      limit: 11,
      restart: true,
      outcome: 'changed',
    });
    expect(readFileSync(alone.host('etc/fastd/mz/mz.conf'), 'utf8')).toBe(
      conf.replace('peer limit 100;', 'peer limit 11;'),
    );
    expect(alone.restarts).toEqual(['fastd@mz']);
  });

  it.skipIf(!canSetUmask)('publishes a status the web server can read under any umask (0644)', async () => {
    const t = await fleet('limit-umask', {
      instances: [{ name: 'mz', capture: gwCapture, limitConf: 'peer limit 11;\n' }],
    });
    await withUmask(0o077, () => t.apply());
    expect(statSync(t.host('var/www/fastd_status.json')).mode & 0o777).toBe(0o644);
  });

  it("names fastd's refusal by its first error line, else its last line, else its exit code", async () => {
    // A stand-in for `fastd --verify-config --config FILE` (the real one always says "Error: …"):
    // FILE holds what it prints on stderr and stdout and its exit code.
    const bin = tempDir('limit-fake-fastd');
    writeFileSync(
      path.join(bin, 'fastd'),
      [
        '#!/bin/sh',
        `sed -n 's/^stderr://p' "$3" >&2`,
        `sed -n 's/^stdout://p' "$3"`,
        `exit "$(sed -n 's/^exit://p' "$3")"`,
        '',
      ].join('\n'),
    );
    chmodSync(path.join(bin, 'fastd'), 0o755);
    const verdicts: [string, string][] = [
      [
        'stderr:  warning: x  \nstderr:\nstderr:  ERROR: first  \nstderr:error: second\nstdout:out\nexit:1',
        'ERROR: first',
      ],
      ['stdout:An error on stdout\nstderr:on stderr\nexit:1', 'An error on stdout'],
      ['stderr:first\nstderr:middle\nstderr:  last  \nstderr:\nexit:2', 'last'],
      ['stderr:on stderr\nstdout:on stdout\nexit:2', 'on stdout'],
      ['stderr:\nexit:3', 'exit 3'],
    ];
    const path0 = process.env.PATH;
    process.env.PATH = `${bin}:${path0}`;
    try {
      for (const [verdict, reason] of verdicts) {
        const t = await fleet('limit-verdicts', {
          instances: [
            {
              name: 'mz',
              capture: gwCapture,
              limitConf: 'peer limit 100;\n',
              extra: { fastdConfig: '/etc/fastd/mz/verdict' },
            },
          ],
        });
        writeFileSync(t.host('etc/fastd/mz/verdict'), `${verdict}\n`);
        const error = await t.partly();
        expect({ verdict, problems: error.problems }).toEqual({
          verdict,
          problems: [
            `mz: fastd --verify-config refused the configuration (${reason}); /etc/fastd/mz/peer_limit.conf was restored, fastd was not restarted`,
          ],
        });
      }
    } finally {
      process.env.PATH = path0;
    }
  });

  it('checks the configuration only when it rewrote it or is to restart fastd', async () => {
    // Limit 11 each: mz unchanged (no check, so its broken fastd.conf goes unnoticed); wi moves by 7
    // (< additional: rewritten, checked, refused, restored); bi moves by 7 as well and passes.
    const t = await fleet('limit-check-when', {
      instances: [
        { name: 'mz', capture: gwCapture, limitConf: 'peer limit 11;\n' },
        { name: 'wi', capture: gwCapture, limitConf: 'peer limit 4;\n' },
        { name: 'bi', capture: gwCapture, limitConf: 'peer limit 18;\n' },
      ],
    });
    for (const instance of ['mz', 'wi'])
      writeFileSync(t.host(`etc/fastd/${instance}/fastd.conf`), 'bogus;\n');
    const error = await t.partly();
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(
      /^wi: fastd --verify-config refused the configuration \(.*syntax error.*\); \/etc\/fastd\/wi\/peer_limit\.conf was restored, fastd was not restarted$/,
    );
    expect(error.result.instances.map((row) => [row.instance, row.old, row.restart, row.outcome])).toEqual([
      ['mz', 11, false, 'unchanged'],
      ['wi', 4, false, 'failed'],
      ['bi', 18, false, 'changed'],
    ]);
    expect(t.limitConf('wi')).toBe('peer limit 4;\n');
    expect(t.limitConf('bi')).toBe('peer limit 11;\n');
    expect(t.restarts).toEqual([]);
  });

  it('writes a limit of 0 (no peers at all, nothing additional)', async () => {
    const t = await fleet('limit-zero', {
      instances: [
        { name: 'mz', capture: JSON.stringify({ uptime: 1000, peers: {} }), limitConf: 'peer limit 5;\n' },
      ],
      limit: { additional: 0 },
    });
    expect((await t.apply()).instances[0]).toMatchObject({ total: 0, limit: 0, old: 5, outcome: 'changed' });
    expect(t.limitConf('mz')).toBe('peer limit 0;\n');
  });

  it('restarts for a move of exactly `additional`, not one less, however short fastd has been up', async () => {
    const t = await fleet('limit-restart-additional', {
      instances: [
        { name: 'mz', capture: gwCapture, limitConf: 'peer limit 3;\n' },
        { name: 'wi', capture: gwCapture, limitConf: 'peer limit 4;\n' },
      ],
    });
    const rows = (await t.apply()).instances;
    expect(rows.map((row) => [row.instance, row.limit, row.restart])).toEqual([
      ['mz', 11, true],
      ['wi', 11, false],
    ]);
    expect(t.restarts).toEqual(['fastd@mz']);
  });
});
