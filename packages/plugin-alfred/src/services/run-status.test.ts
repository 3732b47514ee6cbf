import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStore, RootSandbox } from '@ffphoton/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type AlfredRunStatus, RunStatusStore } from './run-status.js';

describe('run status files', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  function store(dryRun = false, root = mkdtempSync(path.join(os.tmpdir(), 'alfred-run-status-'))) {
    roots.push(root);
    const dir = path.join(root, 'var/lib/photon/alfred');
    return {
      root,
      dir,
      store: new RunStatusStore(new FileStore(new RootSandbox(root), { dryRun }), '/var/lib/photon'),
    };
  }

  const all: Required<AlfredRunStatus> = {
    announce: {
      time: '2026-11-27T12:00:00.000Z',
      meshes: [{ mesh: 'mz', nodeId: '02cafe000001', pushed: true, problems: 0 }],
    },
    zone: {
      time: '2026-11-27T12:01:00.000Z',
      zone: 'nodes.ffmz.org',
      serial: 2026112701,
      names: 3,
      problems: 1,
    },
    nodes: { time: '2026-11-27T12:02:00.000Z', error: 'alfred socket /run/mz.sock does not exist' },
  };

  it('writes one world-readable JSON line per command and reads them all back', async () => {
    const { dir, store: s } = store();
    expect(await s.read()).toEqual({});
    await s.write('zone', all.zone);
    expect(await s.read()).toEqual({ zone: all.zone });
    await s.write('announce', all.announce);
    await s.write('nodes', all.nodes);
    expect(await s.read()).toEqual(all);
    expect(readFileSync(path.join(dir, 'last-zone.json'), 'utf8')).toBe(`${JSON.stringify(all.zone)}\n`);
    expect(readFileSync(path.join(dir, 'last-nodes.json'), 'utf8')).toBe(`${JSON.stringify(all.nodes)}\n`);
    expect(statSync(path.join(dir, 'last-announce.json')).mode & 0o777).toBe(0o644);
  });

  it('a dry run does not even claim it would write a status', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'alfred-run-status-'));
    roots.push(root);
    const logged: string[] = [];
    const logger = { info: (_: unknown, message: string) => logged.push(message) } as never;
    const dry = new RunStatusStore(
      new FileStore(new RootSandbox(root), { dryRun: true, logger }),
      '/var/lib/photon',
    );
    await dry.write('zone', all.zone);
    expect(logged).toEqual([]);
  });

  it('a dry run leaves the last real run in place', async () => {
    const { root, store: real } = store();
    await real.write('zone', all.zone);
    const { store: dry } = store(true, root);
    await dry.write('zone', { time: '2026-11-28T00:00:00.000Z', zone: 'nodes.ffmz.org', error: 'x' });
    await dry.write('nodes', all.nodes);
    expect(await dry.read()).toEqual({ zone: all.zone });
  });

  it('leaves out damaged files and values that are no status, keeps the others', async () => {
    const { dir, store: s } = store();
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'last-announce.json'), '{"time": "2026-11-27T12:00:00Z", "meshes": [');
    writeFileSync(path.join(dir, 'last-zone.json'), '{"zone": "nodes.ffmz.org", "time": 5}\n');
    writeFileSync(path.join(dir, 'last-nodes.json'), `${JSON.stringify(all.nodes)}\n`);
    expect(await s.read()).toEqual({ nodes: all.nodes });
    for (const text of ['null', '"2026-11-27"', '42', '[]', '{}', '{"time": null}']) {
      writeFileSync(path.join(dir, 'last-nodes.json'), text);
      expect(await s.read(), text).toEqual({});
    }
  });
});
