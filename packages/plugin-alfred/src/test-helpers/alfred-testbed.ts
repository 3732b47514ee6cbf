import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitFor as waitUntil } from '@ffphoton/core/testing';

export function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 90_000,
) {
  return waitUntil(what, probe, { timeoutMs });
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

export interface AlfredSide {
  netns: string;
  iface: string;
  mac: string;
  /** Socket path as a task path (inside `root`). */
  socket: string;
}

/**
 * Two network namespaces joined by a veth pair, with a primary alfred in A and a secondary
 * in B (`alfred [-m] -i IFACE -b none -u SOCK`). Sockets live inside `root`, the `--root`
 * sandbox of the tests; the alfred client reaches them from any namespace.
 */
export class AlfredTestbed {
  readonly root = mkdtempSync(path.join(os.tmpdir(), 'photon-alfred-'));
  private readonly id = `${process.pid.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  readonly a: AlfredSide = {
    netns: `phalfA${this.id}`,
    iface: `pa${this.id}`.slice(0, 15),
    mac: '02:ca:fe:00:00:0a',
    socket: '/run/alfred-a.sock',
  };
  readonly b: AlfredSide = {
    netns: `phalfB${this.id}`,
    iface: `pb${this.id}`.slice(0, 15),
    mac: '02:ca:fe:00:00:0b',
    socket: '/run/alfred-b.sock',
  };
  private readonly daemons: ChildProcess[] = [];

  host(p: string): string {
    return path.join(this.root, p);
  }

  async start(): Promise<void> {
    mkdirSync(this.host('/run'), { recursive: true });
    ip('netns', 'add', this.a.netns);
    ip('netns', 'add', this.b.netns);
    ip('link', 'add', this.a.iface, 'type', 'veth', 'peer', 'name', this.b.iface);
    for (const side of [this.a, this.b]) {
      ip('link', 'set', side.iface, 'netns', side.netns);
      ip('-n', side.netns, 'link', 'set', side.iface, 'address', side.mac);
      ip('-n', side.netns, 'link', 'set', 'lo', 'up');
      ip('-n', side.netns, 'link', 'set', side.iface, 'up');
    }
    // alfred binds the link-local address: wait until DAD is done (no "tentative" left).
    for (const side of [this.a, this.b]) {
      await waitFor(`link-local address on ${side.iface}`, () => {
        const out = execFileSync('ip', ['-n', side.netns, '-6', 'addr', 'show', 'dev', side.iface], {
          encoding: 'utf8',
        });
        return /inet6 fe80::\S+ scope link/.test(out) && !out.includes('tentative') ? true : undefined;
      });
    }
    this.spawnAlfred(this.a, true);
    this.spawnAlfred(this.b, false);
    for (const side of [this.a, this.b])
      await waitFor(`alfred socket ${side.socket}`, () => existsSync(this.host(side.socket)) || undefined);
  }

  /** Pushes raw bytes as `side`'s record of `type` with the plain alfred client. */
  push(side: AlfredSide, type: number, data: Buffer): void {
    execFileSync('alfred', ['-u', this.host(side.socket), '-s', String(type)], { input: data });
  }

  private spawnAlfred(side: AlfredSide, primary: boolean): void {
    const args = [
      'netns',
      'exec',
      side.netns,
      'alfred',
      ...(primary ? ['-m'] : []),
      '-i',
      side.iface,
      '-b',
      'none',
      '-u',
      this.host(side.socket),
    ];
    const child = spawn('ip', args, { stdio: 'ignore' });
    this.daemons.push(child);
  }

  async cleanup(): Promise<void> {
    for (const child of this.daemons) child.kill('SIGTERM');
    await Promise.all(
      this.daemons.map((child) =>
        child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined,
      ),
    );
    for (const side of [this.a, this.b]) {
      try {
        ip('netns', 'del', side.netns);
      } catch {
        // never created
      }
    }
    rmSync(this.root, { recursive: true, force: true });
  }
}
