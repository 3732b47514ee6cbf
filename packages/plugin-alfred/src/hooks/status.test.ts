import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStore, RootSandbox, Settings, statusSectionSchema, type TaskContext } from '@ffphoton/core';
import { afterEach, describe, expect, it } from 'vitest';
import { RunStatusStore } from '../services/run-status.js';
import status, { alfredSection } from './status.js';

const now = new Date('2026-11-27T12:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();

describe('photon:status hook', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  /** The parts of a TaskContext the hook uses, over a fresh --root. */
  function context(raw: Record<string, unknown>, dryRun = false) {
    const root = mkdtempSync(path.join(os.tmpdir(), 'alfred-status-'));
    roots.push(root);
    const files = new FileStore(new RootSandbox(root), { dryRun });
    const ctx = {
      settings: new Settings(raw, []),
      files,
      dataDir: '/var/lib/photon',
      clock: { now: () => now },
    } as unknown as TaskContext;
    return { ctx, root, store: new RunStatusStore(files, '/var/lib/photon') };
  }

  const twoMeshes = {
    alfred: {
      meshes: [
        { name: 'mz', socket: '/run/mz.sock' },
        { name: 'wi', socket: '/run/wi.sock' },
      ],
      zone: { name: 'nodes.ffmz.org', file: '/z', prefixes: ['fd37::/16'], nameservers: ['ns.'] },
    },
  };

  it('reports nothing where alfred is not configured', async () => {
    expect(await status({ ctx: context({ web: {} }).ctx })).toBeUndefined();
    expect(await status({ ctx: context({ alfred: { meshes: [] } }).ctx })).toBeUndefined();
  });

  it('shows meshes, the last announce, nodes and zone from the status files', async () => {
    const { ctx, store, root } = context(twoMeshes);
    await store.write('announce', {
      time: minutesAgo(1),
      meshes: [
        { mesh: 'mz', nodeId: '02cafe00ff0b', pushed: true, problems: 0 },
        { mesh: 'wi', pushed: false, problems: 1, error: 'alfred socket /run/wi.sock does not exist' },
      ],
    });
    await store.write('nodes', { time: minutesAgo(3), total: 10_000, online: 9_500, problems: 2 });
    await store.write('zone', {
      time: minutesAgo(40),
      zone: 'nodes.ffmz.org',
      serial: 2026112701,
      names: 9_800,
      problems: 0,
    });
    expect(readFileSync(path.join(root, 'var/lib/photon/alfred/last-announce.json'), 'utf8')).toContain(
      '02cafe00ff0b',
    );
    const section = statusSectionSchema.parse(await status({ ctx }));
    expect(section.gauges).toEqual([
      { name: 'photon_alfred_nodes', help: 'Nodes in nodes.json', labels: {}, value: 10_000 },
      { name: 'photon_alfred_nodes_online', help: 'Nodes online in nodes.json', labels: {}, value: 9_500 },
    ]);
    expect(section).toMatchObject({
      id: 'alfred',
      state: 'failed',
      summary: '2 mesh(es) configured, 1 announced; 10000 node(s), 9500 online',
      updated: minutesAgo(1),
    });
    expect(section.rows).toEqual([
      { label: 'mesh mz', value: 'node 02cafe00ff0b announced 60 s ago', state: 'ok' },
      {
        label: 'mesh wi',
        value: 'announce failed 60 s ago: alfred socket /run/wi.sock does not exist',
        state: 'failed',
      },
      {
        label: 'nodes.json',
        value: '10000 node(s), 9500 online, 3 min ago, 2 record(s) refused',
        state: 'warning',
      },
      // zone runs every few minutes: 40 minutes means its cron job stalled
      {
        label: 'zone nodes.ffmz.org',
        value: '9800 name(s), serial 2026112701, 40 min ago',
        state: 'warning',
      },
    ]);
  });

  it('shows a failed zone or nodes run as failed, with its error, until a run succeeds', () => {
    const section = alfredSection(
      ['mz'],
      true,
      {
        zone: { time: minutesAgo(2), zone: 'nodes.ffmz.org', error: 'named-checkzone rejected db.x' },
        nodes: { time: minutesAgo(2), error: 'alfred socket /run/mz.sock does not exist' },
      },
      now,
    );
    expect(section.state).toBe('failed');
    expect(section.summary).toBe('1 mesh(es) configured, 0 announced');
    expect(section.rows?.slice(1)).toEqual([
      {
        label: 'nodes.json',
        value: 'failed 2 min ago: alfred socket /run/mz.sock does not exist',
        state: 'failed',
      },
      {
        label: 'zone nodes.ffmz.org',
        value: 'failed 2 min ago: named-checkzone rejected db.x',
        state: 'failed',
      },
    ]);
  });

  it('warns before the first announce, ignores a damaged status file, and dry runs leave no status', async () => {
    const { ctx, root } = context(twoMeshes);
    const dry = new RunStatusStore(new FileStore(new RootSandbox(root), { dryRun: true }), '/var/lib/photon');
    await dry.write('nodes', { time: minutesAgo(0), total: 1, online: 1, problems: 0 });
    await new RunStatusStore(ctx.files, '/var/lib/photon').write('zone', {
      time: minutesAgo(0),
      zone: 'nodes.ffmz.org',
      serial: 1,
      names: 0,
      problems: 0,
    });
    writeFileSync(path.join(root, 'var/lib/photon/alfred/last-announce.json'), '{"time": ');
    const section = statusSectionSchema.parse(await status({ ctx }));
    expect(section.state).toBe('warning');
    expect(section.summary).toBe('2 mesh(es) configured, 0 announced');
    expect(section.rows.map((r) => [r.label, r.value])).toEqual([
      ['mesh mz', 'not announced yet'],
      ['mesh wi', 'not announced yet'],
      ['zone nodes.ffmz.org', '0 name(s), serial 1, 0 s ago'],
    ]);
  });
});
