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

describe('map data of odd nodes and links', () => {
  const t = '2026-12-07T00:00:00.000Z';
  const node = (nodeinfo: Record<string, unknown>, statistics?: Record<string, unknown>) => ({
    firstseen: t,
    lastseen: t,
    nodeinfo,
    ...(statistics ? { statistics } : {}),
  });
  const odd: NodesState = {
    version: 1,
    nodes: {
      // A gateway by role; its wifi MAC is also listed (as other) by the legacy list.
      '000000000001': node(
        {
          system: { role: 'gateway', domain_code: 'dom1', site_code: 7 },
          network: {
            mac: 'aa:00:00:00:00:01',
            addresses: ['fd::1', 5],
            mesh: { bat0: { interfaces: { wireless: ['aa:00:00:00:01:01'], other: ['aa:00:00:00:02:01'] } } },
            mesh_interfaces: ['aa:00:00:00:01:01', 'aa:00:00:00:03:01'],
          },
          hardware: { nproc: 4, model: 'APU' },
          software: { autoupdater: { enabled: 'yes', branch: 'beta' } },
          location: { latitude: 50 },
        },
        {
          clients: { wifi24: 2, wifi5: 3 },
          gateway_nexthop: 'aa:00:00:00:01:02',
          gateway: 'ff:ff:ff:ff:ff:ff',
          uptime: 0,
        },
      ),
      '000000000002': node(
        {
          hostname: 'two',
          network: {
            mesh: { bat0: { interfaces: { wireless: ['aa:00:00:00:01:02'], tunnel: 'not a list' } } },
          },
          location: { latitude: 0, longitude: 0 },
        },
        { clients: { total: 1, wifi24: 2, wifi5: 3 } },
      ),
      '000000000003': node({ network: { mesh_interfaces: ['aa:00:00:00:03:03'] } }, { clients: 6 }),
      '000000000004': node({ network: { mesh_interfaces: ['aa:00:00:00:03:04'] } }),
    },
  };
  const neighbours = new Map<string, Record<string, unknown>>([
    [
      '000000000001',
      {
        batadv: {
          'aa:00:00:00:01:01': {
            neighbours: {
              'aa:00:00:00:01:02': { tq: 255 },
              'aa:00:00:00:03:03': { tq: 256 },
              'aa:00:00:00:02:01': { tq: 200 },
              'aa:00:00:00:03:04': { tq: 100 },
            },
          },
          // Not in its nodeinfo: still links, as an "other" interface of node 1.
          'aa:00:00:00:09:01': { neighbours: { 'aa:00:00:00:03:03': { tq: 0 } } },
        },
      },
    ],
    [
      '000000000003',
      {
        batadv: {
          'aa:00:00:00:03:03': {
            neighbours: {
              'aa:00:00:00:01:01': { tq: -1 },
              'aa:00:00:00:01:02': { tq: 51 },
              'aa:00:00:00:09:01': { tq: 'x' },
            },
          },
        },
      },
    ],
    // Offline: its neighbours make no link.
    [
      '000000000004',
      { batadv: { 'aa:00:00:00:03:04': { neighbours: { 'aa:00:00:00:01:01': { tq: 255 } } } } },
    ],
  ]);
  const { meshviewer, graph } = buildMapData(
    odd,
    new Set(['000000000001', '000000000002', '000000000003']),
    neighbours,
    now,
  );

  it('fills every node field from what is there', () => {
    const base = {
      firstseen: t,
      lastseen: t,
      is_online: true,
      autoupdater: { enabled: false },
      firmware: {},
      vpn: false,
    };
    expect(meshviewer.nodes).toEqual([
      {
        ...base,
        node_id: '000000000001',
        hostname: '000000000001',
        is_gateway: true,
        clients: 5,
        clients_wifi24: 2,
        clients_wifi5: 3,
        clients_other: 0,
        uptime: now.toISOString(),
        gateway_nexthop: '000000000002',
        gateway: 'ff:ff:ff:ff:ff:ff',
        mac: 'aa:00:00:00:00:01',
        addresses: ['fd::1'],
        network: { mac: 'aa:00:00:00:00:01', addresses: ['fd::1'] },
        domain: 'dom1',
        autoupdater: { enabled: false, branch: 'beta' },
        nproc: 4,
        model: 'APU',
      },
      {
        ...base,
        node_id: '000000000002',
        hostname: 'two',
        is_gateway: false,
        clients: 1,
        clients_wifi24: 2,
        clients_wifi5: 3,
        clients_other: 0,
        mac: '',
        addresses: [],
        network: { mac: '', addresses: [] },
        location: { latitude: 0, longitude: 0 },
      },
      {
        ...base,
        node_id: '000000000003',
        hostname: '000000000003',
        is_gateway: false,
        clients: 6,
        clients_wifi24: 0,
        clients_wifi5: 0,
        clients_other: 6,
        mac: '',
        addresses: [],
        network: { mac: '', addresses: [] },
      },
      {
        ...base,
        is_online: false,
        node_id: '000000000004',
        hostname: '000000000004',
        is_gateway: false,
        clients: 0,
        clients_wifi24: 0,
        clients_wifi5: 0,
        clients_other: 0,
        mac: '',
        addresses: [],
        network: { mac: '', addresses: [] },
      },
    ]);
  });

  it('links online pairs with a TQ of 0–255, typed by the interfaces; one side is not bidirectional', () => {
    expect(meshviewer.links).toEqual([
      {
        type: 'wifi',
        source: '000000000001',
        target: '000000000002',
        source_tq: 1,
        target_tq: 0,
        source_addr: 'aa:00:00:00:01:01',
        target_addr: 'aa:00:00:00:01:02',
      },
      {
        type: 'other',
        source: '000000000003',
        target: '000000000001',
        source_tq: 0,
        target_tq: 0,
        source_addr: 'aa:00:00:00:03:03',
        target_addr: 'aa:00:00:00:09:01',
      },
      {
        type: 'wifi',
        source: '000000000002',
        target: '000000000003',
        source_tq: 0,
        target_tq: 0.2,
        source_addr: 'aa:00:00:00:01:02',
        target_addr: 'aa:00:00:00:03:03',
      },
    ]);
    expect(graph.batadv.nodes).toEqual([
      { id: 'aa:00:00:00:01:01', node_id: '000000000001' },
      { id: 'aa:00:00:00:01:02', node_id: '000000000002' },
      { id: 'aa:00:00:00:03:03', node_id: '000000000003' },
      { id: 'aa:00:00:00:09:01', node_id: '000000000001' },
    ]);
    expect([graph.batadv.links[0], graph.batadv.links[2]]).toEqual([
      { source: 0, target: 1, tq: 1, vpn: false, bidirect: false },
      { source: 1, target: 2, tq: 5, vpn: false, bidirect: false },
    ]);
  });
});

describe('interfaces claimed twice', () => {
  it('a MAC belongs to the last node (by id) that lists it, with the first typed kind', () => {
    const t = '2026-12-07T00:00:00.000Z';
    const state: NodesState = {
      version: 1,
      nodes: {
        '000000000001': {
          firstseen: t,
          lastseen: t,
          nodeinfo: { network: { mesh_interfaces: ['aa:00:00:00:00:05'] } },
        },
        '000000000002': {
          firstseen: t,
          lastseen: t,
          nodeinfo: { network: { mesh: { bat0: { interfaces: { tunnel: ['aa:00:00:00:00:05'] } } } } },
        },
        '000000000003': {
          firstseen: t,
          lastseen: t,
          nodeinfo: { network: { mesh_interfaces: ['aa:00:00:00:00:03'] } },
        },
      },
    };
    const online = new Set(['000000000001', '000000000002', '000000000003']);
    const neighbours = new Map([
      [
        '000000000003',
        { batadv: { 'aa:00:00:00:00:03': { neighbours: { 'aa:00:00:00:00:05': { tq: 255 } } } } },
      ],
    ]);
    // The source (lower MAC) is an "other" interface: the link takes the target's kind.
    expect(buildMapData(state, online, neighbours, now).meshviewer.links).toEqual([
      {
        type: 'vpn',
        source: '000000000003',
        target: '000000000002',
        source_tq: 1,
        target_tq: 0,
        source_addr: 'aa:00:00:00:00:03',
        target_addr: 'aa:00:00:00:00:05',
      },
    ]);
  });
});
