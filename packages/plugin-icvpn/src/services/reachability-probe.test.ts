import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeUnreachable } from './reachability-probe.js';

/**
 * Three peers on one port: 127.0.0.2 answers, 127.0.0.3 refuses, and 127.0.0.1 never answers:
 * a listener with a backlog of 0 that accepts nothing, whose queue one connection fills, so
 * the kernel drops every further handshake (the way a filtered peer behaves).
 */
const ANSWERS = '127.0.0.2';
const REFUSES = '127.0.0.3';
const HANGS = '127.0.0.1';
let silent: ChildProcess;
let server: net.Server;
let filler: net.Socket;
let port: number;
beforeAll(async () => {
  silent = spawn(
    'python3',
    [
      '-c',
      'import socket,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(120)',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  port = await new Promise<number>((resolve) =>
    silent.stdout?.once('data', (d) => resolve(Number(String(d)))),
  );
  filler = net.connect(port, HANGS);
  await new Promise((resolve) => filler.once('connect', resolve));
  // Keeps every connection open: only the probe can close it.
  server = net.createServer();
  await new Promise<void>((resolve) => server.listen(port, ANSWERS, resolve));
});
afterAll(async () => {
  filler.destroy();
  silent.kill();
  await new Promise((resolve) => server.close(resolve));
});

/** The connections the answering peer still has open, once they settled (up to a second). */
async function openConnections(): Promise<number> {
  let count = -1;
  for (let i = 0; i < 20 && count !== 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    count = await new Promise<number>((resolve) => server.getConnections((_, n) => resolve(n)));
  }
  return count;
}

describe('probeUnreachable (mkbgp -P)', () => {
  it('returns the peers that refused or did not answer within the timeout, not the one that answered', async () => {
    const started = performance.now();
    const down = await probeUnreachable([REFUSES, ANSWERS, HANGS], 300, port);
    const elapsed = performance.now() - started;
    expect(down).toEqual(new Set([REFUSES, HANGS]));
    // The probe closed its connection again.
    expect(await openConnections()).toBe(0);
    // All at once, each bounded by the timeout.
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1_500);
  });

  it('peers that all answer quickly take no timeout', async () => {
    const started = performance.now();
    expect(await probeUnreachable([ANSWERS, ANSWERS], 5_000, port)).toEqual(new Set());
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('when no peer answers, none is marked (the probe says more about this host)', async () => {
    expect(await probeUnreachable([REFUSES, HANGS], 300, port)).toEqual(new Set());
    expect(await probeUnreachable([], 300, port)).toEqual(new Set());
  });
});
