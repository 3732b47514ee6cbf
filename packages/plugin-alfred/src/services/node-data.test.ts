import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileStore, RootSandbox, Shell } from '@ffphoton/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type AlfredSettings, alfredSettings } from '../settings.js';
import { writeFakeHost } from '../test-helpers/fake-host.js';
import { NodeDataCollector } from './node-data.js';

const batctlDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-data/batctl');

/**
 * batctl as a script: `meshif BAT SUB -n` prints `<dir>/BAT.SUB`, else fails like batctl
 * without that mesh interface.
 */
function fakeBatctl(dir: string): string[] {
  return [
    'sh',
    '-c',
    `f="${dir}/$2.$3"; [ -f "$f" ] && exec cat "$f"; echo "Error - mesh interface $2 is not present" >&2; echo more >&2; exit 1`,
    'batctl',
  ];
}

describe('node data of the host', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  function host(settings: Record<string, unknown> = {}) {
    const root = mkdtempSync(path.join(os.tmpdir(), 'alfred-node-data-'));
    roots.push(root);
    const put = (p: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
      writeFileSync(path.join(root, p), text);
    };
    const batctl = path.join(root, 'batctl');
    mkdirSync(batctl);
    const cfg: AlfredSettings = alfredSettings.schema.parse({
      announce: { batctl: fakeBatctl(batctl), fastdVersion: ['echo', 'fastd v22 (git)'] },
      ...settings,
    });
    const shell = new Shell({ dryRun: false, defaultTimeoutMs: 30_000 });
    const files = new FileStore(new RootSandbox(root));
    return {
      root,
      put,
      batctl: (bat: string, sub: string, text: string) =>
        writeFileSync(path.join(batctl, `${bat}.${sub}`), text),
      cfg,
      collector: new NodeDataCollector(shell, files, cfg),
    };
  }

  const fullMesh = {
    name: 'mz',
    bridge: 'mzBR',
    batman: 'mzBAT',
    fastd: 'mzVPN',
    siteCode: 'ffmz',
    contact: 'noc@example.org',
    location: { latitude: 50, longitude: 8.25 },
  };

  function fullHost() {
    const h = host({ meshes: [fullMesh] });
    writeFakeHost(h.root, {
      batman: 'mzBAT',
      batmanMac: '02:ca:fe:00:ff:0b',
      fastd: 'mzVPN',
      fastdMac: '02:ca:fe:00:01:0b',
      bridge: 'mzBR',
      bridgeAddressHex: 'fd37b4dc4b1e0000000000000000000b',
    });
    h.batctl('mzBAT', 'gwl', readFileSync(path.join(batctlDir, 'gwl-netlink-2023.txt'), 'utf8'));
    h.batctl(
      'mzBAT',
      'tl',
      [
        'Client             VID Flags    Last seen (CRC       )',
        '02:ca:fe:00:ff:0b   -1 [.P....]   0.000   (0x12345678)',
        'a0:b1:c2:d3:e4:f5   -1 [......]   1.520   (0x12345678)',
        'a0:b1:c2:d3:e4:f6   -1 [....W.]   3.100   (0x12345678)',
      ].join('\n'),
    );
    h.batctl('mzBAT', 'o', readFileSync(path.join(batctlDir, 'o-netlink-2023.txt'), 'utf8'));
    return h;
  }

  const fullNodeinfo = {
    node_id: '02cafe00ff0b',
    hostname: 'gw-b',
    network: {
      mac: '02:ca:fe:00:ff:0b',
      addresses: ['fd37:b4dc:4b1e::b', 'fe80::1'],
      mesh_interfaces: ['02:ca:fe:00:01:0b'],
      mesh: { mzBAT: { interfaces: { tunnel: ['02:ca:fe:00:01:0b'] } } },
    },
    software: {
      'batman-adv': { version: '2023.0' },
      fastd: { enabled: true, version: 'v22' },
      firmware: { base: 'Debian', release: '12' },
    },
    hardware: { model: 'QEMU Virtual CPU', nproc: 2 },
    system: { site_code: 'ffmz', role: 'gateway' },
    owner: { contact: 'noc@example.org' },
    location: { latitude: 50, longitude: 8.25 },
    vpn: true,
  };

  const fullStatistics = {
    node_id: '02cafe00ff0b',
    uptime: 1234567.89,
    idletime: 2345678.12,
    loadavg: 0.42,
    memory: { total: 4045572, free: 1334868, buffers: 254828, cached: 1568364 },
    processes: { running: 1, total: 187 },
    traffic: {
      rx: { bytes: 23567081209, packets: 81283744 },
      tx: { bytes: 31840117211, packets: 79402431, dropped: 1803 },
    },
    clients: { total: 2 },
    gateway: '02:ca:fe:00:00:0b',
  };

  it('builds nodeinfo, statistics and neighbours of a full gateway, without problems', async () => {
    const h = fullHost();
    expect(await h.collector.collect(h.cfg.meshes, 'gw-b', { neighbours: true })).toEqual({
      meshes: [
        {
          mesh: 'mz',
          nodeinfo: fullNodeinfo,
          statistics: fullStatistics,
          neighbours: {
            node_id: '02cafe00ff0b',
            batadv: {
              '02:ca:fe:00:01:0b': {
                neighbours: {
                  '02:ca:fe:00:00:0b': { tq: 255, lastseen: 0.31 },
                  '02:ca:fe:00:00:0c': { tq: 180, lastseen: 1.02 },
                },
              },
            },
          },
          problems: [],
        },
      ],
      sharedProblems: [],
    });
  });

  it('leaves neighbours out unless asked, and runs no batctl o then', async () => {
    const h = fullHost();
    rmSync(path.join(h.root, 'batctl/mzBAT.o'));
    const [mesh] = (await h.collector.collect(h.cfg.meshes, 'gw-b')).meshes;
    expect(mesh).toStrictEqual({
      mesh: 'mz',
      nodeinfo: fullNodeinfo,
      statistics: fullStatistics,
      problems: [],
    });
  });

  it('a neighbour interface without a MAC is left out; no batctl o is one problem', async () => {
    const h = fullHost();
    h.put('/sys/class/net/mzVPN/address', 'none\n');
    const [withoutMac] = (await h.collector.collect(h.cfg.meshes, 'gw-b', { neighbours: true })).meshes;
    expect(withoutMac.neighbours).toStrictEqual({ node_id: '02cafe00ff0b', batadv: {} });
    h.put('/sys/class/net/mzVPN/address', '02:ca:fe:00:01:0b\n');
    rmSync(path.join(h.root, 'batctl/mzBAT.o'));
    const [withoutO] = (await h.collector.collect(h.cfg.meshes, 'gw-b', { neighbours: true })).meshes;
    expect(withoutO.neighbours).toStrictEqual({ node_id: '02cafe00ff0b' });
    expect(withoutO.problems).toEqual([
      'neighbours: ' +
        `${[...h.cfg.announce.batctl, 'meshif', 'mzBAT', 'o', '-n'].join(' ')} failed: Error - mesh interface mzBAT is not present`,
    ]);
  });

  it('settings override the host name and model; the mesh interfaces are batman-adv’s lower ones', async () => {
    const h = host({
      meshes: [{ name: 'wi', hostname: 'gw-wi', hardwareModel: 'APU2', role: 'server' }],
    });
    h.put('/sys/class/net/bat0/address', '02:ca:fe:00:00:01\n');
    h.put('/proc/cpuinfo', 'processor\t: 0\nHardware\t: BCM2835  \n');
    for (const [iface, mac] of [
      ['eth1', '02:ca:fe:00:00:e1'],
      ['eth2', 'junk'],
      ['eth3', '02:ca:fe:00:00:e3'],
    ]) {
      mkdirSync(path.join(h.root, `sys/class/net/bat0/lower_${iface}`), { recursive: true });
      h.put(`/sys/class/net/${iface}/address`, `${mac}\n`);
    }
    h.put('/sys/class/net/bat0/upper_br0', '');
    const { meshes, sharedProblems } = await h.collector.collect(h.cfg.meshes, 'host-name');
    expect(meshes[0].nodeinfo).toEqual({
      node_id: '02cafe000001',
      hostname: 'gw-wi',
      network: {
        mac: '02:ca:fe:00:00:01',
        mesh_interfaces: ['02:ca:fe:00:00:e1', '02:ca:fe:00:00:e3'],
        mesh: { bat0: { interfaces: { tunnel: ['02:ca:fe:00:00:e1', '02:ca:fe:00:00:e3'] } } },
      },
      software: { fastd: { enabled: true, version: 'v22' } },
      hardware: { model: 'APU2', nproc: 1 },
      system: { role: 'server' },
      vpn: true,
    });
    expect(meshes[0].problems).toContain('network.mesh_interfaces: eth2 has no MAC address ("junk")');
    expect(sharedProblems).toEqual([
      'uptime: /proc/uptime does not exist',
      'loadavg: /proc/loadavg does not exist',
      'memory: /proc/meminfo does not exist',
      'software.batman-adv.version: /sys/module/batman_adv/version does not exist',
      'software.firmware: /etc/os-release does not exist',
    ]);
  });

  it('an empty host still gives the static parts, and every missing item once', async () => {
    const h = host({
      meshes: [{ name: 'mz' }, { name: 'wi', batman: 'bat1' }],
      announce: { batctl: ['false'], fastdVersion: ['sh', '-c', 'exit 3'] },
    });
    const collected = await h.collector.collect(h.cfg.meshes, 'gw', { neighbours: true });
    // The helper programs run concurrently: their problems come in any order.
    for (const mesh of collected.meshes) mesh.problems.sort();
    collected.sharedProblems.sort();
    const staticPart = (bat: string) => ({
      hostname: 'gw',
      network: { mesh_interfaces: [], mesh: { [bat]: { interfaces: { tunnel: [] } } } },
      software: { fastd: { enabled: true } },
      system: { role: 'gateway' },
      vpn: true,
    });
    const failed = (bat: string, what: string, sub: string) =>
      `${what}: false meshif ${bat} ${sub} -n failed: exit 1`;
    expect(collected).toEqual({
      meshes: ['bat0', 'bat1'].map((bat, i) => ({
        mesh: ['mz', 'wi'][i],
        nodeinfo: staticPart(bat),
        statistics: {},
        neighbours: {},
        problems: [
          `network.mac: /sys/class/net/${bat}/address does not exist`,
          ...['rx_bytes', 'rx_packets', 'tx_bytes', 'tx_packets', 'tx_dropped'].map(
            (c) => `traffic: /sys/class/net/${bat}/statistics/${c} does not exist`,
          ),
          failed(bat, 'gateway', 'gwl'),
          failed(bat, 'clients', 'tl'),
          failed(bat, 'neighbours', 'o'),
        ].sort(),
      })),
      sharedProblems: [
        'software.fastd.version: sh -c exit 3 failed: exit 3',
        'uptime: /proc/uptime does not exist',
        'loadavg: /proc/loadavg does not exist',
        'memory: /proc/meminfo does not exist',
        'hardware: /proc/cpuinfo does not exist',
        'software.batman-adv.version: /sys/module/batman_adv/version does not exist',
        'software.firmware: /etc/os-release does not exist',
      ].sort(),
    });
  });

  it('takes only well-formed values: junk around a number or version is no value', async () => {
    const h = host({
      meshes: [{ name: 'mz' }],
      announce: { batctl: ['false'], fastdVersion: ['echo', 'fastd2 v22x'] },
    });
    h.put('/proc/uptime', 'up\n');
    h.put('/proc/loadavg', 'high 0.30 0.25 x1/187 12345\n');
    h.put('/proc/meminfo', 'MemFree:         1334868 kB\n');
    h.put('/proc/cpuinfo', 'processor\t: 0\nprocessor : 1\n xprocessor: 2\nvendor model name: x\n');
    const { meshes } = await h.collector.collect(h.cfg.meshes, 'gw');
    expect(meshes[0].nodeinfo.hardware).toEqual({ nproc: 2 });
    expect(meshes[0].nodeinfo.software).toEqual({ fastd: { enabled: true } });
    expect(meshes[0].statistics).toEqual({});
    h.put('/proc/loadavg', '0.5 0.30 0.25 1/187x 12345\n');
    h.put('/proc/uptime', '12.5');
    h.put('/proc/cpuinfo', 'cpu model\t:   MIPS 24Kc V7.4  \n');
    const again = (await h.collector.collect(h.cfg.meshes, 'gw')).meshes[0];
    expect(again.statistics).toEqual({ uptime: 12.5, loadavg: 0.5 });
    expect(again.nodeinfo.hardware).toEqual({ model: 'MIPS 24Kc V7.4' });
  });
});
