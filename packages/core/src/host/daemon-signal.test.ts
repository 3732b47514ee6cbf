import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, UnavailableError } from '../errors/errors.js';
import { FileStore } from '../fs/file-store.js';
import { RootSandbox } from '../fs/root-sandbox.js';
import { Shell } from '../shell/shell.js';
import { DaemonSignal } from './daemon-signal.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** A real process (sleep) with its pid in <root>/run/daemon.pid. */
function daemon() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'photon-signal-'));
  mkdirSync(path.join(root, 'run'));
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  children.push(child);
  writeFileSync(path.join(root, 'run/daemon.pid'), `${child.pid}\n`);
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  const signals = (dryRun: boolean) =>
    new DaemonSignal(
      new FileStore(new RootSandbox(root), { dryRun }),
      new Shell({ dryRun, defaultTimeoutMs: 10_000 }),
    );
  return { root, child, exited, signals };
}

describe('DaemonSignal with the real kill', () => {
  it('sends any signal (TERM too) to the pid in the pidfile, inside --root', async () => {
    const { child, exited, signals } = daemon();
    const result = await signals(false).send('/run/daemon.pid', 'SIGTERM');
    expect(result).toEqual({ pidfile: '/run/daemon.pid', pid: child.pid, signal: 'SIGTERM', sent: true });
    expect(await exited).toBe('SIGTERM');
  });

  it('only logs in --dry-run', async () => {
    const { child, signals } = daemon();
    expect((await signals(true).send('/run/daemon.pid', 'SIGHUP')).sent).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(child.exitCode).toBeNull();
    expect(child.signalCode).toBeNull();
  });

  it('names a stale, missing or garbage pidfile instead of dying', async () => {
    const { root, child, exited, signals } = daemon();
    child.kill('SIGKILL');
    await exited;
    await expect(signals(false).send('/run/daemon.pid', 'SIGHUP')).rejects.toThrow(UnavailableError);
    await expect(signals(false).send('/run/daemon.pid', 'SIGHUP')).rejects.toThrow('stale pidfile');
    await expect(signals(false).send('/run/none.pid', 'SIGHUP')).rejects.toThrow('/run/none.pid: no pidfile');
    writeFileSync(path.join(root, 'run/daemon.pid'), '12ab\n');
    await expect(signals(false).send('/run/daemon.pid', 'SIGHUP')).rejects.toThrow(ConfigError);
    await expect(signals(false).send('/run/daemon.pid', 'SIGHUP')).rejects.toThrow(
      '/run/daemon.pid: not a process id: "12ab"',
    );
  });

  it('reads a pid with blanks around it; refuses 0, 1, signs, several numbers and junk (quoting 40 characters)', async () => {
    const { root, signals } = daemon();
    const pidOf = async (text: string) => {
      writeFileSync(path.join(root, 'run/x.pid'), text);
      return signals(true)
        .pid('/run/x.pid')
        .catch((error: Error) => error.message);
    };
    expect(await pidOf(' 42 \n')).toBe(42);
    expect(await pidOf('2')).toBe(2);
    const refused = [];
    for (const text of ['0', '1', '+5', '5 6', '', 'x'.repeat(50)]) refused.push(await pidOf(text));
    expect(refused).toEqual([
      '/run/x.pid: not a process id: "0"',
      '/run/x.pid: not a process id: "1"',
      '/run/x.pid: not a process id: "+5"',
      '/run/x.pid: not a process id: "5 6"',
      '/run/x.pid: not a process id: ""',
      `/run/x.pid: not a process id: "${'x'.repeat(40)}"`,
    ]);
  });

  it("with sudo the liveness check is left to kill: its failure is UnavailableError with kill's words", async () => {
    const { child, exited, signals } = daemon();
    child.kill('SIGKILL');
    await exited;
    const error = await signals(false)
      .send('/run/daemon.pid', 'SIGUSR1', { sudo: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toMatch(
      new RegExp(`^/run/daemon.pid: kill -SIGUSR1 ${child.pid} failed: \\S`),
    );
  });
});
