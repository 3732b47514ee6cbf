import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { FileStore, RootSandbox, Settings, statusSectionSchema, type TaskContext } from '@ffphoton/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectedPeers, type FastdNode, FastdTestbed, waitFor } from '../test-helpers/fastd-testbed.js';
import status from './status.js';

describe('photon:status hook (real fastd)', () => {
  const bed = new FastdTestbed();
  let gw: FastdNode;
  /** The parts of a TaskContext the hook uses. */
  const context = (raw: Record<string, unknown>) =>
    ({
      settings: new Settings(raw, []),
      files: new FileStore(new RootSandbox(), { dryRun: false }),
    }) as unknown as TaskContext;
  const instance = (name: string, socket: string) => ({
    name,
    interface: `${name}VPN`,
    configFile: gw.config,
    statusSocket: socket,
  });

  beforeAll(async () => {
    gw = await bed.create('gw', ['include peers from "peers";', 'peer limit 10;']);
    const c1 = await bed.createClient('c1', gw);
    bed.addPeer(gw, c1);
    bed.addPeer(gw, await bed.create('off'));
    await bed.start(gw);
    await bed.start(c1);
    await waitFor('c1 connected', async () =>
      (await connectedPeers(gw.socket)).length === 1 ? true : undefined,
    );
  });
  afterAll(() => bed.cleanup());

  it('reports nothing where fastd is not configured', async () => {
    expect(await status({ ctx: context({ web: {} }) })).toBeUndefined();
    expect(await status({ ctx: context({ fastd: { instances: [] } }) })).toBeUndefined();
  });

  it('shows each live instance with its limit; a dead socket fails the section, a full instance warns', async () => {
    const state = path.join(bed.dir, 'verify.json');
    writeFileSync(
      state,
      JSON.stringify({
        version: 1,
        updated: new Date().toISOString(),
        instances: { mz: { interface: 'mzVPN', keys: [], limit: 1, connected: 1 } },
      }),
    );
    const live = await status({
      ctx: context({ fastd: { instances: [instance('mz', gw.socket)], verifyStateFile: state } }),
    });
    const section = statusSectionSchema.parse(live);
    expect(section).toMatchObject({
      id: 'fastd',
      state: 'warning',
      summary: '1 instance(s), 1 peer(s) connected',
    });
    expect(section.rows[0]).toMatchObject({ label: 'mz', state: 'warning' });
    expect(section.rows[0].value).toMatch(/^1 of 2 peer\(s\) connected, limit 1 \(full\), up \d+ s$/);
    // The same numbers for Prometheus (photon.metrics.textfileDir).
    expect(section.gauges).toEqual([
      { name: 'photon_fastd_peers', help: 'Connected fastd peers', labels: { instance: 'mz' }, value: 1 },
      { name: 'photon_fastd_peers_known', help: 'Known fastd peers', labels: { instance: 'mz' }, value: 2 },
      {
        name: 'photon_fastd_peer_limit',
        help: 'The fastd peer limit photon set',
        labels: { instance: 'mz' },
        value: 1,
      },
    ]);

    const mixed = statusSectionSchema.parse(
      await status({
        ctx: context({
          fastd: {
            instances: [instance('wi', gw.socket), instance('gone', path.join(bed.dir, 'gone.sock'))],
            verifyStateFile: state,
          },
        }),
      }),
    );
    expect(mixed.state).toBe('failed');
    expect(mixed.rows.map((r) => [r.label, r.state])).toEqual([
      ['wi', 'ok'],
      ['gone', 'failed'],
    ]);
    expect(mixed.rows[0].value).toMatch(/^1 of 2 peer\(s\) connected, up \d+ s$/);
    expect(mixed.rows[1].value).toMatch(/gone\.sock does not exist/);
  });
});
