import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CommandFailedError, FileStore, RootSandbox, Shell } from '@ffphoton/core';
import { afterEach, describe, expect, it } from 'vitest';
import { alfredSettings } from '../settings.js';
import { FakeAlfred, touchSocket } from '../test-helpers/fake-alfred.js';
import { writeFakeHost } from '../test-helpers/fake-host.js';
import { recordingLogger } from '../test-helpers/recording-logger.js';
import { AlfredClient } from './alfred-client.js';
import { Announcer } from './announcer.js';

describe('announcer', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  /** A gateway with mesh mz (bat0, socket present) and wi (bat1, socket missing). */
  function gateway({ dryRun = false, fastdVersion = ['echo', 'fastd v22'] } = {}) {
    const root = mkdtempSync(path.join(os.tmpdir(), 'alfred-announce-'));
    roots.push(root);
    for (const [batman, mac] of [
      ['bat0', '02:ca:fe:00:ff:01'],
      ['bat1', '02:ca:fe:00:ff:02'],
    ])
      writeFakeHost(root, {
        batman,
        batmanMac: mac,
        fastd: `vpn-${batman}`,
        fastdMac: mac.replace('ff', '01'),
        bridge: 'br0',
        bridgeAddressHex: 'fd370000000000000000000000000001',
      });
    touchSocket(root, '/run/mz.sock');
    const fake = new FakeAlfred(path.join(root, 'fake'));
    const cfg = alfredSettings.schema.parse({
      meshes: [
        { name: 'mz', batman: 'bat0', fastd: 'vpn-bat0', socket: '/run/mz.sock' },
        { name: 'wi', batman: 'bat1', fastd: 'vpn-bat1', socket: '/run/wi.sock' },
        { name: 'xx', batman: 'bat9', socket: '/run/mz.sock' },
      ],
      // batctl answers nothing here: every mesh has the same gateway/clients/neighbours problems.
      announce: { batctl: ['sh', '-c', 'echo "no batman-adv" >&2; exit 1', 'batctl'], fastdVersion },
    });
    const shell = new Shell({ dryRun, defaultTimeoutMs: 30_000 });
    const files = new FileStore(new RootSandbox(root), { dryRun });
    const { logger, lines } = recordingLogger();
    const client = new AlfredClient(shell, files, fake.command, 10_000);
    return { fake, cfg, lines, announcer: new Announcer(shell, files, client, cfg, logger) };
  }

  it('pushes nodeinfo, statistics and neighbours of each mesh, gzipped; a missing socket or MAC is that mesh’s error', async () => {
    const { fake, cfg, lines, announcer } = gateway({ fastdVersion: ['sh', '-c', 'exit 4'] });
    const result = await announcer.announce(cfg.meshes, 'gw-1');
    const batctlFailed = (bat: string) =>
      ['gateway', 'clients', 'neighbours'].map(
        (what, i) =>
          `${what}: sh -c echo "no batman-adv" >&2; exit 1 batctl meshif ${bat} ${['gwl', 'tl', 'o'][i]} -n failed: no batman-adv`,
      );
    const shared = 'software.fastd.version: sh -c exit 4 failed: exit 4';
    expect(result.meshes.map(({ nodeinfo, statistics, neighbours, problems, ...rest }) => rest)).toEqual([
      { mesh: 'mz', nodeId: '02cafe00ff01', pushed: true },
      {
        mesh: 'wi',
        nodeId: '02cafe00ff02',
        pushed: false,
        error: 'alfred socket /run/wi.sock does not exist (is alfred running?)',
      },
      { mesh: 'xx', pushed: false, error: 'bat9 has no MAC address' },
    ]);
    const [mz] = result.meshes;
    expect(mz.nodeinfo).toMatchObject({ node_id: '02cafe00ff01', hostname: 'gw-1', vpn: true });
    expect(mz.statistics).toMatchObject({ node_id: '02cafe00ff01', uptime: 1234567.89 });
    expect(mz.neighbours).toEqual({ node_id: '02cafe00ff01' });
    expect([...mz.problems].sort()).toEqual([shared, ...batctlFailed('bat0')].sort());
    expect(mz.problems[0]).toBe(shared);
    expect(result.meshes[2].problems).toContain('network.mac: /sys/class/net/bat9/address does not exist');
    expect(result.meshes[2].problems[0]).toBe(shared);
    // Exactly what was announced went to alfred, gzipped at level 9 as ffnord-alfred-announce does.
    const gzip = (value: unknown) => gzipSync(JSON.stringify(value), { level: 9 });
    expect(fake.pushed('/run/mz.sock', 158)).toEqual(gzip(mz.nodeinfo));
    expect(fake.pushed('/run/mz.sock', 159)).toEqual(gzip(mz.statistics));
    expect(fake.pushed('/run/mz.sock', 160)).toEqual(gzip(mz.neighbours));
    expect(
      fake
        .calls()
        .map((c) => c.replace(/^-u \S+ /, ''))
        .sort(),
    ).toEqual(['-s 158', '-s 159', '-s 160']);
    // The host-wide problem is logged once, each mesh's own under its name.
    expect(lines.filter((l) => l === `warn ${shared}`)).toHaveLength(1);
    expect(lines).toContain(`warn mesh wi: ${batctlFailed('bat1')[0]}`);
    expect(lines.filter((l) => l.startsWith('warn mesh '))).toHaveLength(
      result.meshes.reduce((n, m) => n + m.problems.length - 1, 0),
    );
  });

  it('a dry run builds everything and pushes nothing', async () => {
    const { fake, cfg, announcer } = gateway({ dryRun: true });
    const result = await announcer.announce([cfg.meshes[0]], 'gw-1');
    expect(result.meshes[0]).toMatchObject({ mesh: 'mz', nodeId: '02cafe00ff01', pushed: false });
    expect(result.meshes[0].error).toBeUndefined();
    expect(result.meshes[0].nodeinfo).toMatchObject({ node_id: '02cafe00ff01', hostname: 'gw-1' });
    expect(fake.calls()).toEqual([]);
  });

  it('a failure other than "no alfred" ends the run', async () => {
    const { fake, cfg, announcer } = gateway();
    fake.fail('/run/mz.sock', 159, 1, 'out of memory');
    await expect(announcer.announce([cfg.meshes[0]], 'gw-1')).rejects.toBeInstanceOf(CommandFailedError);
  });

  it('runs without a logger', async () => {
    const { fake, cfg } = gateway({ fastdVersion: ['false'] });
    const root = path.dirname(fake.dir);
    const shell = new Shell({ dryRun: false, defaultTimeoutMs: 30_000 });
    const files = new FileStore(new RootSandbox(root));
    const announcer = new Announcer(shell, files, new AlfredClient(shell, files, fake.command, 10_000), cfg);
    const result = await announcer.announce([cfg.meshes[0]], 'gw-1');
    expect(result.meshes[0]).toMatchObject({
      pushed: true,
      problems: expect.arrayContaining([expect.stringMatching(/^software\.fastd\.version: /)]),
    });
  });
});
