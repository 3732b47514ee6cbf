import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlfredTestbed, waitFor } from '../packages/plugin-alfred/src/test-helpers/alfred-testbed.js';
import { writeFakeHost } from '../packages/plugin-alfred/src/test-helpers/fake-host.js';
import { photon, photonBin } from './helpers/photon.js';

// The built binary end to end: `photon alfred announce` runs inside network namespace B (as
// on a gateway) and pushes to the secondary alfred there; read, zone and nodes run against
// the primary in namespace A once alfred has synced.
describe('photon alfred (built binary, real alfred in two network namespaces)', () => {
  const bed = new AlfredTestbed();
  const env = { PHOTON_DATA_DIR: '/var/lib/photon', HOME: '/root' };
  let gateway: string;
  let map: string;

  beforeAll(async () => {
    await bed.start();
    writeFakeHost(bed.root, {
      batman: 'wiBAT',
      batmanMac: '02:ca:fe:00:ff:1b',
      fastd: 'wiVPN',
      fastdMac: '02:ca:fe:00:01:1b',
      bridge: 'wiBR',
      bridgeAddressHex: 'fd56b4dc4b1e0000000000000000001b',
    });
    gateway = path.join(bed.root, 'gateway.yaml');
    writeFileSync(
      gateway,
      `photon: { hostname: Spinat }\nalfred:\n  meshes: [{ name: wi, bridge: wiBR, batman: wiBAT, fastd: wiVPN, socket: ${bed.b.socket}, siteCode: ffwi }]\n`,
    );
    map = path.join(bed.root, 'map.yaml');
    writeFileSync(
      map,
      [
        'alfred:',
        `  meshes: [{ name: wi, socket: ${bed.a.socket} }]`,
        '  zone: { name: nodes.ffwi.org, file: /etc/bind/db.nodes.ffwi.org, prefixes: ["fd56:b4dc:4b1e::/64"], nameservers: [ns1.example.org.], reloadCommand: ["true", "{zone}"] }',
        '  nodes: { nodesFile: /srv/nodes.json, nodelistFile: /srv/nodelist.json }',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => bed.cleanup());

  it('announce → alfred → read, zone (named-checkzone) and nodes', async () => {
    const announce = execFileSync(
      'ip',
      [
        'netns',
        'exec',
        bed.b.netns,
        process.execPath,
        photonBin,
        'alfred',
        'announce',
        '--root',
        bed.root,
        '--config',
        gateway,
        '--json',
      ],
      { env: { ...process.env, ...env }, encoding: 'utf8' },
    );
    expect(JSON.parse(announce)).toMatchObject({
      ok: true,
      exitCode: 0,
      result: { meshes: [{ mesh: 'wi', pushed: true }] },
    });

    const read = await waitFor('the gateway record on the primary', async () => {
      const run = await photon(['alfred', 'read', '158', '--root', bed.root, '--config', map], { env });
      return run.code === 0 && run.stdout.includes(bed.b.mac) ? run : undefined;
    });
    expect(JSON.parse(read.stdout)[bed.b.mac]).toMatchObject({
      hostname: 'Spinat',
      node_id: '02cafe00ff1b',
      system: { site_code: 'ffwi' },
    });

    const zone = await photon(['alfred', 'zone', '--root', bed.root, '--config', map, '--json'], { env });
    expect(zone.code).toBe(0);
    expect(JSON.parse(zone.stdout).result).toMatchObject({
      changed: true,
      entries: [{ label: 'spinat', addresses: ['fd56:b4dc:4b1e::1b'] }],
    });
    const zoneFile = bed.host('/etc/bind/db.nodes.ffwi.org');
    expect(execFileSync('named-checkzone', ['nodes.ffwi.org', zoneFile], { encoding: 'utf8' })).toMatch(/OK/);

    await waitFor('the gateway statistics on the primary', async () => {
      const run = await photon(['alfred', 'read', '159', '--root', bed.root, '--config', map], { env });
      return run.stdout.includes(bed.b.mac) ? true : undefined;
    });
    const nodes = await photon(['alfred', 'nodes', '--root', bed.root, '--config', map], { env });
    expect(nodes.code).toBe(0);
    const json = JSON.parse(readFileSync(bed.host('/srv/nodes.json'), 'utf8'));
    expect(json.nodes).toEqual([
      expect.objectContaining({
        flags: { online: true, gateway: true },
        nodeinfo: expect.objectContaining({ hostname: 'Spinat' }),
      }),
    ]);

    // The status page's alfred section (photon:status hook) shows what these runs left behind.
    const web = path.join(bed.root, 'web.yaml');
    writeFileSync(
      web,
      'web: { root: /www, system: { commands: [] }, traffic: { interfaces: [], includeFastdInterfaces: false } }\n',
    );
    const build = await photon(
      ['web', 'build', '--root', bed.root, '--config', map, '--config', web, '--json'],
      {
        env,
      },
    );
    expect(build.code).toBe(0);
    const [section] = JSON.parse(build.stdout).result.health.sections;
    expect(section).toMatchObject({
      id: 'alfred',
      plugin: '@ffphoton/plugin-alfred',
      // No batman-adv in the namespace: gateway, clients and neighbours are unreadable, so a warning.
      state: 'warning',
      summary: '1 mesh(es) configured, 1 announced; 1 node(s), 1 online',
      rows: [
        {
          label: 'mesh wi',
          value: expect.stringMatching(/^node 02cafe00ff1b announced \d+ s ago, 3 item\(s\) unreadable$/),
          state: 'warning',
        },
        {
          label: 'nodes.json',
          value: expect.stringMatching(/^1 node\(s\), 1 online, \d+ s ago$/),
          state: 'ok',
        },
        {
          label: 'zone nodes.ffwi.org',
          value: expect.stringMatching(/^1 name\(s\), serial \d{10}, /),
          state: 'ok',
        },
      ],
    });
    expect(readFileSync(bed.host('/www/index.html'), 'utf8')).toContain('node 02cafe00ff1b announced');
  }, 180_000);

  it('exits 69 when alfred is not running', async () => {
    const missing = path.join(bed.root, 'missing.yaml');
    writeFileSync(missing, 'alfred:\n  meshes: [{ name: wi, socket: /run/none.sock }]\n');
    const run = await photon(['alfred', 'read', '158', '--root', bed.root, '--config', missing], { env });
    expect(run.code).toBe(69);
    expect(run.stderr).toContain('alfred socket /run/none.sock does not exist');
  });
});
