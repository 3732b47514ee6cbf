import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, FileStore, RootSandbox, Shell, type TaskContext } from '@ffphoton/core';
import { afterEach, describe, expect, it } from 'vitest';
import { alfredSettings } from '../settings.js';
import { writeFakeHost } from '../test-helpers/fake-host.js';
import { recordingLogger } from '../test-helpers/recording-logger.js';
import { queryRespondd } from './respondd-collector.js';
import { responddMeshes, serveRespondd } from './respondd-server.js';

describe('respondd server', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  function host(dryRun = false) {
    const root = mkdtempSync(path.join(os.tmpdir(), 'alfred-respondd-server-'));
    roots.push(root);
    const put = (p: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
      writeFileSync(path.join(root, p), text);
    };
    const { logger, lines } = recordingLogger();
    const ctx = {
      dryRun,
      host: 'gw-host',
      shell: new Shell({ dryRun, defaultTimeoutMs: 30_000 }),
      files: new FileStore(new RootSandbox(root), { dryRun }),
      logger,
    } as unknown as TaskContext;
    return { root, put, ctx, lines };
  }

  const settings = (extra: Record<string, unknown> = {}) =>
    alfredSettings.schema.parse({
      announce: { batctl: ['false'], fastdVersion: ['echo', 'fastd v22'] },
      ...extra,
    });

  describe('meshes to answer for', () => {
    it('the configured ones, or those named', async () => {
      const { ctx } = host();
      const cfg = settings({ meshes: [{ name: 'mz' }, { name: 'wi', batman: 'bat1' }] });
      expect((await responddMeshes(ctx, cfg, undefined)).map((m) => m.name)).toEqual(['mz', 'wi']);
      expect((await responddMeshes(ctx, cfg, ['wi'])).map((m) => m.name)).toEqual(['wi']);
      await expect(responddMeshes(ctx, settings(), ['mz'])).rejects.toThrow(ConfigError);
    });

    it('without any: the host, by its first interface with a real MAC address', async () => {
      const { ctx, put } = host();
      const cfg = settings();
      const host0 = (batman: string) => [
        {
          name: 'host',
          batman,
          role: 'gateway',
          socket: '/var/run/alfred.sock',
          responddInterfaces: [batman],
        },
      ];
      expect(await responddMeshes(ctx, cfg, undefined)).toEqual(host0('bat0'));
      put('/sys/class/net/lo/address', '00:00:00:00:00:00\n');
      put('/sys/class/net/a-junk/address', 'x02:ca:fe:00:00:01\n');
      put('/sys/class/net/b-junk/address', '02:ca:fe:00:00:01x\n');
      put('/sys/class/net/c-upper/address', '02:CA:FE:00:00:01\n');
      put('/sys/class/net/d-none/mtu', '1500\n');
      expect(await responddMeshes(ctx, cfg, [])).toEqual(host0('bat0'));
      put('/sys/class/net/z-last/address', '02:ca:fe:00:00:09\n');
      put('/sys/class/net/eth0/address', '  02:ca:fe:00:00:01\n');
      expect(await responddMeshes(ctx, cfg, undefined)).toEqual(host0('eth0'));
    });
  });

  it('dry run: collects once and reports what it would serve, without listening', async () => {
    const { ctx, root, lines } = host(true);
    writeFakeHost(root, {
      batman: 'bat0',
      batmanMac: '02:ca:fe:00:ff:01',
      fastd: 'vpn0',
      fastdMac: '02:ca:fe:00:01:01',
      bridge: 'br0',
      bridgeAddressHex: 'fd370000000000000000000000000001',
    });
    const cfg = settings({
      meshes: [
        { name: 'mz', bridge: 'br0' },
        { name: 'mz2', batman: 'bat2' },
      ],
    });
    const result = await serveRespondd(ctx, cfg, cfg.meshes, { port: 1001 }, new Promise(() => {}));
    const failed = (bat: string, what: string, sub: string) =>
      `${what}: false meshif ${bat} ${sub} -n failed: exit 1`;
    expect(result.address).toBe('::');
    expect(result.port).toBe(1001);
    expect(result.counts).toEqual({
      requests: 0,
      answered: 0,
      malformed: 0,
      rateLimited: 0,
      unanswerable: 0,
    });
    expect(result.memberships).toEqual([
      { group: 'ff02::2:1001', iface: 'br0', mesh: 'mz' },
      { group: 'ff05::2:1001', iface: 'br0', mesh: 'mz' },
      { group: 'ff02::2:1001', iface: 'bat0', mesh: 'mz' },
      { group: 'ff05::2:1001', iface: 'bat0', mesh: 'mz' },
      { group: 'ff02::2:1001', iface: 'bat2', mesh: 'mz2' },
      { group: 'ff05::2:1001', iface: 'bat2', mesh: 'mz2' },
    ]);
    // Each mesh lists only its own problems (mz is no prefix of mz2's).
    expect(result.meshes.map((m) => ({ ...m, problems: [...m.problems].sort() }))).toEqual([
      {
        mesh: 'mz',
        nodeId: '02cafe00ff01',
        problems: [
          failed('bat0', 'clients', 'tl'),
          failed('bat0', 'gateway', 'gwl'),
          failed('bat0', 'neighbours', 'o'),
        ].map((p) => `mesh mz: ${p}`),
      },
      {
        mesh: 'mz2',
        problems: [
          failed('bat2', 'clients', 'tl'),
          failed('bat2', 'gateway', 'gwl'),
          failed('bat2', 'neighbours', 'o'),
          'network.mac: /sys/class/net/bat2/address does not exist',
          ...['rx_bytes', 'rx_packets', 'tx_bytes', 'tx_dropped', 'tx_packets'].map(
            (c) => `traffic: /sys/class/net/bat2/statistics/${c} does not exist`,
          ),
        ].map((p) => `mesh mz2: ${p}`),
      },
    ]);
    expect(lines.every((l) => l.startsWith('warn respondd: mesh mz'))).toBe(true);
    expect(lines).toHaveLength(3 + 9);
  });

  it('serves until stopped, answering with the collected data; each problem is logged once', async () => {
    const { ctx, root, lines } = host();
    writeFakeHost(root, {
      batman: 'bat0',
      batmanMac: '02:ca:fe:00:ff:01',
      fastd: 'vpn0',
      fastdMac: '02:ca:fe:00:01:01',
      bridge: 'br0',
      bridgeAddressHex: 'fd370000000000000000000000000001',
    });
    // No cache: every request collects again, and finds the same problems again.
    const cfg = settings({ meshes: [{ name: 'mz' }], respondd: { cacheSeconds: 0 } });
    let stop = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const serving = serveRespondd(ctx, cfg, cfg.meshes, { address: '::1', port: 0 }, stopped);
    const port = await (async () => {
      for (let i = 0; i < 200; i += 1) {
        const line = lines.find((l) => l.startsWith('info respondd: answering on [::1]:'));
        if (line) return Number(/:(\d+) for mz$/.exec(line)?.[1]);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('respondd did not start');
    })();
    for (let i = 0; i < 2; i += 1) {
      const { answers } = await queryRespondd('::1', port, ['nodeinfo'], 2_000);
      expect(answers.map((a) => a.data)).toEqual([
        {
          nodeinfo: {
            node_id: '02cafe00ff01',
            hostname: 'gw-host',
            network: {
              mac: '02:ca:fe:00:ff:01',
              mesh_interfaces: [],
              mesh: { bat0: { interfaces: { tunnel: [] } } },
            },
            software: {
              'batman-adv': { version: '2023.0' },
              fastd: { enabled: true, version: 'v22' },
              firmware: { base: 'Debian', release: '12' },
            },
            hardware: { model: 'QEMU Virtual CPU', nproc: 2 },
            system: { role: 'gateway' },
            vpn: true,
          },
        },
      ]);
    }
    stop();
    const result = await serving;
    expect(result).toMatchObject({ address: '::1', port, memberships: [] });
    expect(result.counts).toMatchObject({ requests: 2, answered: 2 });
    expect(result.meshes).toEqual([{ mesh: 'mz', nodeId: '02cafe00ff01', problems: expect.any(Array) }]);
    const warnings = lines.filter((l) => l.startsWith('warn '));
    expect(warnings).toHaveLength(3);
    expect(new Set(warnings).size).toBe(3);
    // Stopped: the port answers no more.
    expect((await queryRespondd('::1', port, ['nodeinfo'], 200)).answers).toEqual([]);
  });
});
