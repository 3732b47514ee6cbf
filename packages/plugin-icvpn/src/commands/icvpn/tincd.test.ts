import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FileStore, GitService, gitSettings, RootSandbox, Shell } from '@ffphoton/core';
import { completeResult } from '@ffphoton/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IcvpnUpdate } from '../../services/icvpn-update.js';
import { CONNECTS_BEGIN } from '../../services/tinc-connects.js';
import { icvpnSettings } from '../../settings.js';

/**
 * The generated ConnectTo lines as the real tincd 1.0 reads them: tincd runs in the
 * foreground on loopback (DeviceType = dummy, no tun device), and its log must show a
 * connection attempt to exactly the selected metanodes, at the addresses of their host files.
 */
const tmp = mkdtempSync(path.join(os.tmpdir(), 'icvpn-tincd-'));
const SELF = 'photon_gw';
const daemons: ChildProcess[] = [];

/** A port nobody listens on (the kernel hands out a free one; we close it again). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Network {
  dir: string;
  peers: Record<string, { address: string; port: number }>;
}

/**
 * A synthetic icvpn checkout: metanodes with loopback host files, one without an Address,
 * one without a host file, and this gateway itself (which must not get a ConnectTo).
 */
async function network(name: string): Promise<Network> {
  const dir = path.join(tmp, name);
  mkdirSync(path.join(dir, 'hosts'), { recursive: true });
  const peers = {
    gw_a: { address: '127.0.0.1', port: await freePort() },
    gw_b: { address: '127.0.0.2', port: await freePort() },
  };
  writeFileSync(path.join(dir, 'metanodes'), `# metanodes\ngw_a\n${SELF}\ngw_c\ngw_d\ngw_b`);
  for (const [node, p] of Object.entries(peers))
    writeFileSync(path.join(dir, 'hosts', node), `Address = ${p.address}\nPort = ${p.port}\n`);
  writeFileSync(path.join(dir, 'hosts', 'gw_c'), '#Address = 127.0.0.3\nPort = 655\n');
  const port = await freePort();
  writeFileSync(
    path.join(dir, 'tinc.conf'),
    `Name = ${SELF}\nDeviceType = dummy\nAddressFamily = ipv4\nBindToAddress = 127.0.0.1\nPort = ${port}\n`,
  );
  writeFileSync(path.join(dir, 'hosts', SELF), `Address = 127.0.0.1\nPort = ${port}\n`);
  // tincd -K writes rsa_key.priv and appends the public key to hosts/<Name>.
  execFileSync('tincd', ['-c', dir, '-K', '1024'], { stdio: 'ignore' });
  return { dir, peers };
}

async function generate(net: Network, mode: 'file' | 'markers', target: string) {
  const settings = icvpnSettings.schema.parse({
    tinc: { dir: net.dir },
    pull: false,
    nodeName: SELF,
    outputs: [{ kind: 'tinc', mode, target, reload: false }],
  });
  const files = new FileStore(new RootSandbox(), { dryRun: false });
  const update = new IcvpnUpdate(
    new Shell({ dryRun: false, defaultTimeoutMs: 60_000 }),
    files,
    new GitService(gitSettings.schema.parse({}), files, SELF),
  );
  return completeResult(await update.run(settings, { outputs: settings.outputs }));
}

/** Starts tincd in the foreground and waits until every expected attempt is in its log. */
async function tincdLog(net: Network, expected: string[]): Promise<string> {
  const log = path.join(net.dir, 'tincd.log');
  const daemon = spawn(
    'tincd',
    ['-c', net.dir, '-D', '-d', '2', '--pidfile', path.join(net.dir, 'tincd.pid'), '--logfile', log],
    { stdio: 'ignore' },
  );
  daemons.push(daemon);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
    if (expected.every((line) => text.includes(line))) return text;
    if (daemon.exitCode !== null || Date.now() > deadline)
      throw new Error(`tincd (exit ${daemon.exitCode}) did not log ${JSON.stringify(expected)}:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stop(daemon: ChildProcess): Promise<void> {
  if (daemon.exitCode !== null || daemon.signalCode !== null) return;
  const exited = new Promise((resolve) => daemon.once('exit', resolve));
  daemon.kill('SIGTERM');
  const timer = setTimeout(() => daemon.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

let nets: Network[];
beforeAll(async () => {
  nets = [await network('conf-d'), await network('markers')];
}, 60_000);
afterAll(async () => {
  await Promise.all(daemons.map(stop));
  rmSync(tmp, { recursive: true, force: true });
});

const attempt = (net: Network, node: 'gw_a' | 'gw_b') =>
  `Trying to connect to ${node} (${net.peers[node].address} port ${net.peers[node].port})`;

describe('generated ConnectTo lines in a real tincd 1.0', () => {
  it('conf.d/connects.conf: tincd connects to exactly the metanodes with an Address, not to itself', async () => {
    const [net] = nets;
    const target = path.join(net.dir, 'conf.d', 'connects.conf');
    const result = await generate(net, 'file', target);
    expect(result.outputs).toEqual([expect.objectContaining({ kind: 'tinc', entries: 2, changed: true })]);
    expect(readFileSync(target, 'utf8')).toBe('ConnectTo = gw_a\nConnectTo = gw_b\n');

    const log = await tincdLog(net, [attempt(net, 'gw_a'), attempt(net, 'gw_b')]);
    expect(log).toMatch(/Ready/);
    expect(log).not.toMatch(/Trying to connect to (gw_c|gw_d|photon_gw)/);
    expect(log).not.toMatch(/Error while reading|Invalid|Unknown|No address/i);
  }, 60_000);

  it('markers in tinc.conf: the block is read as part of tinc.conf', async () => {
    const [, net] = nets;
    const target = path.join(net.dir, 'tinc.conf');
    await generate(net, 'markers', target);
    expect(readFileSync(target, 'utf8')).toContain(`${CONNECTS_BEGIN}\nConnectTo = gw_a\nConnectTo = gw_b\n`);

    const log = await tincdLog(net, [attempt(net, 'gw_a'), attempt(net, 'gw_b')]);
    expect(log).not.toMatch(/Trying to connect to (gw_c|gw_d|photon_gw)/);
  }, 60_000);
});
