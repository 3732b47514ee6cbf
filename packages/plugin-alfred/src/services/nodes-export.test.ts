import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStore, RootSandbox } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import type { DecodedRecords } from './alfred-records.js';
import {
  fitNodesBudget,
  memoryUsage,
  mergeNodes,
  NodesExporter,
  type NodesState,
  renderNodelistJson,
  renderNodesJson,
} from './nodes-export.js';

const info = (id: string, extra: Record<string, unknown> = {}) => ({
  node_id: id,
  hostname: `n-${id}`,
  ...extra,
});
const records = (
  nodes: DecodedRecords['nodes'],
  problems: DecodedRecords['problems'] = [],
): DecodedRecords => ({ nodes, problems });

describe('nodes.json export', () => {
  const t0 = new Date('2026-11-01T00:00:00Z');
  const day = 86_400_000;

  it('keeps first-seen, marks offline nodes, drops nodes older than the max age', () => {
    let state: NodesState = { version: 1, nodes: {} };
    const first = mergeNodes(
      state,
      records({
        '02:00:00:00:00:01': info('020000000001'),
        '02:00:00:00:00:02': info('020000000002', { vpn: true }),
      }),
      records({
        '02:00:00:00:00:01': {
          node_id: '020000000001',
          clients: { total: 3 },
          memory: { total: 100, free: 25 },
        },
      }),
      t0,
      7 * 86_400,
    );
    state = first.state;
    expect(first.online.size).toBe(2);
    // Three days later only node 1 is seen; nine days later node 2 has aged out.
    const later = mergeNodes(
      state,
      records({ '02:00:00:00:00:01': info('020000000001') }),
      records({}),
      new Date(t0.getTime() + 3 * day),
      7 * 86_400,
    );
    expect(later.state.nodes['020000000001'].firstseen).toBe(t0.toISOString());
    expect(later.state.nodes['020000000002'].lastseen).toBe(t0.toISOString());
    const nodes = JSON.parse(renderNodesJson(later.state, later.online, new Date(t0.getTime() + 3 * day)));
    expect(nodes.nodes.map((n: { flags: unknown }) => n.flags)).toEqual([
      { online: true, gateway: false },
      { online: false, gateway: true },
    ]);
    const gone = mergeNodes(
      later.state,
      records({}),
      records({}),
      new Date(t0.getTime() + 9 * day),
      7 * 86_400,
    );
    expect(gone.dropped).toEqual(['020000000002']);
    expect(Object.keys(gone.state.nodes)).toEqual(['020000000001']);
  });

  it('flattens statistics the way meshviewer reads them; nodelist has positions and clients', () => {
    const { state, online } = mergeNodes(
      { version: 1, nodes: {} },
      records({ '02:00:00:00:00:01': info('020000000001', { location: { latitude: 50, longitude: 8.2 } }) }),
      records({
        '02:00:00:00:00:01': {
          node_id: '020000000001',
          uptime: 5,
          clients: { total: 3 },
          memory: { total: 100, free: 25 },
          gateway: '02:ca:fe:00:00:0b',
        },
      }),
      t0,
      60,
    );
    const [node] = JSON.parse(renderNodesJson(state, online, t0)).nodes;
    expect(node.statistics).toEqual({
      node_id: '020000000001',
      clients: 3,
      uptime: 5,
      memory_usage: 0.75,
      gateway: '02:ca:fe:00:00:0b',
    });
    const list = JSON.parse(renderNodelistJson(state, online, t0));
    expect(list).toEqual({
      version: '1.0.0',
      updated_at: t0.toISOString(),
      nodes: [
        {
          id: '020000000001',
          name: 'n-020000000001',
          position: { lat: 50, long: 8.2 },
          status: { online: true, lastcontact: t0.toISOString(), clients: 3 },
        },
      ],
    });
  });

  it('reports decode problems and a node_id announced twice, keeps the rest', () => {
    const merged = mergeNodes(
      { version: 1, nodes: {} },
      records({ '02:00:00:00:00:01': info('020000000001'), '02:00:00:00:00:09': info('020000000001') }, [
        { message: 'bad line' },
      ]),
      records({}),
      t0,
      60,
    );
    expect(merged.problems).toEqual([
      'bad line',
      '02:00:00:00:00:09: node_id 020000000001 is announced twice; keeping the first',
    ]);
    expect(Object.keys(merged.state.nodes)).toEqual(['020000000001']);
  });

  it('keeps its state as a copy of nodes.json and reads the older state format', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'alfred-nodes-'));
    try {
      let now = t0;
      const exporter = new NodesExporter(new FileStore(new RootSandbox(root)), { now: () => now });
      const cfg = {
        nodesFile: '/www/nodes.json',
        nodelistFile: '/www/nodelist.json',
        maxAgeSeconds: 7 * 86_400,
        stateFile: '/state.json',
        maxBytes: 1024 * 1024,
      };
      const stats = records({ '02:00:00:00:00:01': { node_id: '020000000001', clients: { total: 3 } } });
      await exporter.export(
        cfg,
        '/state.json',
        records({ '02:00:00:00:00:01': info('020000000001') }),
        stats,
      );
      expect(readFileSync(path.join(root, 'state.json'), 'utf8')).toBe(
        readFileSync(path.join(root, 'www/nodes.json'), 'utf8'),
      );
      now = new Date(t0.getTime() + day);
      const second = await exporter.export(
        cfg,
        '/state.json',
        records({ '02:00:00:00:00:02': info('020000000002') }),
        records({}),
      );
      expect(second).toMatchObject({ total: 2, online: 1 });
      const nodes = JSON.parse(readFileSync(path.join(root, 'www/nodes.json'), 'utf8')).nodes;
      expect(
        nodes.map((n: { firstseen: string; flags: { online: boolean } }) => [n.firstseen, n.flags.online]),
      ).toEqual([
        [t0.toISOString(), false],
        [now.toISOString(), true],
      ]);
      expect(nodes[0].nodeinfo).toEqual(info('020000000001'));
      // The state format before it became a copy of nodes.json.
      const old: NodesState = {
        version: 1,
        nodes: {
          '020000000009': {
            firstseen: '2026-10-31T00:00:00.000Z',
            lastseen: t0.toISOString(),
            nodeinfo: info('020000000009'),
          },
        },
      };
      writeFileSync(path.join(root, 'state.json'), JSON.stringify(old));
      await exporter.export(cfg, '/state.json', records({}), records({}));
      const migrated = JSON.parse(readFileSync(path.join(root, 'state.json'), 'utf8'));
      expect(migrated.nodes).toEqual([
        expect.objectContaining({ firstseen: '2026-10-31T00:00:00.000Z', nodeinfo: info('020000000009') }),
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('nodes.json details', () => {
  const t0 = new Date('2026-11-01T00:00:00Z');
  const stamp = t0.toISOString();

  it('keeps a node seen exactly maxAge ago, drops one a millisecond older', () => {
    const at = (ms: number) => new Date(t0.getTime() - ms).toISOString();
    const previous: NodesState = {
      version: 1,
      nodes: {
        '020000000001': { firstseen: at(5000), lastseen: at(1000), nodeinfo: {} },
        '020000000002': { firstseen: at(5000), lastseen: at(1001), nodeinfo: {} },
      },
    };
    const merged = mergeNodes(previous, records({}), records({}), t0, 1);
    expect(Object.keys(merged.state.nodes)).toEqual(['020000000001']);
    expect(merged.dropped).toEqual(['020000000002']);
    expect(merged.online.size).toBe(0);
  });

  it('a record without a valid node_id is keyed by its MAC, in nodeinfo and statistics alike', () => {
    const merged = mergeNodes(
      { version: 1, nodes: {} },
      records({
        '02:00:00:00:00:01': { hostname: 'a' },
        '02:00:00:00:00:02': { node_id: 'x020000000002', hostname: 'b' },
        '02:00:00:00:00:03': { node_id: '0200000000030', hostname: 'c' },
        '02:00:00:00:00:04': { node_id: 'ABCDEF000004', hostname: 'd' },
      }),
      records({
        '02:00:00:00:00:01': { uptime: 1 },
        '02:00:00:00:00:09': { node_id: '020000000002', uptime: 2 },
        '02:00:00:00:00:03': { node_id: 3, uptime: 3 },
      }),
      t0,
      60,
    );
    expect(merged.state.nodes).toEqual({
      '020000000001': {
        firstseen: stamp,
        lastseen: stamp,
        nodeinfo: { hostname: 'a' },
        statistics: { uptime: 1 },
      },
      '020000000002': {
        firstseen: stamp,
        lastseen: stamp,
        nodeinfo: { node_id: 'x020000000002', hostname: 'b' },
        statistics: { node_id: '020000000002', uptime: 2 },
      },
      '020000000003': {
        firstseen: stamp,
        lastseen: stamp,
        nodeinfo: { node_id: '0200000000030', hostname: 'c' },
        statistics: { node_id: 3, uptime: 3 },
      },
      '020000000004': {
        firstseen: stamp,
        lastseen: stamp,
        nodeinfo: { node_id: 'ABCDEF000004', hostname: 'd' },
      },
    });
    expect(Object.keys(merged.state.nodes['020000000004'])).not.toContain('statistics');
  });

  it('memory in use: free, buffers and cached are available; no total, no figure', () => {
    expect(memoryUsage({ memory: { total: 3, free: 1 } })).toBe(0.6667);
    expect(memoryUsage({ memory: { total: 100, buffers: 10, cached: 20 } })).toBe(0.7);
    expect(memoryUsage({ memory: { total: 100, free: 'x', buffers: Number.NaN, cached: 10 } })).toBe(0.9);
    expect(memoryUsage({ memory: { total: 0, free: 0 } })).toBeUndefined();
    expect(memoryUsage({ memory: { free: 1 } })).toBeUndefined();
    expect(memoryUsage({ memory: [100] })).toBeUndefined();
    expect(memoryUsage({})).toBeUndefined();
  });

  it('flags, statistics and nodelist entries of sparse and odd nodes', () => {
    const merged = mergeNodes(
      { version: 1, nodes: {} },
      records({
        '02:00:00:00:00:01': { node_id: '020000000001', vpn: true, location: { latitude: 50 } },
        '02:00:00:00:00:02': {
          node_id: '020000000002',
          vpn: 'yes',
          hostname: 7,
          location: { latitude: 0, longitude: 0 },
        },
        '02:00:00:00:00:03': { node_id: '020000000003' },
      }),
      records({
        '02:00:00:00:00:01': {
          node_id: '020000000001',
          clients: 4,
          gateway: 17,
          uptime: 'long',
          loadavg: 0.5,
        },
        '02:00:00:00:00:02': { node_id: '020000000002', clients: { total: 'many' } },
      }),
      t0,
      60,
    );
    const nodes = JSON.parse(renderNodesJson(merged.state, merged.online, t0));
    expect(nodes.version).toBe(2);
    expect(nodes.timestamp).toBe(stamp);
    expect(nodes.nodes.map((n: Record<string, unknown>) => [n.flags, n.statistics])).toEqual([
      [
        { online: true, gateway: true },
        { node_id: '020000000001', clients: 4, loadavg: 0.5 },
      ],
      [
        { online: true, gateway: false },
        { node_id: '020000000002', clients: 0 },
      ],
      [{ online: true, gateway: false }, { node_id: '020000000003' }],
    ]);
    expect(JSON.parse(renderNodelistJson(merged.state, new Set(['020000000002']), t0)).nodes).toEqual([
      { id: '020000000001', name: '020000000001', status: { online: false, lastcontact: stamp, clients: 4 } },
      {
        id: '020000000002',
        name: '020000000002',
        position: { lat: 0, long: 0 },
        status: { online: true, lastcontact: stamp, clients: 0 },
      },
      { id: '020000000003', name: '020000000003', status: { online: false, lastcontact: stamp, clients: 0 } },
    ]);
  });

  it('fits nodes.json into maxBytes: the oldest first, then the biggest', () => {
    const state = (): NodesState => ({
      version: 1,
      nodes: {
        '020000000001': { firstseen: stamp, lastseen: '2026-10-30T00:00:00.000Z', nodeinfo: { pad: 'x' } },
        '020000000002': { firstseen: stamp, lastseen: '2026-10-31T00:00:00.000Z', nodeinfo: { pad: 'xxxx' } },
        '020000000003': {
          firstseen: stamp,
          lastseen: '2026-10-31T00:00:00.000Z',
          nodeinfo: { pad: 'xxxxxxxx' },
        },
        '020000000004': { firstseen: stamp, lastseen: '2026-10-29T00:00:00.000Z', nodeinfo: { pad: '' } },
      },
    });
    const fit = (maxBytes: number) => {
      const s = state();
      const entries = new Map(
        Object.keys(s.nodes).map((id) => [
          id,
          renderNodesJson({ version: 1, nodes: { [id]: s.nodes[id] } }, new Set(), t0),
        ]),
      );
      const left = fitNodesBudget(s, entries, maxBytes, t0);
      return { left, kept: Object.keys(s.nodes), entries: [...entries.keys()] };
    };
    // Entries here are whole documents (longer than nodes.json's entries): only the order counts.
    const entrySize = (id: string) => {
      const s = state();
      return (
        Buffer.byteLength(renderNodesJson({ version: 1, nodes: { [id]: s.nodes[id] } }, new Set(), t0)) + 1
      );
    };
    const header = Buffer.byteLength('{"version":2,"timestamp":"2026-11-01T00:00:00.000Z","nodes":[]}\n');
    const all = header + ['1', '2', '3', '4'].reduce((n, i) => n + entrySize(`02000000000${i}`), 0);
    expect(fit(all)).toEqual({
      left: [],
      kept: ['020000000001', '020000000002', '020000000003', '020000000004'],
      entries: ['020000000001', '020000000002', '020000000003', '020000000004'],
    });
    expect(fit(all - 1).left).toEqual(['020000000004']);
    expect(fit(all - entrySize('020000000004')).left).toEqual(['020000000004']);
    expect(fit(all - entrySize('020000000004') - 1).left).toEqual(['020000000004', '020000000001']);
    const three = fit(all - entrySize('020000000004') - entrySize('020000000001') - 1);
    expect(three.left).toEqual(['020000000004', '020000000001', '020000000003']);
    expect(three.kept).toEqual(['020000000002']);
    expect(three.entries).toEqual(['020000000002']);
  });

  it('the exporter reports the nodes left out and logs the dropped ones', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'alfred-nodes-budget-'));
    try {
      const infos: string[] = [];
      const warnings: string[] = [];
      const logger = {
        info: (_: unknown, message: string) => infos.push(message),
        warn: (message: string) => warnings.push(message),
      } as never;
      const exporter = new NodesExporter(new FileStore(new RootSandbox(root)), { now: () => t0 }, logger);
      const cfg = {
        nodesFile: '/www/nodes.json',
        nodelistFile: '/www/nodelist.json',
        maxAgeSeconds: 60,
        stateFile: '/state.json',
        maxBytes: 450,
      };
      writeFileSync(
        path.join(root, 'state.json'),
        JSON.stringify({
          version: 2,
          nodes: [
            {
              firstseen: stamp,
              lastseen: '2026-10-01T00:00:00.000Z',
              statistics: { node_id: '020000000009' },
              nodeinfo: {},
            },
            { firstseen: stamp, lastseen: stamp, statistics: { node_id: 'bad' }, nodeinfo: {} },
            { firstseen: 5, lastseen: stamp, statistics: { node_id: '020000000008' } },
          ],
        }),
      );
      const result = await exporter.export(
        cfg,
        '/state.json',
        records({
          '02:00:00:00:00:01': info('020000000001', { pad: 'x'.repeat(100) }),
          '02:00:00:00:00:02': info('020000000002', { pad: 'x'.repeat(10) }),
        }),
        records({}),
      );
      expect(result).toEqual({
        nodesFile: '/www/nodes.json',
        nodelistFile: '/www/nodelist.json',
        stateFile: '/state.json',
        total: 1,
        online: 2,
        dropped: ['020000000009'],
        problems: ['node 020000000001 left out: nodes.json would exceed alfred.nodes.maxBytes (450 bytes)'],
      });
      expect(infos).toEqual(['dropped 1 node(s) not seen for 60 s']);
      expect(warnings).toEqual([]);
      const written = readFileSync(path.join(root, 'www/nodes.json'));
      expect(written.length).toBeLessThanOrEqual(450);
      expect(
        JSON.parse(written.toString()).nodes.map(
          (n: { nodeinfo: { node_id: string } }) => n.nodeinfo.node_id,
        ),
      ).toEqual(['020000000002']);
      expect(statSync(path.join(root, 'www/nodelist.json')).mode & 0o777).toBe(0o644);
      // A state that is neither format: a warning and a fresh start.
      for (const text of ['{"version": 2, "nodes": {}}', '{"version": 1, "nodes": null}', '[', 'null']) {
        writeFileSync(path.join(root, 'state.json'), text);
        await exporter.export(cfg, '/state.json', records({}), records({}));
      }
      expect(warnings).toEqual(Array(4).fill('/state.json is not a node state file; starting afresh'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
