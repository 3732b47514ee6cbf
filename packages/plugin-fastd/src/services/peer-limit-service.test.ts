import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  FileStore,
  PartialFailureError,
  RootSandbox,
  type ServiceManager,
  Shell,
  silentLogger,
} from '@ffphoton/core';
import { tempDir } from '@ffphoton/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { fastdSettings } from '../settings.js';
import { startStatusServers } from '../test-helpers/status-servers.js';
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
  const run = async (): Promise<LimitResult> => {
    try {
      return await service.apply(cfg, 'gw1');
    } catch (error) {
      if (error instanceof PartialFailureError) throw Object.assign(error, { partial: error.result });
      throw error;
    }
  };
  const statement = () => readFileSync(path.join(etc, 'peer_limit.conf'), 'utf8');
  const state = () => readVerifyState(path.join(root, 'var/lib/photon/fastd-verify.json'))?.instances.mz;
  const syncKeys = (keys: string[]) =>
    new VerifyStateStore(files, cfg.verifyStateFile, () => new Date()).update(cfg.instances, (entry) => {
      entry.keys = keys;
    });
  return { etc, run, set, restarts, statement, state, fastdConf, syncKeys };
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
    const error = await t.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartialFailureError);
    const row = ((error as PartialFailureError).result as LimitResult).instances[0];
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
