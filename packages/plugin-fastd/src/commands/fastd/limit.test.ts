import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LimitResult } from '../../services/peer-limit-service.js';
import { connectedPeers, type FastdNode, FastdTestbed, waitFor } from '../../test-helpers/fastd-testbed.js';
import { runCommand } from '../../test-helpers/run-command.js';
import { startStatusServers } from '../../test-helpers/status-servers.js';
import { readVerifyState } from '../../verify-state.js';
import FastdLimit from './limit.js';

const count = async (socket: string) => (await connectedPeers(socket)).length;

describe('photon fastd limit (real fastd gateway, loopback status servers)', () => {
  const bed = new FastdTestbed();
  let gw: FastdNode;
  let servers: Awaited<ReturnType<typeof startStatusServers>>;
  const published = () => path.join(bed.dir, 'www', 'fastd_status.json');
  const state = () => path.join(bed.dir, 'verify.json');
  const now = () => Date.now() / 1000;

  const settings = (overrides: Record<string, unknown> = {}, instance: Record<string, unknown> = {}) =>
    bed.settings(
      gw,
      {
        limit: {
          gateways: ['gw1', 'fresh1', 'fresh2', 'stale', 'malformed', 'array', 'future', 'silent'],
          statusUrl: servers.urlTemplate,
          localStatusFile: published(),
          additional: 0,
          fetchTimeoutMs: 1_500,
          ...overrides,
        },
        restartCommand: bed.restartCommand,
        verifyStateFile: state(),
      },
      { unit: 'gw', ...instance },
    );

  beforeAll(async () => {
    gw = await bed.create('gw', [
      'include peers from "peers";',
      '# peer limit 7; stays as it is',
      'peer limit 50;',
    ]);
    const clients = [
      await bed.createClient('c1', gw),
      await bed.createClient('c2', gw),
      await bed.createClient('c3', gw),
    ];
    for (const client of clients) bed.addPeer(gw, client);
    await bed.start(gw);
    for (const client of clients) await bed.start(client);
    await waitFor('three clients connected', async () => ((await count(gw.socket)) === 3 ? true : undefined));
    servers = await startStatusServers({
      fresh1: JSON.stringify({
        gw: { peers: 0, uptime: 10, limit: 9 },
        ansible: true,
        _timestamp: now() - 5,
      }),
      fresh2: JSON.stringify({ gw: { peers: 0 }, _timestamp: now() - 100 }),
      stale: JSON.stringify({ gw: { peers: 500 }, _timestamp: now() - 5_000 }),
      malformed: '{"gw": {"peers": 500}, "_timest',
      array: JSON.stringify([{ gw: { peers: 500 } }]),
      future: JSON.stringify({ gw: { peers: 500 }, _timestamp: now() + 3_600 }),
      silent: 'silent',
    });
  });
  afterAll(async () => {
    await servers?.close();
    await bed.cleanup();
  });

  it('--dry-run prints the computation and changes nothing', async () => {
    const before = readFileSync(gw.config, 'utf8');
    const run = await runCommand<LimitResult>(FastdLimit, ['--config', settings(), '--dry-run']);
    expect(run.exitCode).toBe(0);
    // 3 + 0 + 0 over 3 online gateways → 1; additional 0 → limit 1; old 50
    expect(run.stdout).toMatch(
      /^instance\s+total\s+online\s+offline\s+average\s+gauge\s+limit\s+old\s+restart\?/m,
    );
    expect(run.stdout).toMatch(/^gw\s+3\s+3\s+5\s+1\s+0\s+1\s+50\s+yes/m);
    expect(readFileSync(gw.config, 'utf8')).toBe(before);
    expect(bed.log('restarts')).toEqual([]);
    expect(() => readFileSync(published())).toThrow();
  });

  it('rewrites the active statement, restarts, and the live gateway then accepts only the new limit', async () => {
    const run = await runCommand<LimitResult>(FastdLimit, ['--config', settings(), '--json']);
    expect(run.exitCode).toBe(0);
    const result = run.output.result!;
    expect(result.instances[0]).toMatchObject({
      instance: 'gw',
      total: 3,
      online: 3,
      limit: 1,
      old: 50,
      restart: true,
    });
    expect(Object.fromEntries(result.gateways.map((g) => [g.gateway, g.state]))).toEqual({
      fresh1: 'fresh',
      fresh2: 'fresh',
      stale: 'stale',
      malformed: 'invalid',
      array: 'invalid',
      future: 'invalid',
      silent: 'unreachable',
    });
    const config = readFileSync(gw.config, 'utf8');
    expect(config).toContain('\npeer limit 1;\n');
    expect(config).toContain('# peer limit 7; stays as it is');
    expect(bed.log('restarts')).toEqual(['gw']);

    const doc = JSON.parse(readFileSync(published(), 'utf8'));
    expect(doc.gw).toMatchObject({ peers: 3, limit: 1 });
    expect(doc._timestamp).toBeGreaterThan(now() - 60);
    expect(readVerifyState(state())?.instances.gw).toMatchObject({ limit: 1, connected: 3 });

    // After the restart all three clients handshake again; fastd now admits only one.
    await waitFor('one client reconnected', async () => ((await count(gw.socket)) >= 1 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(await count(gw.socket)).toBe(1);
  }, 90_000);

  it('exits 69 and changes nothing when no gateway is online', async () => {
    const before = readFileSync(gw.config, 'utf8');
    const stamp = readFileSync(published(), 'utf8');
    const cfg = settings(
      { gateways: ['gw1', 'stale', 'silent'] },
      { statusSocket: path.join(bed.dir, 'gone.sock') },
    );
    const run = await runCommand<LimitResult>(FastdLimit, ['--config', cfg, '--json']);
    expect(run.exitCode).toBe(69);
    expect(run.output.error?.message).toMatch(/no gateway online/);
    expect(readFileSync(gw.config, 'utf8')).toBe(before);
    expect(readFileSync(published(), 'utf8')).toBe(stamp);
  });

  it('skips a config without an active peer limit with a warning', async () => {
    const other = path.join(bed.dir, 'nolimit.conf');
    writeFileSync(other, '# peer limit 5;\ninclude peers from "peers";\n');
    const run = await runCommand<LimitResult>(FastdLimit, [
      '--config',
      settings({}, { configFile: other }),
      '--json',
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.output.result!.instances[0]).toMatchObject({ outcome: 'skipped', restart: false });
    expect(readFileSync(other, 'utf8')).toBe('# peer limit 5;\ninclude peers from "peers";\n');
  });

  it('refuses to run on a host outside the gateway list (exit 2)', async () => {
    const run = await runCommand<LimitResult>(FastdLimit, [
      '--config',
      settings({ gateways: ['a', 'b'] }),
      '--json',
    ]);
    expect(run.exitCode).toBe(2);
  });
});
