import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ExitCode, exitCodeOf, FileStore, partial, RootSandbox, UnavailableError } from '@ffphoton/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastdInstance } from '../settings.js';
import { StatusReport } from './status-report.js';
import { parseStatus, StatusSocketReader } from './status-socket-reader.js';

const capture = readFileSync(new URL('../../test-data/status-gw-tap.raw.json', import.meta.url), 'utf8');
const dir = mkdtempSync(path.join(os.tmpdir(), 'photon-fastd-report-'));
const servers: net.Server[] = [];
const instance = (name: string, socket: string): FastdInstance => ({
  name,
  interface: `${name}VPN`,
  configFile: `/etc/fastd/${name}/fastd.conf`,
  statusSocket: path.join(dir, socket),
});
const up = instance('mz', 'up.sock');
const down = instance('wi', 'down.sock');
const gone = instance('bi', 'gone.sock');
const report = new StatusReport(new StatusSocketReader(new FileStore(new RootSandbox()), 1_000));
const missing = (socket: string) =>
  `fastd status socket ${socket} does not exist (is fastd running with this "status socket"?)`;

beforeAll(async () => {
  const server = net.createServer((c) => c.end(capture));
  await new Promise<void>((resolve) => server.listen(up.statusSocket, resolve));
  servers.push(server);
});
afterAll(() => {
  for (const server of servers) server.close();
  rmSync(dir, { recursive: true, force: true });
});

const upStatus = {
  instance: 'mz',
  socket: up.statusSocket,
  uptimeSeconds: 15,
  peersKnown: 4,
  peersConnected: 3,
  rxBytes: 1618,
  txBytes: 1548,
  status: parseStatus(capture, 'capture'),
};

describe('StatusReport on real unix sockets', () => {
  it('collects every readable instance with its summary and the whole status', async () => {
    expect(await report.collect([up])).toEqual({ instances: [upStatus], failed: [] });
  });

  it('reports the unreadable ones beside the readable ones (exit 5)', async () => {
    expect(await report.collect([down, up])).toEqual(
      partial(
        {
          instances: [upStatus],
          failed: [{ instance: 'wi', socket: down.statusSocket, error: missing(down.statusSocket) }],
        },
        [`wi: ${missing(down.statusSocket)}`],
        '1 fastd status socket(s) unreadable',
      ),
    );
  });

  it('throws the one reason when the only instance fails', async () => {
    const error = await report.collect([down]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toBe(missing(down.statusSocket));
  });

  it('throws one unavailable error naming each when several fail and none is read (exit 69)', async () => {
    const error = await report.collect([down, gone]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(exitCodeOf(error)).toBe(ExitCode.Unavailable);
    expect((error as Error).message).toBe(
      `no fastd status could be read: wi: ${missing(down.statusSocket)}; bi: ${missing(gone.statusSocket)}`,
    );
  });

  it('read() never throws: statuses, failures and the reasons in order', async () => {
    const { result, reasons } = await report.read([down, up, gone]);
    expect(result).toEqual({
      instances: [upStatus],
      failed: [
        { instance: 'wi', socket: down.statusSocket, error: missing(down.statusSocket) },
        { instance: 'bi', socket: gone.statusSocket, error: missing(gone.statusSocket) },
      ],
    });
    expect(reasons.map((reason) => (reason as Error).message)).toEqual([
      missing(down.statusSocket),
      missing(gone.statusSocket),
    ]);
    expect(reasons.every((reason) => reason instanceof UnavailableError)).toBe(true);
  });
});
