import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { waitFor as waitUntil, writeSettings } from '@ffphoton/core/testing';
import { BED_PREFIX, killProcessesIn, markOwner } from './fastd-reaper.js';

export interface KeyPair {
  secret: string;
  public: string;
}

export interface FastdNode {
  name: string;
  dir: string;
  config: string;
  socket: string;
  port: number;
  keys: KeyPair;
  interface: string;
}

export function generateKey(): KeyPair {
  // fastd says "Reading 32 bytes from /dev/random" on stderr: noise in a test run.
  const out = execFileSync('fastd', ['--generate-key'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const secret = /Secret: ([0-9a-f]{64})/.exec(out)?.[1];
  const pub = /Public: ([0-9a-f]{64})/.exec(out)?.[1];
  if (!secret || !pub) throw new Error(`unexpected fastd --generate-key output: ${out}`);
  return { secret, public: pub };
}

async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 40_000,
) {
  return waitUntil(what, probe, { timeoutMs });
}

/** Reads a status socket directly (independent of the code under test). */
export function rawStatus(socket: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    const s = net.createConnection(socket);
    s.on('data', (chunk) => {
      data += chunk;
    });
    s.on('end', () => resolve(data));
    s.on('error', reject);
  });
}

export async function connectedPeers(socket: string): Promise<string[]> {
  const doc = JSON.parse(await rawStatus(socket)) as { peers: Record<string, { connection: unknown }> };
  return Object.entries(doc.peers)
    .filter(([, peer]) => peer.connection !== null)
    .map(([key]) => key);
}

/**
 * Real fastd daemons (TAP mode, null method, loopback UDP) in a private temp dir, plus
 * the restart/signal scripts photon's settings point at: `{unit}` is the node's name.
 */
export class FastdTestbed {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), BED_PREFIX));
  private readonly tag = randomBytes(2).toString('hex');
  private readonly nodes = new Map<string, FastdNode>();

  constructor() {
    // The global teardown kills this bed's daemons even when afterAll never runs.
    markOwner(this.dir);
    writeFileSync(
      path.join(this.dir, 'restart.sh'),
      [
        '#!/bin/sh',
        'set -e',
        `d="${this.dir}/$1"`,
        'pid=$(cat "$d/fastd.pid")',
        'kill "$pid"',
        'while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done',
        `echo "$1" >> "${path.join(this.dir, 'restarts.log')}"`,
        'exec fastd -c "$d/fastd.conf" --daemon --pid-file "$d/fastd.pid" </dev/null >/dev/null 2>&1',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    writeFileSync(
      path.join(this.dir, 'signal.sh'),
      [
        '#!/bin/sh',
        `echo "$1 $2" >> "${this.dir}/signals.log"`,
        `kill -"$2" "$(cat "${this.dir}/$1/fastd.pid")"`,
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
  }

  get restartCommand(): string[] {
    return ['sh', path.join(this.dir, 'restart.sh'), '{unit}'];
  }

  get signalCommand(): string[] {
    return ['sh', path.join(this.dir, 'signal.sh'), '{unit}', '{signal}'];
  }

  log(name: 'restarts' | 'signals'): string[] {
    const file = path.join(this.dir, `${name}.log`);
    return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
  }

  /** Creates a node's directory and config (not started). `extra` lines go into fastd.conf. */
  async create(name: string, extra: string[] = []): Promise<FastdNode> {
    const dir = path.join(this.dir, name);
    mkdirSync(path.join(dir, 'peers'), { recursive: true });
    const node: FastdNode = {
      name,
      dir,
      config: path.join(dir, 'fastd.conf'),
      socket: path.join(dir, 'status.sock'),
      port: await freeUdpPort(),
      keys: generateKey(),
      interface: `pf${this.tag}${name}`.slice(0, 15),
    };
    writeFileSync(
      node.config,
      [
        'log level warn;',
        `interface "${node.interface}";`,
        'mode tap;',
        'method "null";',
        `bind 127.0.0.1:${node.port};`,
        `secret "${node.keys.secret}";`,
        `status socket "${node.socket}";`,
        ...extra,
        '',
      ].join('\n'),
    );
    this.nodes.set(name, node);
    return node;
  }

  /** A client that knows `gateway` as its only peer. */
  async createClient(name: string, gateway: FastdNode): Promise<FastdNode> {
    return this.create(name, [
      `peer "gw" { key "${gateway.keys.public}"; remote 127.0.0.1:${gateway.port}; }`,
    ]);
  }

  /** The settings of a fastd instance named after `node` that runs it, plus `extra` keys. */
  instance(node: FastdNode, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      name: node.name,
      interface: node.interface,
      configFile: node.config,
      statusSocket: node.socket,
      ...extra,
    };
  }

  /**
   * Writes a settings file (host gw1, data dir in the bed) whose only fastd instance runs `node`;
   * `fastd` adds (or, like `instances`, replaces) keys of the fastd section. Returns its path.
   */
  settings(
    node: FastdNode,
    fastd: Record<string, unknown> = {},
    instance: Record<string, unknown> = {},
  ): string {
    return writeSettings(this.dir, {
      photon: { hostname: 'gw1', dataDir: path.join(this.dir, 'data') },
      fastd: { instances: [this.instance(node, instance)], ...fastd },
    });
  }

  /** Writes a peer key file for `peer` into `node`'s peers directory. */
  addPeer(node: FastdNode, peer: FastdNode): void {
    writeFileSync(path.join(node.dir, 'peers', peer.name), `key "${peer.keys.public}";\n`);
  }

  async start(node: FastdNode): Promise<void> {
    // stdio must not be a pipe: the daemonised fastd keeps it open and execFileSync would wait forever.
    execFileSync('fastd', ['-c', node.config, '--daemon', '--pid-file', path.join(node.dir, 'fastd.pid')], {
      stdio: 'ignore',
    });
    await waitFor(
      `${node.name} status socket`,
      async () => (await rawStatus(node.socket).catch(() => undefined)) && true,
    );
  }

  /** Ends every process started from this bed (daemons, restart scripts), SIGKILL after a grace, and removes it. */
  async cleanup(): Promise<void> {
    await killProcessesIn(this.dir);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
