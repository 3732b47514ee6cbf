import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusReportResult } from '../../services/status-report.js';
import { connectedPeers, type FastdNode, FastdTestbed, waitFor } from '../../test-helpers/fastd-testbed.js';
import { runCommand } from '../../test-helpers/run-command.js';
import FastdStatus from './status.js';

describe('photon fastd status (real fastd daemons)', () => {
  const bed = new FastdTestbed();
  let gw: FastdNode;
  let settings: string;

  beforeAll(async () => {
    gw = await bed.create('gw', ['include peers from "peers";', 'peer limit 10;']);
    const c1 = await bed.createClient('c1', gw);
    const c2 = await bed.createClient('c2', gw);
    bed.addPeer(gw, c1);
    bed.addPeer(gw, c2);
    const offline = await bed.create('off');
    bed.addPeer(gw, offline);
    await bed.start(gw);
    await bed.start(c1);
    await bed.start(c2);
    await waitFor('two clients connected', async () =>
      (await connectedPeers(gw.socket)).length === 2 ? true : undefined,
    );
    settings = bed.settings(gw, {
      instances: [
        bed.instance(gw),
        {
          name: 'down',
          interface: 'down0',
          configFile: gw.config,
          statusSocket: path.join(bed.dir, 'nope.sock'),
        },
      ],
    });
  });
  afterAll(() => bed.cleanup());

  it('reads the live socket: known and connected peers, uptime in seconds', async () => {
    const run = await runCommand<StatusReportResult>(FastdStatus, ['gw', '--config', settings, '--json']);
    expect(run.exitCode).toBe(0);
    const [gwStatus] = run.output.result!.instances;
    expect(gwStatus).toMatchObject({ instance: 'gw', peersKnown: 3, peersConnected: 2 });
    expect(gwStatus.uptimeSeconds).toBeLessThan(600);
    expect(gwStatus.status.interface).toBe(gw.interface);
  });

  it('prints a table without --json', async () => {
    const run = await runCommand<StatusReportResult>(FastdStatus, ['gw', '--config', settings]);
    expect(run.stdout).toMatch(/^instance\s+uptime s\s+known\s+connected/m);
    expect(run.stdout).toMatch(/^gw\s+\d+\s+3\s+2\s/m);
  });

  it('exits 5 when one of several sockets is missing, 69 when the only one is', async () => {
    const partial = await runCommand<StatusReportResult>(FastdStatus, ['--config', settings, '--json']);
    expect(partial.exitCode).toBe(5);
    expect(partial.output.result?.failed[0]).toMatchObject({ instance: 'down' });
    // Several names: every positional argument is an instance.
    const both = await runCommand<StatusReportResult>(FastdStatus, [
      'gw',
      'down',
      '--config',
      settings,
      '--json',
    ]);
    expect(both.exitCode).toBe(5);
    expect(both.output.result?.instances.map((i) => i.instance)).toEqual(['gw']);
    expect(both.output.result?.failed.map((f) => f.instance)).toEqual(['down']);
    const missing = await runCommand<StatusReportResult>(FastdStatus, [
      'down',
      '--config',
      settings,
      '--json',
    ]);
    expect(missing.exitCode).toBe(69);
    expect(missing.output.error?.message).toMatch(/nope\.sock does not exist/);
  });

  it('refuses an unknown instance name with exit 2', async () => {
    const run = await runCommand<StatusReportResult>(FastdStatus, ['nosuch', '--config', settings, '--json']);
    expect(run.exitCode).toBe(2);
  });
});
