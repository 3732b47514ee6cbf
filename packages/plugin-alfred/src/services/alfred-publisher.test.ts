import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ConfigError,
  FileStore,
  photonSettings,
  RootSandbox,
  ServiceManager,
  Shell,
  type TaskContext,
  UnavailableError,
  ValidationRejectedError,
} from '@ffphoton/core';
import { completeResult, partialOutcome } from '@ffphoton/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { alfredSettings } from '../settings.js';
import { FakeAlfred, touchSocket } from '../test-helpers/fake-alfred.js';
import { recordingLogger } from '../test-helpers/recording-logger.js';
import { AlfredPublisher, nodesSummary, zoneSummary } from './alfred-publisher.js';
import type { ZoneResult } from './node-zone.js';
import type { NodesResult } from './nodes-export.js';

const now = new Date('2026-11-27T10:00:00Z');
const time = now.toISOString();

/** `alfred -r` output of plain JSON records (alfred escapes `"` and `\` as C does). */
function alfredOutput(records: Record<string, unknown>): string {
  return Object.entries(records)
    .map(([mac, value]) => `{ "${mac}", ${JSON.stringify(JSON.stringify(value))} },\n`)
    .join('');
}

const node = (n: number, extra: Record<string, unknown> = {}) => ({
  node_id: `02cafe0000${String(n).padStart(2, '0')}`,
  hostname: `node-${n}`,
  network: { addresses: [`fd37:b4dc:4b1e::${n}`] },
  ...extra,
});
const mac = (n: number) => `02:ca:fe:00:00:${String(n).padStart(2, '0')}`;

const zone = {
  name: 'nodes.ffmz.org',
  file: '/etc/bind/db.nodes',
  prefixes: ['fd37:b4dc:4b1e::/64'],
  nameservers: ['ns1.example.org.'],
  reloadCommand: ['true', 'reload', '{zone}'],
};

describe('alfred publisher (zone, nodes, sync)', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  /** A map server over a fresh --root: meshes mz and wi, both sockets present. */
  function mapServer(settings: Record<string, unknown> = {}, dryRun = false) {
    const root = mkdtempSync(path.join(os.tmpdir(), 'alfred-publisher-'));
    roots.push(root);
    touchSocket(root, '/run/mz.sock');
    touchSocket(root, '/run/wi.sock');
    const fake = new FakeAlfred(path.join(root, 'fake'));
    const shell = new Shell({ dryRun, defaultTimeoutMs: 30_000 });
    const files = new FileStore(new RootSandbox(root), { dryRun });
    const { logger, lines } = recordingLogger();
    const ctx = {
      dryRun,
      shell,
      files,
      services: new ServiceManager(shell, photonSettings.schema.parse({}).services),
      clock: { now: () => now },
      logger,
      dataDir: '/var/lib/photon',
    } as unknown as TaskContext;
    const cfg = alfredSettings.schema.parse({
      command: fake.command,
      meshes: [
        { name: 'mz', socket: '/run/mz.sock' },
        { name: 'wi', socket: '/run/wi.sock' },
      ],
      nodes: { nodesFile: '/srv/nodes.json', nodelistFile: '/srv/nodelist.json' },
      ...settings,
    });
    const host = (p: string) => path.join(root, p);
    const status = (kind: string) => {
      const file = host(`/var/lib/photon/alfred/last-${kind}.json`);
      return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
    };
    /** The alfred calls so far as `SOCKET -r TYPE`, sorted (reads run concurrently). */
    const calls = () =>
      fake
        .calls()
        .map((c) => c.replace(/^-u \S+\/(\w+)\.sock /, '$1 '))
        .sort();
    return { root, fake, ctx, cfg, lines, host, status, calls, publisher: new AlfredPublisher(ctx, cfg) };
  }

  const caught = <T>(promise: Promise<T>) =>
    promise.then(
      () => {
        throw new Error('expected a rejection');
      },
      (error: unknown) => error as Error,
    );

  it('summarises each output in one line', () => {
    const zoneResult = {
      zone: 'nodes.ffmz.org',
      serial: 2026112701,
      entries: [{}, {}],
      changed: true,
    } as ZoneResult;
    expect(zoneSummary(zoneResult, false)).toBe(
      'zone nodes.ffmz.org: 2 node(s), updated to serial 2026112701',
    );
    expect(zoneSummary(zoneResult, true)).toBe(
      'zone nodes.ffmz.org: 2 node(s), would be updated to serial 2026112701',
    );
    expect(zoneSummary({ ...zoneResult, changed: false }, false)).toBe(
      'zone nodes.ffmz.org: 2 node(s), unchanged (serial 2026112701)',
    );
    expect(nodesSummary({ total: 5, online: 3, dropped: ['a', 'b'] } as NodesResult)).toBe(
      'nodes: 5 node(s), 3 online, 2 dropped',
    );
  });

  it('zone: nodeinfo of the zone’s meshes only → installed zone and its status', async () => {
    const s = mapServer({ zone: { ...zone, meshes: ['mz'] } });
    s.fake.serve('/run/mz.sock', 158, alfredOutput({ [mac(1)]: node(1), [mac(2)]: node(2) }));
    s.fake.serve('/run/wi.sock', 158, alfredOutput({ [mac(3)]: node(3) }));
    const result = completeResult(await s.publisher.zone());
    expect(result).toEqual({
      zone: 'nodes.ffmz.org',
      file: '/etc/bind/db.nodes',
      changed: true,
      serial: 2026112700,
      entries: [
        { label: 'node-1', addresses: ['fd37:b4dc:4b1e::1'], mac: mac(1), nodeId: '02cafe000001' },
        { label: 'node-2', addresses: ['fd37:b4dc:4b1e::2'], mac: mac(2), nodeId: '02cafe000002' },
      ].map((e) => expect.objectContaining({ label: e.label, addresses: e.addresses })),
      skipped: [],
      problems: [],
      reloaded: true,
    });
    expect(readFileSync(s.host('/etc/bind/db.nodes'), 'utf8')).toContain('node-2 IN AAAA fd37:b4dc:4b1e::2');
    expect(s.calls()).toEqual(['mz -r 158']);
    expect(s.status('zone')).toEqual({
      time,
      zone: 'nodes.ffmz.org',
      serial: 2026112700,
      names: 2,
      problems: 0,
    });
    expect(s.status('nodes')).toBeUndefined();
  });

  it('zone: not configured is a configuration error naming the key', async () => {
    const error = await caught(mapServer().publisher.zone());
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe('alfred.zone: not configured');
  });

  it('zone: refused nodes → exit 5 with the result, after the zone was installed', async () => {
    const s = mapServer({ zone });
    s.fake.serve(
      '/run/mz.sock',
      158,
      alfredOutput({ [mac(1)]: node(1), [mac(7)]: node(7, { hostname: 42 }) }),
    );
    const partly = partialOutcome(await s.publisher.zone());
    expect(partly.message).toBe('alfred zone nodes.ffmz.org: 1 node(s) published, 1 refused');
    expect(partly.problems).toEqual([`${mac(7)}: nodeinfo has no hostname`]);
    expect(partly.result).toMatchObject({ changed: true, problems: partly.problems });
    expect(existsSync(s.host('/etc/bind/db.nodes'))).toBe(true);
    expect(s.status('zone')).toEqual({
      time,
      zone: 'nodes.ffmz.org',
      serial: 2026112700,
      names: 1,
      problems: 1,
    });
  });

  it('zone: no alfred answering → unavailable, and the status says why', async () => {
    const s = mapServer({ zone });
    s.fake.fail('/run/mz.sock', 158, 255);
    s.fake.fail('/run/wi.sock', 158, 255);
    const error = await caught(s.publisher.zone());
    expect(error).toBeInstanceOf(UnavailableError);
    expect(s.status('zone')).toEqual({ time, zone: 'nodes.ffmz.org', error: error.message });
    expect(existsSync(s.host('/etc/bind/db.nodes'))).toBe(false);
  });

  it('a status that cannot be written is a warning; the run’s own error is what is thrown', async () => {
    const s = mapServer({ zone });
    mkdirSync(s.host('/var/lib/photon'), { recursive: true });
    writeFileSync(s.host('/var/lib/photon/alfred'), 'not a directory');
    s.fake.fail('/run/mz.sock', 158, 255);
    s.fake.fail('/run/wi.sock', 158, 255);
    expect(await caught(s.publisher.zone())).toBeInstanceOf(UnavailableError);
    expect(s.lines).toEqual([expect.stringMatching(/^warn alfred zone status: EEXIST: /)]);
  });

  it('nodes: nodeinfo and statistics of the nodes meshes → node lists, state and status', async () => {
    const s = mapServer({
      nodes: { meshes: ['wi'], nodesFile: '/srv/nodes.json', nodelistFile: '/srv/nodelist.json' },
    });
    s.fake.serve('/run/wi.sock', 158, alfredOutput({ [mac(1)]: node(1), [mac(2)]: node(2) }));
    s.fake.serve(
      '/run/wi.sock',
      159,
      alfredOutput({ [mac(1)]: { node_id: '02cafe000001', clients: { total: 4 } } }),
    );
    const result = completeResult(await s.publisher.nodes());
    expect(result).toEqual({
      nodesFile: '/srv/nodes.json',
      nodelistFile: '/srv/nodelist.json',
      stateFile: '/var/lib/photon/alfred/nodes-state.json',
      total: 2,
      online: 2,
      dropped: [],
      problems: [],
    });
    expect(s.calls()).toEqual(['wi -r 158', 'wi -r 159']);
    expect(JSON.parse(readFileSync(s.host('/srv/nodes.json'), 'utf8')).nodes).toHaveLength(2);
    expect(existsSync(s.host('/srv/nodelist.json'))).toBe(true);
    expect(existsSync(s.host('/var/lib/photon/alfred/nodes-state.json'))).toBe(true);
    expect(s.status('nodes')).toEqual({ time, total: 2, online: 2, problems: 0 });
  });

  it('nodes: an absolute state file stays where it is; refused records → exit 5', async () => {
    const s = mapServer({
      nodes: {
        stateFile: '/srv/state.json',
        nodesFile: '/srv/nodes.json',
        nodelistFile: '/srv/nodelist.json',
      },
    });
    s.fake.serve('/run/mz.sock', 158, `${alfredOutput({ [mac(1)]: node(1) })}{ "${mac(9)}", "x" },\n`);
    const partly = partialOutcome(await s.publisher.nodes());
    expect(partly.message).toBe('alfred nodes: 1 node(s) written, 1 record(s) refused');
    expect(partly.problems).toEqual([expect.stringMatching(new RegExp(`^mesh mz: ${mac(9)}: not JSON`))]);
    expect(partly.result).toMatchObject({ stateFile: '/srv/state.json', total: 1 });
    expect(existsSync(s.host('/srv/state.json'))).toBe(true);
    expect(s.status('nodes')).toEqual({ time, total: 1, online: 1, problems: 1 });
  });

  it('nodes: a failed run leaves its error as the status', async () => {
    const s = mapServer();
    for (const socket of ['/run/mz.sock', '/run/wi.sock']) s.fake.fail(socket, 159, 255);
    const error = await caught(s.publisher.nodes());
    expect(error).toBeInstanceOf(UnavailableError);
    expect(s.status('nodes')).toEqual({ time, error: error.message });
  });

  it('sync: one read per mesh and type for both outputs, each from its own meshes', async () => {
    const s = mapServer({
      zone: { ...zone, meshes: ['mz'] },
      nodes: { meshes: ['wi'], nodesFile: '/srv/nodes.json', nodelistFile: '/srv/nodelist.json' },
    });
    s.fake.serve('/run/mz.sock', 158, alfredOutput({ [mac(1)]: node(1) }));
    s.fake.serve('/run/wi.sock', 158, alfredOutput({ [mac(2)]: node(2), [mac(3)]: node(3) }));
    const result = completeResult(await s.publisher.sync());
    expect(s.calls()).toEqual(['mz -r 158', 'wi -r 158', 'wi -r 159']);
    expect(Object.keys(result)).toEqual(['zone', 'nodes']);
    expect(result.zone?.entries.map((e) => e.label)).toEqual(['node-1']);
    expect(result.nodes).toMatchObject({ total: 2, online: 2, problems: [] });
    expect(s.status('zone')).toMatchObject({ names: 1, problems: 0 });
    expect(s.status('nodes')).toMatchObject({ total: 2, problems: 0 });
  });

  it('sync without a zone: only the node lists', async () => {
    const s = mapServer();
    s.fake.serve('/run/mz.sock', 158, alfredOutput({ [mac(1)]: node(1) }));
    const result = completeResult(await s.publisher.sync());
    expect(result).toStrictEqual({ nodes: expect.objectContaining({ total: 1 }) });
    expect(s.calls()).toEqual(['mz -r 158', 'mz -r 159', 'wi -r 158', 'wi -r 159']);
    expect(s.status('zone')).toBeUndefined();
  });

  it('sync: refusals of both outputs → one exit 5, each problem named by its output', async () => {
    const s = mapServer({ zone });
    s.fake.serve(
      '/run/mz.sock',
      158,
      `${alfredOutput({ [mac(1)]: node(1), [mac(7)]: node(7, { hostname: 42 }) })}{ "${mac(9)}", "x" },\n`,
    );
    const partly = partialOutcome(await s.publisher.sync());
    expect(partly.message).toBe(
      'alfred sync: zone nodes.ffmz.org: 1 node(s) published, 2 refused; nodes: 2 node(s) written, 1 record(s) refused',
    );
    expect(partly.problems).toEqual([
      expect.stringMatching(new RegExp(`^zone: mesh mz: ${mac(9)}: not JSON`)),
      `zone: ${mac(7)}: nodeinfo has no hostname`,
      expect.stringMatching(new RegExp(`^nodes: mesh mz: ${mac(9)}: not JSON`)),
    ]);
    expect(partly.result).toEqual({
      zone: expect.objectContaining({ changed: true }),
      nodes: expect.objectContaining({ total: 2 }),
    });
  });

  it('sync: a zone named-checkzone rejects still leaves the node lists written; its error is the exit', async () => {
    const s = mapServer({ zone: { ...zone, nameservers: ['ns'] } });
    s.fake.serve('/run/mz.sock', 158, `${alfredOutput({ [mac(1)]: node(1) })}{ "${mac(9)}", "x" },\n`);
    const error = await caught(s.publisher.sync());
    expect(error).toBeInstanceOf(ValidationRejectedError);
    expect(existsSync(s.host('/etc/bind/db.nodes'))).toBe(false);
    expect(existsSync(s.host('/srv/nodes.json'))).toBe(true);
    expect(s.status('zone')).toEqual({ time, zone: 'nodes.ffmz.org', error: error.message });
    expect(s.status('nodes')).toEqual({ time, total: 1, online: 1, problems: 1 });
    // What the node lists refused is still logged.
    expect(s.lines).toEqual([expect.stringMatching(new RegExp(`^warn nodes: mesh mz: ${mac(9)}: not JSON`))]);
  });

  it('sync: both outputs failing logs the second failure and throws the first', async () => {
    const s = mapServer({ zone: { ...zone, nameservers: ['ns'] } });
    s.fake.serve('/run/mz.sock', 158, alfredOutput({ [mac(1)]: node(1) }));
    mkdirSync(s.host('/srv/nodes.json/x'), { recursive: true });
    const error = await caught(s.publisher.sync());
    expect(error).toBeInstanceOf(ValidationRejectedError);
    expect(s.lines).toEqual([expect.stringMatching(/^error .*nodes\.json/)]);
  });

  it('sync: no alfred at all → one unavailable error, its message once', async () => {
    const s = mapServer({ zone });
    for (const socket of ['/run/mz.sock', '/run/wi.sock']) s.fake.fail(socket, 158, 255);
    const error = await caught(s.publisher.sync());
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe(
      'mesh mz: alfred at /run/mz.sock: exit 255; mesh wi: alfred at /run/wi.sock: exit 255',
    );
    expect(s.lines).toEqual([]);
  });

  it('sync in a dry run installs nothing and leaves no status', async () => {
    const s = mapServer({ zone }, true);
    s.fake.serve('/run/mz.sock', 158, alfredOutput({ [mac(1)]: node(1) }));
    const result = completeResult(await s.publisher.sync());
    expect(result.zone).toMatchObject({ changed: true, reloaded: false });
    expect(result.nodes).toMatchObject({ total: 1 });
    for (const p of ['/etc/bind/db.nodes', '/srv/nodes.json', '/var/lib/photon'])
      expect(existsSync(s.host(p))).toBe(false);
  });

  it('sync: a zone whose alfred is down fails alone; the node lists’ refusals are still logged', async () => {
    const s = mapServer({
      zone: { ...zone, meshes: ['wi'] },
      nodes: { meshes: ['mz'], nodesFile: '/srv/nodes.json', nodelistFile: '/srv/nodelist.json' },
    });
    s.fake.fail('/run/wi.sock', 158, 255);
    s.fake.serve('/run/mz.sock', 158, `${alfredOutput({ [mac(1)]: node(1) })}{ "${mac(9)}", "x" },\n`);
    const error = await caught(s.publisher.sync());
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe('mesh wi: alfred at /run/wi.sock: exit 255');
    expect(s.lines).toEqual([expect.stringMatching(new RegExp(`^warn nodes: mesh mz: ${mac(9)}: not JSON`))]);
    expect(s.status('nodes')).toEqual({ time, total: 1, online: 1, problems: 1 });
    expect(s.status('zone')).toEqual({ time, zone: 'nodes.ffmz.org', error: error.message });
  });

  it('sync: a rejected zone and no alfred for the node lists → the first failure, the second logged', async () => {
    const s = mapServer({
      zone: { ...zone, nameservers: ['ns'], meshes: ['mz'] },
      nodes: { meshes: ['wi'], nodesFile: '/srv/nodes.json', nodelistFile: '/srv/nodelist.json' },
    });
    s.fake.serve('/run/mz.sock', 158, alfredOutput({ [mac(1)]: node(1) }));
    s.fake.fail('/run/wi.sock', 158, 255);
    const error = await caught(s.publisher.sync());
    expect(error).toBeInstanceOf(ValidationRejectedError);
    expect(s.lines).toEqual(['error mesh wi: alfred at /run/wi.sock: exit 255']);
  });

  it('an unknown mesh is a configuration error naming its key', async () => {
    const zoneError = await caught(mapServer({ zone: { ...zone, meshes: ['xx'] } }).publisher.zone());
    expect(zoneError.message).toBe('alfred.zone.meshes: unknown mesh "xx" (known: mz, wi)');
    const nodesError = await caught(
      mapServer({ nodes: { meshes: ['yy'], nodesFile: '/n', nodelistFile: '/l' } }).publisher.nodes(),
    );
    expect(nodesError.message).toBe('alfred.nodes.meshes: unknown mesh "yy" (known: mz, wi)');
  });
});
