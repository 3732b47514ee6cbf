import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStore, RootSandbox } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import type { DecodedRecords } from './alfred-records.js';
import {
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
