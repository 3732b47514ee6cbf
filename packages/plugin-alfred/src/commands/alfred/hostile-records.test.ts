import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { NodesResult } from '../../services/nodes-export.js';
import { runCommand, writeSettings } from '../../test-helpers/run-command.js';
import AlfredNodes from './nodes.js';
import AlfredRead from './read.js';

/** Escapes bytes the way alfred's client.c prints them. */
function alfredLine(mac: string, bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `{ "${mac}", "${out}" },`;
}

const nodeinfo = (id: string, extra: Record<string, unknown> = {}) =>
  gzipSync(JSON.stringify({ node_id: id, hostname: `n-${id}`, ...extra }));

/** A sandbox whose `alfred` is a script printing the given `-r 158` / `-r 159` output. */
function bedWith(r158: string[], r159: string[] = [], nodes: Record<string, unknown> = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'photon-alfred-hostile-'));
  mkdirSync(path.join(root, 'run'));
  writeFileSync(path.join(root, 'run/alfred.sock'), '');
  writeFileSync(path.join(root, 'r158.txt'), `${r158.join('\n')}\n`);
  writeFileSync(path.join(root, 'r159.txt'), `${r159.join('\n')}\n`);
  const fake = path.join(root, 'alfred');
  writeFileSync(fake, `#!/bin/sh\nexec cat "${root}/r$4.txt"\n`);
  chmodSync(fake, 0o755);
  const config = writeSettings(root, {
    photon: { hostname: 'map', dataDir: '/var/lib/photon' },
    alfred: {
      command: [fake],
      meshes: [{ name: 'mz', socket: '/run/alfred.sock' }],
      nodes: { nodesFile: '/srv/nodes.json', nodelistFile: '/srv/nodelist.json', ...nodes },
    },
  });
  return { root, config };
}

describe('alfred with hostile records', () => {
  it('a 152-byte record nesting JSON 5000 deep is one refused node; the others are written (exit 5)', async () => {
    const bomb = gzipSync(`${'['.repeat(5000)}${']'.repeat(5000)}`, { level: 9 });
    expect(bomb.length).toBeLessThan(160);
    const { root, config } = bedWith([
      alfredLine('02:00:00:00:00:01', nodeinfo('020000000001')),
      alfredLine('02:00:00:00:00:66', bomb),
      alfredLine('02:00:00:00:00:02', nodeinfo('020000000002')),
    ]);
    const run = await runCommand<NodesResult>(AlfredNodes, ['--config', config, '--root', root, '--json']);
    expect(run.exitCode).toBe(5);
    expect(run.output.result?.problems).toEqual([
      'mesh mz: 02:00:00:00:00:66: JSON nested deeper than 64 levels',
    ]);
    const written = JSON.parse(readFileSync(path.join(root, 'srv/nodes.json'), 'utf8'));
    expect(written.nodes.map((n: { nodeinfo: { node_id: string } }) => n.nodeinfo.node_id)).toEqual([
      '020000000001',
      '020000000002',
    ]);
    const read = await runCommand<{ problems: string[] }>(AlfredRead, [
      '158',
      '--config',
      config,
      '--root',
      root,
      '--json',
    ]);
    expect(read.exitCode).toBe(0);
    expect(read.output.result?.problems).toEqual([
      'mesh mz: 02:00:00:00:00:66: JSON nested deeper than 64 levels',
    ]);
  });

  it('records inflating past the per-record limit are refused; nodes.json stays small', async () => {
    // Ten records of 4 MiB each: 40 KB of input, 40 MB of JSON.
    const huge = (i: number) =>
      gzipSync(JSON.stringify({ node_id: `0200000000${10 + i}`, pad: 'x'.repeat(4 * 1024 * 1024) }));
    const { root, config } = bedWith([
      alfredLine('02:00:00:00:00:01', nodeinfo('020000000001')),
      ...Array.from({ length: 10 }, (_, i) => alfredLine(`02:00:00:00:00:${10 + i}`, huge(i))),
    ]);
    const run = await runCommand<NodesResult>(AlfredNodes, ['--config', config, '--root', root, '--json']);
    expect(run.exitCode).toBe(5);
    expect(run.output.result?.problems).toHaveLength(10);
    expect(run.output.result?.problems[0]).toBe(
      'mesh mz: 02:00:00:00:00:10: gzip data decompresses to more than 256 KiB (alfred.limits.recordBytes)',
    );
    const text = readFileSync(path.join(root, 'srv/nodes.json'), 'utf8');
    expect(text.length).toBeLessThan(10_000);
    expect(JSON.parse(text).nodes).toHaveLength(1);
  });

  it('a nodes.json over its budget drops the oldest, then the biggest nodes, and reports them', async () => {
    const big = (id: string, kib: number) => nodeinfo(id, { pad: 'x'.repeat(kib * 1024) });
    const { root, config } = bedWith(
      [
        alfredLine('02:00:00:00:00:01', big('020000000001', 20)),
        alfredLine('02:00:00:00:00:02', big('020000000002', 60)),
        alfredLine('02:00:00:00:00:03', big('020000000003', 30)),
      ],
      [],
      { maxBytes: 100 * 1024 },
    );
    const run = await runCommand<NodesResult>(AlfredNodes, ['--config', config, '--root', root, '--json']);
    expect(run.exitCode).toBe(5);
    expect(run.output.result?.problems).toEqual([
      'node 020000000002 left out: nodes.json would exceed alfred.nodes.maxBytes (100 KiB)',
    ]);
    const written = JSON.parse(readFileSync(path.join(root, 'srv/nodes.json'), 'utf8'));
    expect(written.nodes.map((n: { nodeinfo: { node_id: string } }) => n.nodeinfo.node_id)).toEqual([
      '020000000001',
      '020000000003',
    ]);
  });
});
