import dgram from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStore, RootSandbox, Shell, type TaskContext, UnavailableError } from '@ffphoton/core';
import { afterEach, describe, expect, it } from 'vitest';
import { alfredSettings, meshSchema } from '../settings.js';
import { FakeAlfred, touchSocket } from '../test-helpers/fake-alfred.js';
import { recordingLogger } from '../test-helpers/recording-logger.js';
import { MapExporter, type MapRecords, recordsOfAnswers } from './meshviewer-export.js';
import { NodeDataCache } from './respondd-cache.js';
import { ResponddResponder } from './respondd-responder.js';

const now = new Date('2026-12-07T01:00:00.000Z');
const A = '02cafe00ff0a';
const B = '02cafe00ff0b';

const nodeinfo = (id: string, n: string) => ({
  node_id: id,
  hostname: `node-${n} <&>`,
  network: {
    mac: `02:ca:fe:00:ff:0${n}`,
    mesh: { bat0: { interfaces: { tunnel: [`02:ca:fe:00:01:0${n}`] } } },
  },
});
const neighboursOf = (id: string | undefined, own: string, other: string, tq: number) => ({
  ...(id ? { node_id: id } : {}),
  batadv: { [own]: { neighbours: { [other]: { tq, lastseen: 0.3 } } } },
});

/** Two online nodes that see each other over their VPN interfaces. */
function twoNodes(): MapRecords {
  return {
    nodeinfo: { nodes: { [A]: nodeinfo(A, 'a'), [B]: nodeinfo(B, 'b') }, problems: [] },
    statistics: {
      nodes: { [A]: { node_id: A, clients: { total: 3 } } },
      problems: [{ message: 'stats problem' }],
    },
    neighbours: {
      nodes: {
        // Keyed by node_id (respondd) or by the alfred source MAC (a record without node_id).
        // A's record comes from another MAC of A: its node_id decides.
        '02:ca:fe:00:ff:0f': neighboursOf(A, '02:ca:fe:00:01:0a', '02:ca:fe:00:01:0b', 204),
        '02:ca:fe:00:ff:0b': {
          ...neighboursOf(undefined, '02:ca:fe:00:01:0b', '02:ca:fe:00:01:0a', 102),
          node_id: 'bad',
        },
      },
      problems: [{ message: 'neighbours problem' }],
    },
  };
}

describe('map export', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  function mapHost(map: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
    const root = mkdtempSync(path.join(os.tmpdir(), 'alfred-map-'));
    roots.push(root);
    const fake = new FakeAlfred(path.join(root, 'fake'));
    const { logger, lines } = recordingLogger();
    const ctx = {
      shell: new Shell({ dryRun: false, defaultTimeoutMs: 30_000 }),
      files: new FileStore(new RootSandbox(root)),
      clock: { now: () => now },
      logger,
      dataDir: '/var/lib/photon',
    } as unknown as TaskContext;
    const cfg = alfredSettings.schema.parse({
      command: fake.command,
      map: { meshviewerFile: '/srv/meshviewer.json', graphFile: '/srv/graph.json', ...map },
      ...extra,
    });
    const host = (p: string) => path.join(root, p);
    const json = (p: string) => JSON.parse(readFileSync(host(p), 'utf8'));
    return { root, fake, lines, host, json, ctx, cfg, exporter: new MapExporter(ctx, cfg) };
  }

  it('respondd answers → records by node_id; answers without a valid node_id are problems', () => {
    const stats = { node_id: B, uptime: 5 };
    expect(
      recordsOfAnswers([
        {
          from: 'fe80::a%br0',
          data: { nodeinfo: { node_id: A }, statistics: { node_id: A }, neighbours: { batadv: {} } },
        },
        // Only statistics: its node_id counts; a record that is no object is left out.
        { from: 'fe80::b%br0', data: { statistics: stats, nodeinfo: null, neighbours: [1] } },
        { from: 'fe80::c%br0', data: { nodeinfo: { node_id: `x${A}` } } },
        { from: 'fe80::d%br0', data: { nodeinfo: { node_id: `${A}0` } } },
        { from: 'fe80::e%br0', data: { nodeinfo: { node_id: 42 }, statistics: { node_id: A } } },
        { from: 'fe80::f%br0', data: {} },
        { from: 'fe80::9%br0', data: { neighbours: { node_id: A } } },
      ]),
    ).toEqual({
      nodeinfo: {
        nodes: { [A]: { node_id: A } },
        problems: ['c', 'd', 'e', 'f', '9'].map((x) => ({
          message: `fe80::${x}%br0: an answer without a valid node_id`,
        })),
      },
      statistics: { nodes: { [A]: { node_id: A }, [B]: stats }, problems: [] },
      neighbours: { nodes: { [A]: { batadv: {} } }, problems: [] },
    });
  });

  it('writes meshviewer.json, graph.json and the state; a second run keeps first-seen', async () => {
    const m = mapHost();
    const result = await m.exporter.export(twoNodes());
    expect(result).toStrictEqual({
      source: 'respondd',
      meshviewerFile: '/srv/meshviewer.json',
      graphFile: '/srv/graph.json',
      stateFile: '/var/lib/photon/map/nodes-state.json',
      total: 2,
      online: 2,
      links: 1,
      dropped: [],
      problems: ['stats problem', 'neighbours problem'],
    });
    const meshviewer = m.json('/srv/meshviewer.json');
    expect(meshviewer.timestamp).toBe(now.toISOString());
    expect(meshviewer.nodes.map((n: { hostname: string }) => n.hostname)).toEqual([
      'node-a <&>',
      'node-b <&>',
    ]);
    expect(meshviewer.links).toEqual([
      expect.objectContaining({ source: A, target: B, source_tq: 0.8, target_tq: 0.4 }),
    ]);
    // Node data is escaped in the files: no raw markup.
    expect(readFileSync(m.host('/srv/meshviewer.json'), 'utf8')).not.toMatch(/[<>&]/);
    expect(readFileSync(m.host('/srv/meshviewer.json'), 'utf8')).toMatch(/\}\n$/);
    expect(m.json('/srv/graph.json').batadv.links).toEqual([
      { source: 0, target: 1, tq: 1.25, vpn: true, bidirect: true },
    ]);
    expect(readFileSync(m.host('/srv/graph.json'), 'utf8')).not.toMatch(/[<>&]/);
    expect(statSync(m.host('/srv/graph.json')).mode & 0o777).toBe(0o644);
    expect(statSync(m.host('/srv/meshviewer.json')).mode & 0o777).toBe(0o644);
    expect(statSync(m.host('/var/lib/photon/map/nodes-state.json')).mode & 0o777).toBe(0o600);
    expect(existsSync(m.host('/var/www/html/data/nodes.json'))).toBe(false);
    const state = m.json('/var/lib/photon/map/nodes-state.json');
    expect(state.version).toBe(1);
    expect(state.nodes[A]).toMatchObject({ firstseen: now.toISOString(), lastseen: now.toISOString() });

    // An hour later only A answers: B is offline but kept, first-seen of A is from the state.
    const later = new Date(now.getTime() + 3_600_000);
    const laterExporter = new MapExporter({ ...m.ctx, clock: { now: () => later } } as TaskContext, m.cfg);
    const records = twoNodes();
    delete records.nodeinfo.nodes[B];
    const second = await laterExporter.export(records);
    expect(second).toMatchObject({ total: 2, online: 1, links: 0 });
    expect(m.json('/var/lib/photon/map/nodes-state.json').nodes[A]).toMatchObject({
      firstseen: now.toISOString(),
      lastseen: later.toISOString(),
    });
    expect(m.lines).toEqual([]);
  });

  it('an absolute state file, nodes.json when asked; a damaged state is a warning and a fresh start', async () => {
    const m = mapHost({ stateFile: '/srv/state.json', nodesFile: '/srv/nodes.json' });
    mkdirSync(m.host('/srv'), { recursive: true });
    for (const damaged of [
      '{"version": 1',
      '{"version": 2, "nodes": {}}',
      '{"version": 1, "nodes": null}',
      'null',
    ]) {
      writeFileSync(m.host('/srv/state.json'), damaged);
      m.lines.splice(0);
      const result = await m.exporter.export(twoNodes());
      expect(result).toMatchObject({ stateFile: '/srv/state.json', nodesFile: '/srv/nodes.json', total: 2 });
      expect(m.lines, damaged).toEqual(['warn /srv/state.json is not a node state file; starting afresh']);
    }
    const nodes = m.json('/srv/nodes.json');
    expect(nodes.version).toBe(2);
    expect(nodes.nodes).toHaveLength(2);
    expect(statSync(m.host('/srv/nodes.json')).mode & 0o777).toBe(0o644);
    // An old first-seen in a good state is kept.
    const old = '2026-01-01T00:00:00.000Z';
    writeFileSync(
      m.host('/srv/state.json'),
      JSON.stringify({
        version: 1,
        nodes: { [A]: { firstseen: old, lastseen: old, nodeinfo: nodeinfo(A, 'a') } },
      }),
    );
    m.lines.splice(0);
    await m.exporter.export(twoNodes());
    expect(m.lines).toEqual([]);
    expect(m.json('/srv/state.json').nodes[A].firstseen).toBe(old);
  });

  it('collects from alfred: nodeinfo, statistics and neighbours of the map’s meshes', async () => {
    const m = mapHost(
      { source: 'alfred', meshes: ['mz'] },
      {
        meshes: [
          meshSchema.parse({ name: 'mz', socket: '/run/mz.sock' }),
          meshSchema.parse({ name: 'wi', socket: '/run/wi.sock' }),
        ],
      },
    );
    touchSocket(m.root, '/run/mz.sock');
    touchSocket(m.root, '/run/wi.sock');
    const record = (value: unknown) => `{ "02:ca:fe:00:ff:0a", ${JSON.stringify(JSON.stringify(value))} },\n`;
    m.fake.serve('/run/mz.sock', 158, record(nodeinfo(A, 'a')));
    m.fake.serve('/run/mz.sock', 159, record({ node_id: A }));
    m.fake.serve('/run/mz.sock', 160, record({ node_id: A, batadv: {} }));
    expect(await m.exporter.collect()).toEqual({
      nodeinfo: { nodes: { '02:ca:fe:00:ff:0a': nodeinfo(A, 'a') }, problems: [] },
      statistics: { nodes: { '02:ca:fe:00:ff:0a': { node_id: A } }, problems: [] },
      neighbours: { nodes: { '02:ca:fe:00:ff:0a': { node_id: A, batadv: {} } }, problems: [] },
    });
    expect(
      m.fake
        .calls()
        .map((c) => c.replace(/^-u \S+\//, ''))
        .sort(),
    ).toEqual(['mz.sock -r 158', 'mz.sock -r 159', 'mz.sock -r 160']);
  });

  describe('from respondd', () => {
    let responder: ResponddResponder | undefined;
    afterEach(async () => {
      await responder?.stop();
      responder = undefined;
    });

    it('asks every target and keys the answers by node_id', async () => {
      const data = {
        nodeinfo: nodeinfo(A, 'a'),
        statistics: { node_id: A },
        neighbours: { node_id: A, batadv: {} },
      };
      const settings = alfredSettings.schema.parse({}).respondd;
      responder = new ResponddResponder(
        [meshSchema.parse({ name: 'mz' })],
        settings,
        new NodeDataCache(async () => data, 60_000),
      );
      const { port } = await responder.start({ address: '::1', port: 0 });
      const m = mapHost({ targets: ['::1'], timeoutSeconds: 2 }, { respondd: { port } });
      expect(await m.exporter.collect()).toEqual({
        nodeinfo: { nodes: { [A]: data.nodeinfo }, problems: [] },
        statistics: { nodes: { [A]: data.statistics }, problems: [] },
        neighbours: { nodes: { [A]: data.neighbours }, problems: [] },
      });
    });

    it('answers that do not decode are problems of the statistics', async () => {
      const server = dgram.createSocket('udp6');
      server.on('message', (_, rinfo) => {
        server.send('garbage', rinfo.port, rinfo.address);
        server.send(JSON.stringify({ statistics: { node_id: B } }), rinfo.port, rinfo.address);
      });
      await new Promise<void>((resolve) => server.bind(0, '::1', resolve));
      try {
        const m = mapHost(
          { targets: ['::1'], timeoutSeconds: 2 },
          { respondd: { port: server.address().port } },
        );
        const records = await m.exporter.collect();
        expect(records.statistics).toEqual({
          nodes: { [B]: { node_id: B } },
          problems: [{ message: '::1: an answer of 7 bytes did not decode' }],
        });
        expect(records.nodeinfo).toEqual({ nodes: {}, problems: [] });
      } finally {
        server.close();
      }
    });

    it('no answer at all is unavailable', async () => {
      const m = mapHost({ targets: ['::1', '127.0.0.1'], timeoutSeconds: 1 }, { respondd: { port: 9 } });
      const error = await m.exporter.collect().catch((e: unknown) => e as Error);
      expect(error).toBeInstanceOf(UnavailableError);
      expect((error as Error).message).toBe('no respondd answer from ::1, 127.0.0.1 within 1 s');
    });
  });
});
