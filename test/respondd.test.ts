import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../packages/plugin-alfred/src/test-helpers/alfred-testbed.js';
import { writeFakeHost } from '../packages/plugin-alfred/src/test-helpers/fake-host.js';
import { photonBin, repoRoot, sandbox } from './helpers/photon.js';

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** Parsed JSON in assertions. */
// biome-ignore lint/suspicious/noExplicitAny: test data read back from JSON
type Json = any;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// A gateway (namespace A) serving two sites, mz and wi, each on its own link to a map server
// (namespace B): the responder joins ff02::2:1001 and ff05::2:1001 on both links; the
// collector and `photon map write` run in B, as on a real map server.
describe('photon respondd (built binary, responder and collector in two network namespaces)', () => {
  const { root, env } = sandbox('photon-respondd-');
  const id = `${process.pid.toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const nsA = `phrdA${id}`;
  const nsB = `phrdB${id}`;
  const hostile = 'gw "mz" </script><script>alert(1)</script>';
  const contact = 'noc@example.org & <b>friends</b>';
  let responder: ChildProcess;
  let serveOut = '';
  let serveErr = '';

  /** photon inside a namespace. */
  const photonIn = (ns: string, args: string[], timeoutMs = 30_000) =>
    new Promise<Run>((resolve, reject) => {
      const child = spawn('ip', ['netns', 'exec', ns, process.execPath, photonBin, ...args], {
        cwd: repoRoot,
        env: { ...process.env, NODE_ENV: 'production', ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d;
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr += d;
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  const query = async (target: string, ...flags: string[]) => {
    const r = await photonIn(nsB, [
      'respondd',
      'query',
      target,
      '--config',
      `${root}/map.yaml`,
      '--root',
      root,
      '--json',
      '--timeout',
      '2',
      ...flags,
    ]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout).result as {
      target: string;
      answers: { from: string; data: Json }[];
    };
  };

  beforeAll(async () => {
    ip('netns', 'add', nsA);
    ip('netns', 'add', nsB);
    // Created inside A: the names never meet another test's in the root namespace.
    ip('-n', nsA, 'link', 'add', 'mzBR', 'type', 'veth', 'peer', 'name', 'cmz', 'netns', nsB);
    ip('-n', nsA, 'link', 'add', 'wiBR', 'type', 'veth', 'peer', 'name', 'cwi', 'netns', nsB);
    const addr = (ns: string, dev: string, a: string) => {
      ip('-n', ns, 'addr', 'add', a, 'dev', dev, 'nodad');
      ip('-n', ns, 'link', 'set', dev, 'up');
    };
    addr(nsA, 'mzBR', 'fd37:b4dc:4b1e::a/64');
    addr(nsA, 'wiBR', 'fd56:b4dc:4b1e::a/64');
    addr(nsB, 'cmz', 'fd37:b4dc:4b1e::b/64');
    addr(nsB, 'cwi', 'fd56:b4dc:4b1e::b/64');
    for (const ns of [nsA, nsB]) ip('-n', ns, 'link', 'set', 'lo', 'up');
    for (const [ns, dev] of [
      [nsA, 'mzBR'],
      [nsA, 'wiBR'],
      [nsB, 'cmz'],
      [nsB, 'cwi'],
    ]) {
      await waitFor(`link-local address on ${dev}`, () => {
        const out = execFileSync('ip', ['-n', ns, '-6', 'addr', 'show', 'dev', dev], { encoding: 'utf8' });
        return /inet6 fe80::\S+ scope link/.test(out) && !out.includes('tentative') ? true : undefined;
      });
    }

    // The gateway's /proc and /sys (two batman meshes), and a batctl that prints real tables.
    for (const [site, n] of [
      ['mz', '0a'],
      ['wi', '1a'],
    ])
      writeFakeHost(root, {
        batman: `${site}BAT`,
        batmanMac: `02:ca:fe:00:ff:${n}`,
        fastd: `${site}VPN`,
        fastdMac: `02:ca:fe:00:01:${n}`,
        bridge: `${site}BR`,
        bridgeAddressHex: `fd${site === 'mz' ? '37' : '56'}b4dc4b1e000000000000000000000a`,
      });
    writeFileSync(
      path.join(root, 'proc/net/if_inet6'),
      'fd37b4dc4b1e0000000000000000000a 05 40 00 80 mzBR\nfd56b4dc4b1e0000000000000000000a 06 40 00 80 wiBR\n',
    );
    // Each site's VPN neighbour is the other site's VPN interface: one link on the map.
    const originators = readFileSync(
      path.join(repoRoot, 'packages/plugin-alfred/test-data/batctl/o-netlink-2023.txt'),
      'utf8',
    );
    mkdirSync(path.join(root, 'batctl'), { recursive: true });
    writeFileSync(
      path.join(root, 'batctl/o-mzBAT'),
      originators.replaceAll('02:ca:fe:00:00:0b', '02:ca:fe:00:01:1a'),
    );
    writeFileSync(
      path.join(root, 'batctl/o-wiBAT'),
      originators.replaceAll('mzVPN', 'wiVPN').replaceAll('02:ca:fe:00:00:0b', '02:ca:fe:00:01:0a'),
    );
    const batctl = path.join(root, 'batctl/batctl');
    writeFileSync(
      batctl,
      `#!/bin/sh\n# meshif BAT CMD -n\n[ "$3" = o ] && exec cat "${root}/batctl/o-$2"\nexit 0\n`,
    );
    chmodSync(batctl, 0o755);

    writeFileSync(
      path.join(root, 'gateway.yaml'),
      JSON.stringify({
        photon: { hostname: 'Spinat', dataDir: '/var/lib/photon-gw' },
        alfred: {
          announce: { batctl: [batctl], fastdVersion: ['echo', 'fastd v22'] },
          meshes: [
            {
              name: 'mz',
              bridge: 'mzBR',
              batman: 'mzBAT',
              fastd: 'mzVPN',
              siteCode: 'ffmz',
              hostname: hostile,
              contact,
              responddInterfaces: ['mzBR'],
            },
            {
              name: 'wi',
              bridge: 'wiBR',
              batman: 'wiBAT',
              fastd: 'wiVPN',
              siteCode: 'ffwi',
              responddInterfaces: ['wiBR'],
            },
          ],
        },
      }),
    );
    writeFileSync(
      path.join(root, 'map.yaml'),
      JSON.stringify({
        photon: { dataDir: '/var/lib/photon-map' },
        alfred: {
          map: {
            targets: ['cmz', 'cwi'],
            timeoutSeconds: 2,
            meshviewerFile: '/srv/map/meshviewer.json',
            graphFile: '/srv/map/graph.json',
            nodesFile: '/srv/map/nodes.json',
          },
        },
      }),
    );
    responder = spawn(
      'ip',
      [
        'netns',
        'exec',
        nsA,
        process.execPath,
        photonBin,
        'respondd',
        'serve',
        '--config',
        `${root}/gateway.yaml`,
        '--root',
        root,
        '--json',
        '--log-level',
        'info',
      ],
      { cwd: repoRoot, env: { ...process.env, NODE_ENV: 'production', ...env } },
    );
    responder.stdout?.on('data', (d: Buffer) => {
      serveOut += d;
    });
    responder.stderr?.on('data', (d: Buffer) => {
      serveErr += d;
    });
    await waitFor(
      'the responder',
      () => (serveErr.includes('respondd: answering') ? true : undefined),
      30_000,
    );
  });

  afterAll(() => {
    responder?.kill('SIGKILL');
    for (const ns of [nsA, nsB]) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // never created
      }
    }
  });

  it('answers on ff02::2:1001 of each site with that site’s nodeinfo, statistics and neighbours', async () => {
    const mz = await query('cmz');
    expect(mz.target).toBe('ff02::2:1001%cmz');
    expect(mz.answers).toHaveLength(1);
    expect(mz.answers[0].from).toMatch(/^fe80::.*%cmz$/);
    const { nodeinfo, statistics, neighbours } = mz.answers[0].data;
    // meshviewer's and yanic's expectations: node_id, hostname, network, system.site_code …
    expect(nodeinfo).toMatchObject({
      node_id: '02cafe00ff0a',
      hostname: hostile,
      network: {
        mac: '02:ca:fe:00:ff:0a',
        addresses: ['fd37:b4dc:4b1e::a'],
        mesh: { mzBAT: { interfaces: { tunnel: ['02:ca:fe:00:01:0a'] } } },
      },
      system: { site_code: 'ffmz', role: 'gateway' },
      owner: { contact },
      software: { fastd: { enabled: true, version: 'v22' } },
      vpn: true,
    });
    expect(statistics).toMatchObject({
      node_id: '02cafe00ff0a',
      memory: { total: 4045572 },
      traffic: { rx: { bytes: 23567081209 } },
    });
    expect(typeof statistics.uptime).toBe('number');
    expect(neighbours).toEqual({
      node_id: '02cafe00ff0a',
      batadv: {
        '02:ca:fe:00:01:0a': {
          neighbours: {
            '02:ca:fe:00:01:1a': { tq: 255, lastseen: 0.31 },
            '02:ca:fe:00:00:0c': { tq: 180, lastseen: 1.02 },
          },
        },
      },
    });
    const wi = await query('cwi', '--request', 'nodeinfo');
    expect(wi.answers.map((a) => a.data)).toEqual([
      {
        nodeinfo: expect.objectContaining({
          node_id: '02cafe00ff1a',
          system: { site_code: 'ffwi', role: 'gateway' },
        }),
      },
    ]);
  });

  it('answers on ff05::2:1001 (site-local) and unicast, by the sender’s site', async () => {
    const wi = await query('ff05::2:1001%cwi', '--request', 'nodeinfo');
    expect(wi.answers.map((a) => a.data.nodeinfo.node_id)).toEqual(['02cafe00ff1a']);
    const mz = await query('fd37:b4dc:4b1e::a', '--request', 'statistics');
    expect(mz.answers).toEqual([
      {
        from: 'fd37:b4dc:4b1e::a',
        data: { statistics: expect.objectContaining({ node_id: '02cafe00ff0a' }) },
      },
    ]);
    const wiUnicast = await query('fd56:b4dc:4b1e::a', '--request', 'statistics');
    expect(wiUnicast.answers[0].data.statistics.node_id).toBe('02cafe00ff1a');
  });

  it('prints answers with hostile names escaped', async () => {
    const r = await photonIn(nsB, [
      'respondd',
      'query',
      'cmz',
      '--config',
      `${root}/map.yaml`,
      '--root',
      root,
      '--timeout',
      '2',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/<\/?script|<b>/);
    expect(Object.values(JSON.parse(r.stdout)).map((a: Json) => a.nodeinfo.hostname)).toEqual([hostile]);
  });

  it('ignores malformed and oversized requests: no answer, nothing changes, still serving', async () => {
    const probe = `
      const dgram = require('node:dgram');
      const s = dgram.createSocket('udp6');
      let answers = 0;
      s.on('message', () => answers++);
      s.bind(0, () => {
        for (const m of ['GET wifi', 'hello', Buffer.alloc(2000, 65), Buffer.from([0x47, 0x45, 0x54, 0x20, 0xff])])
          s.send(m, 1001, 'fd37:b4dc:4b1e::a');
        setTimeout(() => { console.log(answers); s.close(); }, 1000);
      });`;
    const out = execFileSync('ip', ['netns', 'exec', nsB, process.execPath, '-e', probe], {
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('0');
    expect((await query('cmz', '--request', 'nodeinfo')).answers).toHaveLength(1);
  });

  it('builds meshviewer.json, graph.json and nodes.json from the answers of both sites', async () => {
    const r = await photonIn(nsB, ['map', 'write', '--config', `${root}/map.yaml`, '--root', root, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).result).toMatchObject({ source: 'respondd', total: 2, online: 2, links: 1 });
    const text = readFileSync(path.join(root, 'srv/map/meshviewer.json'), 'utf8');
    expect(text).not.toMatch(/<\/?script|<b>|&/);
    const meshviewer = JSON.parse(text);
    expect(
      meshviewer.nodes.map((n: Json) => [n.node_id, n.hostname, n.site_code, n.is_online, n.is_gateway]),
    ).toEqual([
      ['02cafe00ff0a', hostile, 'ffmz', true, true],
      ['02cafe00ff1a', 'Spinat', 'ffwi', true, true],
    ]);
    expect(meshviewer.nodes[0].owner).toBe(contact);
    expect(meshviewer.links).toEqual([
      {
        type: 'vpn',
        source: '02cafe00ff0a',
        target: '02cafe00ff1a',
        source_tq: 1,
        target_tq: 1,
        source_addr: '02:ca:fe:00:01:0a',
        target_addr: '02:ca:fe:00:01:1a',
      },
    ]);
    const graph = JSON.parse(readFileSync(path.join(root, 'srv/map/graph.json'), 'utf8'));
    expect(graph.batadv.links).toEqual([{ source: 0, target: 1, tq: 1, vpn: true, bidirect: true }]);
    const nodes = JSON.parse(readFileSync(path.join(root, 'srv/map/nodes.json'), 'utf8'));
    expect(nodes.version).toBe(2);
    expect(nodes.nodes).toHaveLength(2);
  });

  it('stops on SIGTERM and reports what it served', async () => {
    const exited = new Promise<number | null>((resolve) => responder.once('close', resolve));
    // ip netns exec execs node: the child is the responder itself.
    responder.kill('SIGTERM');
    expect(await exited).toBe(0);
    const result = JSON.parse(serveOut).result;
    expect(result.memberships).toEqual([
      { group: 'ff02::2:1001', iface: 'mzBR', mesh: 'mz' },
      { group: 'ff05::2:1001', iface: 'mzBR', mesh: 'mz' },
      { group: 'ff02::2:1001', iface: 'wiBR', mesh: 'wi' },
      { group: 'ff05::2:1001', iface: 'wiBR', mesh: 'wi' },
    ]);
    expect(result.counts.malformed).toBe(4);
    expect(result.counts.answered).toBeGreaterThanOrEqual(9);
  });
});
