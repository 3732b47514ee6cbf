import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncResult } from '../../services/alfred-publisher.js';
import type { AnnounceResult } from '../../services/announcer.js';
import type { ZoneResult } from '../../services/node-zone.js';
import type { NodesResult } from '../../services/nodes-export.js';
import { AlfredTestbed, waitFor } from '../../test-helpers/alfred-testbed.js';
import { writeFakeHost } from '../../test-helpers/fake-host.js';
import { runCommand, writeSettings } from '../../test-helpers/run-command.js';
import AlfredAnnounce from './announce.js';
import AlfredNodes from './nodes.js';
import AlfredRead, { type ReadResult } from './read.js';
import AlfredSync from './sync.js';
import AlfredZone from './zone.js';

describe('photon alfred with real alfred daemons in two network namespaces', () => {
  const bed = new AlfredTestbed();
  /** A command with `--config`, this bed's `--root` and `--json`, then `extra` (positionals, more flags). */
  const runJson = <R>(command: Parameters<typeof runCommand>[0], config: string, ...extra: string[]) =>
    runCommand<R>(command, ['--config', config, '--root', bed.root, '--json', ...extra]);
  let gateway: string;
  let mapServer: string;
  let missing: string;
  let dryZone: string;
  let dryNodes: string;
  let syncMap: string;
  let syncDry: string;
  let syncRejected: string;
  let nodesOnly: string;
  const zoneFile = '/etc/bind/db.nodes.ffmz.org';
  /** Every alfred client call of the sync settings, one `-u SOCK -r TYPE` line each. */
  let alfredCalls: string;
  const calls = () => {
    const lines = readFileSync(alfredCalls, 'utf8').trim().split('\n');
    writeFileSync(alfredCalls, '');
    return lines.map((line) => line.replace(/^-u \S+ /, '')).sort();
  };

  beforeAll(async () => {
    await bed.start();
    writeFakeHost(bed.root, {
      batman: 'mzBAT',
      batmanMac: '02:ca:fe:00:ff:0b',
      fastd: 'mzVPN',
      fastdMac: '02:ca:fe:00:01:0b',
      bridge: 'mzBR',
      bridgeAddressHex: 'fd37b4dc4b1e0000000000000000000b',
      missingCounters: ['tx_dropped'],
    });
    const mesh = {
      name: 'mz',
      bridge: 'mzBR',
      batman: 'mzBAT',
      fastd: 'mzVPN',
      siteCode: 'ffmz',
      contact: 'noc@example.org',
    };
    const data = (side: string) => ({ hostname: `gw-${side}`, dataDir: `/var/lib/photon-${side}` });
    // The gateway's alfred client runs inside namespace B, as the cron job on that gateway would.
    gateway = writeSettings(bed.root, {
      photon: data('b'),
      alfred: {
        command: ['ip', 'netns', 'exec', bed.b.netns, 'alfred'],
        meshes: [{ ...mesh, socket: bed.b.socket }],
      },
    });
    mapServer = writeSettings(bed.root, {
      photon: { ...data('a'), services: { reload: ['true', '{unit}'] } },
      alfred: {
        meshes: [{ name: 'mz', socket: bed.a.socket }],
        zone: {
          name: 'nodes.ffmz.org',
          file: zoneFile,
          prefixes: ['fd37:b4dc:4b1e::/64'],
          nameservers: ['ns1.example.org.'],
          reloadCommand: ['true', 'reload', '{zone}'],
        },
        nodes: { nodesFile: '/srv/map/nodes.json', nodelistFile: '/srv/map/nodelist.json' },
      },
    });
    alfredCalls = bed.host('/alfred-calls.log');
    writeFileSync(alfredCalls, '');
    const syncZone = {
      name: 'nodes.ffmz.org',
      file: '/etc/bind/db.sync',
      prefixes: ['fd37:b4dc:4b1e::/64'],
      nameservers: ['ns1.example.org.'],
      reloadCommand: ['true', 'reload', '{zone}'],
    };
    const syncNodes = { nodesFile: '/srv/sync/nodes.json', nodelistFile: '/srv/sync/nodelist.json' };
    syncMap = writeSettings(bed.root, {
      photon: { ...data('s'), services: { reload: ['true', '{unit}'] } },
      alfred: {
        // The plain alfred client, logging each call: sync must read each type once.
        command: ['sh', '-c', `echo "$*" >> ${alfredCalls}; exec alfred "$@"`, 'alfred'],
        meshes: [{ name: 'mz', socket: bed.a.socket }],
        zone: syncZone,
        nodes: syncNodes,
      },
    });
    syncDry = writeSettings(bed.root, {
      alfred: {
        zone: { file: '/etc/bind/db.sync-dry' },
        nodes: { nodesFile: '/srv/sync-dry/nodes.json', nodelistFile: '/srv/sync-dry/nodelist.json' },
      },
    });
    // An in-zone name server without an address: named-checkzone refuses the zone.
    syncRejected = writeSettings(bed.root, {
      alfred: {
        zone: { name: 'bad.ffmz.org', file: '/etc/bind/db.bad', nameservers: ['ns'] },
        nodes: { nodesFile: '/srv/sync-bad/nodes.json', nodelistFile: '/srv/sync-bad/nodelist.json' },
      },
    });
    nodesOnly = writeSettings(bed.root, {
      photon: data('n'),
      alfred: {
        meshes: [{ name: 'mz', socket: bed.a.socket }],
        nodes: { nodesFile: '/srv/only/nodes.json', nodelistFile: '/srv/only/nodelist.json' },
      },
    });
    dryNodes = writeSettings(bed.root, {
      alfred: { nodes: { nodesFile: '/srv/dry/nodes.json', nodelistFile: '/srv/dry/nodelist.json' } },
    });
    dryZone = writeSettings(bed.root, { alfred: { zone: { file: '/etc/bind/db.dry' } } });
    missing = writeSettings(bed.root, {
      photon: data('c'),
      alfred: {
        meshes: [{ name: 'mz', batman: 'mzBAT', socket: '/run/not-there.sock' }],
        zone: { name: 'x.org', file: '/x', prefixes: ['::/0'], nameservers: ['ns.y.'] },
      },
    });
  });
  afterAll(() => bed.cleanup());

  it('announce builds nodeinfo and statistics from the sandbox and pushes them through alfred', async () => {
    const run = await runJson<AnnounceResult>(AlfredAnnounce, gateway);
    expect(run.output.error).toBeUndefined();
    expect(run.exitCode).toBe(0);
    const [mz] = run.output.result!.meshes;
    expect(mz).toMatchObject({ mesh: 'mz', nodeId: '02cafe00ff0b', pushed: true });
    expect(mz.nodeinfo).toMatchObject({
      node_id: '02cafe00ff0b',
      hostname: 'gw-b',
      network: {
        mac: '02:ca:fe:00:ff:0b',
        addresses: ['fd37:b4dc:4b1e::b', 'fe80::1'],
        mesh_interfaces: ['02:ca:fe:00:01:0b'],
      },
      software: {
        'batman-adv': { version: '2023.0' },
        fastd: { enabled: true, version: expect.stringMatching(/^v\d+/) },
        firmware: { base: 'Debian', release: '12' },
      },
      hardware: { model: 'QEMU Virtual CPU', nproc: 2 },
      system: { site_code: 'ffmz', role: 'gateway' },
      owner: { contact: 'noc@example.org' },
      vpn: true,
    });
    expect(mz.statistics).toMatchObject({
      uptime: 1234567.89,
      idletime: 2345678.12,
      loadavg: 0.42,
      processes: { running: 1, total: 187 },
      memory: { total: 4045572, free: 1334868, buffers: 254828, cached: 1568364 },
      traffic: {
        rx: { bytes: 23567081209, packets: 81283744 },
        tx: { bytes: 31840117211, packets: 79402431 },
      },
    });
    // The missing counter is one clear item, not a crash; batctl finds no batman-adv mesh here.
    expect(mz.problems).toContain('traffic: /sys/class/net/mzBAT/statistics/tx_dropped does not exist');
    expect(mz.problems.some((p) => p.startsWith('gateway: '))).toBe(true);
    // Independent check with the plain alfred client on the secondary itself.
    const raw = execFileSync('alfred', ['-u', bed.host(bed.b.socket), '-r', '158'], { encoding: 'utf8' });
    expect(raw).toMatch(/^\{ "02:ca:fe:00:00:0b", "\\x1f\\x8b/);
  });

  it('read on the primary returns the gateway records keyed by MAC once alfred has synced', async () => {
    // The primary side also holds a hostile record of its own: a host name DNS cannot take.
    const hostile = {
      hostname: 'Bahnhof Süd.Mainz',
      node_id: '02cafe00000a',
      network: { addresses: ['fd37:b4dc:4b1e::a'] },
    };
    bed.push(bed.a, 158, gzipSync(JSON.stringify(hostile)));
    bed.push(bed.a, 159, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02])); // gzip magic, corrupt body
    const read = await waitFor('gateway nodeinfo on the primary', async () => {
      const run = await runJson<ReadResult>(AlfredRead, mapServer, '158');
      return run.output.result?.nodes[bed.b.mac] ? run : undefined;
    });
    expect(read.exitCode).toBe(0);
    expect(read.output.result!.nodes[bed.b.mac]).toMatchObject({ node_id: '02cafe00ff0b', hostname: 'gw-b' });
    expect(read.output.result!.nodes[bed.a.mac]).toEqual(hostile);
    const plain = await runCommand<ReadResult>(AlfredRead, [
      '158',
      '--config',
      mapServer,
      '--root',
      bed.root,
    ]);
    expect(plain.output.error).toBeUndefined();
    expect(JSON.parse(plain.stdout)[bed.b.mac].hostname).toBe('gw-b');
    await waitFor('gateway statistics on the primary', async () => {
      const run = await runJson<ReadResult>(AlfredRead, mapServer, '159');
      return run.output.result?.nodes[bed.b.mac] ? true : undefined;
    });
  }, 150_000);

  it('zone publishes both nodes under valid labels, passes named-checkzone, and is stable', async () => {
    const first = await runJson<ZoneResult>(AlfredZone, mapServer);
    expect(first.output.error).toBeUndefined();
    expect(first.exitCode).toBe(0);
    expect(first.output.result).toMatchObject({ changed: true, reloaded: true });
    expect(first.output.result!.entries.map((e) => [e.label, e.addresses])).toEqual([
      ['bahnhof-sud-mainz', ['fd37:b4dc:4b1e::a']],
      ['gw-b', ['fd37:b4dc:4b1e::b']],
    ]);
    const installed = bed.host(zoneFile);
    const check = execFileSync('named-checkzone', ['nodes.ffmz.org', installed], { encoding: 'utf8' });
    expect(check).toMatch(/OK/);
    expect(readFileSync(installed, 'utf8')).toContain('gw-b IN AAAA fd37:b4dc:4b1e::b');
    const again = await runJson<ZoneResult>(AlfredZone, mapServer);
    expect(again.output.result).toMatchObject({
      changed: false,
      reloaded: false,
      serial: first.output.result!.serial,
    });
  });

  it('nodes writes nodes.json and nodelist.json; the corrupt statistics record is reported (exit 5)', async () => {
    const run = await runJson<NodesResult>(AlfredNodes, mapServer);
    expect(run.exitCode).toBe(5);
    expect(run.output.result).toMatchObject({ total: 2, online: 2, dropped: [] });
    expect(run.output.result!.problems).toEqual([
      expect.stringMatching(/^mesh mz: 02:ca:fe:00:00:0a: gzip data is corrupt/),
    ]);
    const nodes = JSON.parse(readFileSync(bed.host('/srv/map/nodes.json'), 'utf8'));
    expect(nodes.version).toBe(2);
    const gw = nodes.nodes.find(
      (n: { nodeinfo: { node_id: string } }) => n.nodeinfo.node_id === '02cafe00ff0b',
    );
    expect(gw).toMatchObject({
      flags: { online: true, gateway: true },
      statistics: { uptime: 1234567.89, loadavg: 0.42 },
    });
    const list = JSON.parse(readFileSync(bed.host('/srv/map/nodelist.json'), 'utf8'));
    expect(list.nodes.map((n: { name: string }) => n.name).sort()).toEqual(['Bahnhof Süd.Mainz', 'gw-b']);
  });

  it('sync reads nodeinfo and statistics once and writes the zone and nodes.json; the corrupt record is exit 5', async () => {
    const run = await runJson<SyncResult>(AlfredSync, syncMap);
    expect(run.exitCode).toBe(5);
    expect(calls()).toEqual(['-r 158', '-r 159']);
    const { zone, nodes } = run.output.result!;
    expect(zone).toMatchObject({ zone: 'nodes.ffmz.org', changed: true, reloaded: true, problems: [] });
    expect(zone!.entries.map((e) => [e.label, e.addresses])).toEqual([
      ['bahnhof-sud-mainz', ['fd37:b4dc:4b1e::a']],
      ['gw-b', ['fd37:b4dc:4b1e::b']],
    ]);
    expect(nodes).toMatchObject({ total: 2, online: 2, dropped: [], nodesFile: '/srv/sync/nodes.json' });
    expect(run.output.error).toMatchObject({
      code: 'PARTIAL',
      problems: [expect.stringMatching(/^nodes: mesh mz: 02:ca:fe:00:00:0a: gzip data is corrupt/)],
    });
    expect(run.output.summary).toMatch(/refused/);
    const installed = bed.host('/etc/bind/db.sync');
    expect(execFileSync('named-checkzone', ['nodes.ffmz.org', installed], { encoding: 'utf8' })).toMatch(
      /OK/,
    );
    expect(readFileSync(installed, 'utf8')).toContain('gw-b IN AAAA fd37:b4dc:4b1e::b');
    const written = JSON.parse(readFileSync(bed.host('/srv/sync/nodes.json'), 'utf8'));
    expect(written.nodes.map((n: { nodeinfo: { hostname: string } }) => n.nodeinfo.hostname).sort()).toEqual([
      'Bahnhof Süd.Mainz',
      'gw-b',
    ]);
    expect(existsSync(bed.host('/srv/sync/nodelist.json'))).toBe(true);
    // The status page's files, as the separate commands leave them.
    const status = (kind: string) =>
      JSON.parse(readFileSync(bed.host(`/var/lib/photon-s/alfred/last-${kind}.json`), 'utf8'));
    expect(status('zone')).toMatchObject({
      zone: 'nodes.ffmz.org',
      serial: zone!.serial,
      names: 2,
      problems: 0,
    });
    expect(status('nodes')).toMatchObject({ total: 2, online: 2, problems: 1 });
    // A second run: the zone is unchanged, the summary of a clean run covers both outputs.
    const again = await runJson<SyncResult>(AlfredSync, syncMap);
    expect(again.output.result!.zone).toMatchObject({ changed: false, serial: zone!.serial });
    expect(calls()).toEqual(['-r 158', '-r 159']);
  });

  it('sync without alfred.zone writes only the node lists', async () => {
    const run = await runJson<SyncResult>(AlfredSync, nodesOnly);
    expect(run.exitCode).toBe(5);
    expect(run.output.result!.zone).toBeUndefined();
    expect(run.output.result!.nodes).toMatchObject({ total: 2, nodesFile: '/srv/only/nodes.json' });
    expect(run.output.error!.problems).toEqual([
      expect.stringMatching(/^nodes: mesh mz: 02:ca:fe:00:00:0a: gzip data is corrupt/),
    ]);
    expect(existsSync(bed.host('/srv/only/nodes.json'))).toBe(true);
    expect(existsSync(bed.host('/var/lib/photon-n/alfred/last-nodes.json'))).toBe(true);
    expect(existsSync(bed.host('/var/lib/photon-n/alfred/last-zone.json'))).toBe(false);
  });

  it('sync still writes the node lists when named-checkzone rejects the zone, then exits 3', async () => {
    const run = await runJson<SyncResult>(AlfredSync, syncMap, '--config', syncRejected);
    expect(run.exitCode).toBe(3);
    expect(run.output.error).toMatchObject({ code: 'REJECTED', message: expect.stringContaining('db.bad') });
    expect(existsSync(bed.host('/etc/bind/db.bad'))).toBe(false);
    const nodes = JSON.parse(readFileSync(bed.host('/srv/sync-bad/nodes.json'), 'utf8'));
    expect(nodes.nodes).toHaveLength(2);
    expect(calls()).toEqual(['-r 158', '-r 159']);
    // The status page learns of the failure at once, not when the last good status goes stale.
    const status = (kind: string) =>
      JSON.parse(readFileSync(bed.host(`/var/lib/photon-s/alfred/last-${kind}.json`), 'utf8'));
    expect(status('zone')).toMatchObject({ error: expect.stringContaining('db.bad') });
    expect(status('zone').serial).toBeUndefined();
    expect(status('nodes')).toMatchObject({ total: 2, online: 2 });
  });

  it('sync --dry-run validates and reports both outputs but writes nothing', async () => {
    const run = await runJson<SyncResult>(AlfredSync, syncMap, '--dry-run', '--config', syncDry);
    expect(run.exitCode).toBe(5);
    expect(run.output.result!.zone).toMatchObject({ changed: true, reloaded: false });
    expect(run.output.result!.nodes.total).toBe(2);
    expect(run.output.changes.files.map((f) => f.path).sort()).toEqual([
      '/etc/bind/db.sync-dry',
      '/srv/sync-dry/nodelist.json',
      '/srv/sync-dry/nodes.json',
      '/var/lib/photon-s/alfred/nodes-state.json',
    ]);
    for (const file of ['/etc/bind/db.sync-dry', '/srv/sync-dry/nodes.json', '/srv/sync-dry/nodelist.json'])
      expect(existsSync(bed.host(file))).toBe(false);
    calls();
  });

  it('--dry-run validates and reports but neither pushes, writes nor reloads', async () => {
    const announce = await runJson<AnnounceResult>(AlfredAnnounce, gateway, '--dry-run');
    expect(announce.exitCode).toBe(0);
    expect(announce.output.result!.meshes[0].pushed).toBe(false);
    const zone = await runJson<ZoneResult>(AlfredZone, mapServer, '--dry-run', '--config', dryZone);
    expect(zone.output.result).toMatchObject({ changed: true, reloaded: false });
    expect(existsSync(bed.host('/etc/bind/db.dry'))).toBe(false);
    expect(zone.output.changes.files).toEqual([
      expect.objectContaining({ path: '/etc/bind/db.dry', dryRun: true }),
    ]);
    const nodes = await runJson<NodesResult>(AlfredNodes, mapServer, '--dry-run', '--config', dryNodes);
    expect(nodes.output.result?.total).toBe(2);
    expect(existsSync(bed.host('/srv/dry/nodes.json'))).toBe(false);
    expect(nodes.output.changes.files.map((f) => f.path)).toEqual([
      '/srv/dry/nodes.json',
      '/srv/dry/nodelist.json',
      '/var/lib/photon-a/alfred/nodes-state.json',
    ]);
  });

  it('exits 69 with one clear message when the alfred socket is missing, and writes nothing', async () => {
    for (const command of [AlfredRead, AlfredZone, AlfredAnnounce]) {
      const argv = command === AlfredRead ? ['158'] : [];
      const run = await runJson(command, missing, ...argv);
      expect(run.exitCode).toBe(69);
      expect(run.output.error?.message).toContain('alfred socket /run/not-there.sock does not exist');
    }
    expect(existsSync(bed.host('/x'))).toBe(false);
  });

  it('sync exits 69 with one clear message when the alfred socket is missing, and writes only its status', async () => {
    const run = await runJson<SyncResult>(AlfredSync, missing);
    expect(run.exitCode).toBe(69);
    expect(run.output.error?.code).toBe('UNAVAILABLE');
    expect(run.output.error?.message).toBe(
      'mesh mz: alfred socket /run/not-there.sock does not exist (is alfred running?)',
    );
    // Only the status files that tell the status page both outputs failed.
    expect(run.output.changes.files.map((f) => f.path).sort()).toEqual([
      '/var/lib/photon-c/alfred/last-nodes.json',
      '/var/lib/photon-c/alfred/last-zone.json',
    ]);
    expect(existsSync(bed.host('/x'))).toBe(false);
    expect(existsSync(bed.host('/var/www/html/data/nodes.json'))).toBe(false);
  });
});
