import { describe, expect, it } from 'vitest';
import { buildMapData } from './meshviewer.js';
import type { NodesState } from './nodes-export.js';
import { safeJson } from './respondd-protocol.js';

const now = new Date('2026-12-07T01:00:00.000Z');
const seen = '2026-12-07T00:59:00.000Z';

const state: NodesState = {
  version: 1,
  nodes: {
    '02cafe00ff0a': {
      firstseen: '2026-01-01T00:00:00.000Z',
      lastseen: seen,
      nodeinfo: {
        node_id: '02cafe00ff0a',
        hostname: 'gw-a</script><script>alert(1)</script>',
        network: {
          mac: '02:ca:fe:00:ff:0a',
          addresses: ['fd37::a'],
          mesh: { mzBAT: { interfaces: { tunnel: ['02:ca:fe:00:01:0a'] } } },
        },
        system: { site_code: 'ffmz', role: 'gateway' },
        owner: { contact: 'noc@example.org & "friends"' },
        vpn: true,
      },
      statistics: {
        node_id: '02cafe00ff0a',
        uptime: 3600,
        loadavg: 0.5,
        memory: { total: 1000, free: 250, buffers: 0, cached: 250 },
        clients: { total: 3 },
      },
    },
    '02cafe00ff0b': {
      firstseen: seen,
      lastseen: seen,
      nodeinfo: {
        node_id: '02cafe00ff0b',
        hostname: 'node-b',
        network: {
          mac: '02:ca:fe:00:ff:0b',
          mesh: { bat0: { interfaces: { wireless: ['02:ca:fe:00:02:0b'], tunnel: ['02:ca:fe:00:01:0b'] } } },
        },
        location: { latitude: 50, longitude: 8.2 },
        software: {
          firmware: { base: 'gluon-v2023.2', release: '1.0' },
          autoupdater: { enabled: true, branch: 'stable' },
        },
      },
      statistics: {
        node_id: '02cafe00ff0b',
        clients: { total: 5, wifi24: 2, wifi5: 1 },
        gateway: '02:ca:fe:00:ff:0a',
      },
    },
    '02cafe00ff0c': {
      firstseen: seen,
      lastseen: '2026-12-01T00:00:00.000Z',
      nodeinfo: {
        node_id: '02cafe00ff0c',
        hostname: 'offline-c',
        network: { mesh_interfaces: ['02:ca:fe:00:02:0c'] },
      },
    },
  },
};
const online = new Set(['02cafe00ff0a', '02cafe00ff0b']);
const neighbours = new Map<string, Record<string, unknown>>([
  [
    '02cafe00ff0a',
    { batadv: { '02:ca:fe:00:01:0a': { neighbours: { '02:ca:fe:00:01:0b': { tq: 204, lastseen: 0.3 } } } } },
  ],
  [
    '02cafe00ff0b',
    {
      batadv: {
        '02:ca:fe:00:01:0b': { neighbours: { '02:ca:fe:00:01:0a': { tq: 102, lastseen: 0.4 } } },
        // An offline node and an unknown MAC make no link.
        '02:ca:fe:00:02:0b': {
          neighbours: { '02:ca:fe:00:02:0c': { tq: 255 }, 'aa:aa:aa:aa:aa:aa': { tq: 255 } },
        },
      },
    },
  ],
]);

describe('meshviewer.json and graph.json', () => {
  const { meshviewer, graph } = buildMapData(state, online, neighbours, now);

  it('has every node in meshviewer’s fields', () => {
    expect(meshviewer.timestamp).toBe(now.toISOString());
    expect(meshviewer.nodes.map((n) => [n.node_id, n.is_online])).toEqual([
      ['02cafe00ff0a', true],
      ['02cafe00ff0b', true],
      ['02cafe00ff0c', false],
    ]);
    const [a, b, c] = meshviewer.nodes;
    expect(a).toMatchObject({
      is_gateway: true,
      vpn: true,
      clients: 3,
      clients_other: 3,
      loadavg: 0.5,
      memory_usage: 0.5,
      uptime: '2026-12-07T00:00:00.000Z',
      mac: '02:ca:fe:00:ff:0a',
      network: { mac: '02:ca:fe:00:ff:0a', addresses: ['fd37::a'] },
      site_code: 'ffmz',
      owner: 'noc@example.org & "friends"',
      firstseen: '2026-01-01T00:00:00.000Z',
    });
    expect(b).toMatchObject({
      is_gateway: false,
      clients: 5,
      clients_wifi24: 2,
      clients_wifi5: 1,
      clients_other: 2,
      gateway: '02cafe00ff0a',
      location: { latitude: 50, longitude: 8.2 },
      firmware: { base: 'gluon-v2023.2', release: '1.0' },
      autoupdater: { enabled: true, branch: 'stable' },
    });
    expect(c).toMatchObject({ hostname: 'offline-c', clients: 0, is_online: false });
  });

  it('joins both directions of a neighbour pair into one link, typed by the interfaces', () => {
    expect(meshviewer.links).toEqual([
      {
        type: 'vpn',
        source: '02cafe00ff0a',
        target: '02cafe00ff0b',
        source_tq: 0.8,
        target_tq: 0.4,
        source_addr: '02:ca:fe:00:01:0a',
        target_addr: '02:ca:fe:00:01:0b',
      },
    ]);
    expect(graph).toEqual({
      version: 1,
      batadv: {
        directed: false,
        graph: [],
        multigraph: false,
        nodes: [
          { id: '02:ca:fe:00:01:0a', node_id: '02cafe00ff0a' },
          { id: '02:ca:fe:00:01:0b', node_id: '02cafe00ff0b' },
        ],
        links: [{ source: 0, target: 1, tq: 1.25, vpn: true, bidirect: true }],
      },
    });
  });

  it('writes hostile host names and contacts escaped, and they read back as they were', () => {
    const text = safeJson(meshviewer);
    expect(text).not.toMatch(/<\/?script|&/);
    expect(JSON.parse(text).nodes[0].hostname).toBe('gw-a</script><script>alert(1)</script>');
    expect(JSON.parse(text).nodes[0].owner).toBe('noc@example.org & "friends"');
  });
});
