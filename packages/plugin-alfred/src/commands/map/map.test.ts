import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnounceResult } from '../../services/announcer.js';
import type { MapResult } from '../../services/meshviewer-export.js';
import { AlfredTestbed, waitFor } from '../../test-helpers/alfred-testbed.js';
import { writeFakeHost } from '../../test-helpers/fake-host.js';
import { runCommand, writeSettings } from '../../test-helpers/run-command.js';
import AlfredAnnounce from '../alfred/announce.js';
import MapWrite from './write.js';

const testData = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test-data');

// The alfred transport of the node data: the gateway (namespace B) announces nodeinfo,
// statistics and neighbours; a Gluon node's records sit on the primary (A); `map write` on the
// map server reads all three types and links the two.
describe('photon map write from alfred (real alfred daemons in two namespaces)', () => {
  const bed = new AlfredTestbed();
  const hostile = '<b>Knoten</b> & "Co"';
  let gateway: string;
  let map: string;

  beforeAll(async () => {
    await bed.start();
    writeFakeHost(bed.root, {
      batman: 'mzBAT',
      batmanMac: '02:ca:fe:00:ff:0b',
      fastd: 'mzVPN',
      fastdMac: '02:ca:fe:00:01:0b',
      bridge: 'mzBR',
      bridgeAddressHex: 'fd37b4dc4b1e0000000000000000000b',
    });
    const batctl = bed.host('/run/batctl');
    writeFileSync(
      batctl,
      `#!/bin/sh\n[ "$3" = o ] && exec cat "${testData}/batctl/o-netlink-2023.txt"\nexit 0\n`,
    );
    chmodSync(batctl, 0o755);
    gateway = writeSettings(bed.root, {
      photon: { hostname: 'gw-b', dataDir: '/var/lib/photon-b' },
      alfred: {
        command: ['ip', 'netns', 'exec', bed.b.netns, 'alfred'],
        announce: { batctl: [batctl], fastdVersion: ['echo', 'fastd v22'] },
        meshes: [
          {
            name: 'mz',
            bridge: 'mzBR',
            batman: 'mzBAT',
            fastd: 'mzVPN',
            socket: bed.b.socket,
            siteCode: 'ffmz',
          },
        ],
      },
    });
    map = writeSettings(bed.root, {
      photon: { dataDir: '/var/lib/photon-a' },
      alfred: {
        meshes: [{ name: 'mz', socket: bed.a.socket }],
        map: {
          source: 'alfred',
          meshviewerFile: '/srv/map/meshviewer.json',
          graphFile: '/srv/map/graph.json',
        },
      },
    });
    // A Gluon node next to the gateway: its VPN interface 02:ca:fe:00:00:0c sees the gateway's.
    const node = '02cafe00000c';
    bed.push(
      bed.a,
      158,
      gzipSync(
        JSON.stringify({
          node_id: node,
          hostname: hostile,
          network: {
            mac: '02:ca:fe:00:00:0c',
            mesh: { bat0: { interfaces: { tunnel: ['02:ca:fe:00:00:0c'] } } },
          },
        }),
      ),
    );
    bed.push(bed.a, 159, gzipSync(JSON.stringify({ node_id: node, clients: { total: 4 } })));
    bed.push(
      bed.a,
      160,
      gzipSync(
        JSON.stringify({
          node_id: node,
          batadv: {
            '02:ca:fe:00:00:0c': { neighbours: { '02:ca:fe:00:01:0b': { tq: 204, lastseen: 0.2 } } },
          },
        }),
      ),
    );
  }, 120_000);

  afterAll(() => bed.cleanup());

  it('announce pushes neighbours (160) from batctl o next to nodeinfo and statistics', async () => {
    const run = await runCommand<AnnounceResult>(AlfredAnnounce, [
      '--config',
      gateway,
      '--root',
      bed.root,
      '--json',
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.output.result!.meshes[0].neighbours).toEqual({
      node_id: '02cafe00ff0b',
      batadv: {
        '02:ca:fe:00:01:0b': {
          neighbours: {
            '02:ca:fe:00:00:0b': { tq: 255, lastseen: 0.31 },
            '02:ca:fe:00:00:0c': { tq: 180, lastseen: 1.02 },
          },
        },
      },
    });
  });

  it('writes meshviewer.json and graph.json with the link between gateway and node', async () => {
    const run = await waitFor('the gateway records on the primary', async () => {
      const r = await runCommand<MapResult>(MapWrite, ['--config', map, '--root', bed.root, '--json']);
      return r.output.result?.total === 2 ? r : undefined;
    });
    expect(run.exitCode).toBe(0);
    expect(run.output.result).toMatchObject({
      source: 'alfred',
      total: 2,
      online: 2,
      links: 1,
      problems: [],
    });
    const text = readFileSync(bed.host('/srv/map/meshviewer.json'), 'utf8');
    expect(text).not.toMatch(/[<>&]/);
    const meshviewer = JSON.parse(text);
    expect(meshviewer.nodes.map((n: { hostname: string }) => n.hostname)).toEqual([hostile, 'gw-b']);
    expect(meshviewer.links).toEqual([
      {
        type: 'vpn',
        source: '02cafe00000c',
        target: '02cafe00ff0b',
        source_tq: 0.8,
        target_tq: 180 / 255,
        source_addr: '02:ca:fe:00:00:0c',
        target_addr: '02:ca:fe:00:01:0b',
      },
    ]);
    const graph = JSON.parse(readFileSync(bed.host('/srv/map/graph.json'), 'utf8'));
    expect(graph.batadv.links).toEqual([{ source: 0, target: 1, tq: 1.25, vpn: true, bidirect: true }]);
  });
});
