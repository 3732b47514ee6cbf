import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FileStore, RootSandbox, UnavailableError } from '@ffphoton/core';
import { afterAll, describe, expect, it } from 'vitest';
import { summarizeStatus } from './fastd-status.js';
import { MalformedStatusError, parseStatus, StatusSocketReader } from './status-socket-reader.js';

const fixture = (name: string) => readFileSync(new URL(`../../test-data/${name}`, import.meta.url), 'utf8');
const dir = mkdtempSync(path.join(os.tmpdir(), 'photon-fastd-sock-'));
const servers: net.Server[] = [];

/** A unix socket that answers every connection with `answer` and closes (or stays silent). */
async function fakeSocket(name: string, answer: string | undefined): Promise<string> {
  const socket = path.join(dir, name);
  const server = net.createServer((c) => {
    if (answer !== undefined) c.end(answer);
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  servers.push(server);
  return socket;
}

const reader = new StatusSocketReader(new FileStore(new RootSandbox()), 1_000);

afterAll(() => {
  for (const server of servers) server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('fastd status parsing (real captures)', () => {
  it('counts connected peers by connection !== null and converts ms to s', () => {
    const summary = summarizeStatus(parseStatus(fixture('status-gw-tap.raw.json'), 'gw'));
    expect(summary).toEqual({
      uptimeSeconds: 15,
      peersKnown: 4,
      peersConnected: 3,
      rxBytes: 1618,
      txBytes: 1548,
    });
  });

  it('reads the peer-limit-1 capture as 1 of 4 connected', () => {
    const summary = summarizeStatus(parseStatus(fixture('status-gw-tap-peerlimit1.raw.json'), 'gw'));
    expect(summary.peersConnected).toBe(1);
    expect(summary.peersKnown).toBe(4);
  });

  it('parses the pretty-printed and the client captures alike', () => {
    expect(parseStatus(fixture('status-gw-tap.pretty.json'), 'gw')).toEqual(
      parseStatus(fixture('status-gw-tap.raw.json'), 'gw'),
    );
    expect(summarizeStatus(parseStatus(fixture('status-client-tap.raw.json'), 'c1')).peersKnown).toBe(1);
  });
});

describe('StatusSocketReader', () => {
  it('reads a document from a unix socket to EOF', async () => {
    const socket = await fakeSocket('ok.sock', fixture('status-gw-tap.raw.json'));
    expect(summarizeStatus(await reader.read(socket)).peersConnected).toBe(3);
  });

  it('names a missing socket as unavailable', async () => {
    const missing = path.join(dir, 'missing.sock');
    await expect(reader.read(missing)).rejects.toThrow(UnavailableError);
    await expect(reader.read(missing)).rejects.toThrow(/missing\.sock does not exist/);
  });

  it('rejects truncated output', async () => {
    const raw = fixture('status-gw-tap.raw.json');
    const socket = await fakeSocket('truncated.sock', raw.slice(0, raw.length / 2));
    await expect(reader.read(socket)).rejects.toThrow(MalformedStatusError);
    await expect(reader.read(socket)).rejects.toThrow(/truncated/);
  });

  it('rejects empty output and JSON of the wrong shape', async () => {
    await expect(reader.read(await fakeSocket('empty.sock', ''))).rejects.toThrow(/empty answer/);
    const wrong = await fakeSocket('wrong.sock', '{"uptime": "soon", "peers": {}}');
    await expect(reader.read(wrong)).rejects.toThrow(/at uptime/);
    const array = await fakeSocket('array.sock', '[1,2]');
    await expect(reader.read(array)).rejects.toThrow(MalformedStatusError);
  });

  it('times out on a socket that never answers', async () => {
    const socket = await fakeSocket('silent.sock', undefined);
    await expect(reader.read(socket)).rejects.toThrow(/no complete answer within 1000 ms/);
  });

  it('names a path that is no socket as refusing connections, and passes other errors on as they are', async () => {
    // Connecting to a file that is not a listening socket: ECONNREFUSED (a stale socket file).
    const stale = path.join(dir, 'stale.sock');
    writeFileSync(stale, '');
    const refused = await reader.read(stale).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnavailableError);
    expect((refused as Error).message).toBe(
      `fastd status socket ${stale} refuses connections (stale socket, fastd not running?)`,
    );
    expect((refused as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
    // Neither ENOENT nor ECONNREFUSED: the system's own words.
    const under = path.join(stale, 'x.sock');
    const other = await reader.read(under).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(UnavailableError);
    expect((other as Error).message).toBe(`fastd status socket ${under} connect ENOTDIR ${under}`);
    const missing = path.join(dir, 'missing.sock');
    expect(((await reader.read(missing).catch((e: unknown) => e)) as Error).message).toBe(
      `fastd status socket ${missing} does not exist (is fastd running with this "status socket"?)`,
    );
  });

  it('reads an answer that arrives in several pieces', async () => {
    const raw = fixture('status-gw-tap.raw.json');
    const socket = path.join(dir, 'slow.sock');
    const server = net.createServer((c) => {
      c.write(raw.slice(0, 100));
      setTimeout(() => c.end(raw.slice(100)), 20);
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    servers.push(server);
    expect(await reader.read(socket)).toEqual(parseStatus(raw, 'gw'));
  });

  it('reads a socket inside the --root sandbox', async () => {
    await fakeSocket('rooted.sock', fixture('status-gw-tap.raw.json'));
    const rooted = new StatusSocketReader(new FileStore(new RootSandbox(dir)), 1_000);
    expect(summarizeStatus(await rooted.read('/rooted.sock')).peersConnected).toBe(3);
  });
});

describe('parseStatus messages', () => {
  it('names an empty or blank answer, a cut one with its length, and the first wrong key', () => {
    // --json names the error by its code.
    expect(new MalformedStatusError('x').code).toBe('MALFORMED_STATUS');
    expect(() => parseStatus(' \n\t', 'gw')).toThrow(
      new MalformedStatusError('fastd status socket gw: empty answer'),
    );
    expect(() => parseStatus('{"uptime": 1', 'gw')).toThrow(
      /^fastd status socket gw: not valid JSON after 12 bytes \(truncated\?\): ./,
    );
    expect(() => parseStatus('[1,2]', 'gw')).toThrow(
      /^fastd status socket gw: unexpected document at \(top\): /,
    );
    expect(() => parseStatus('{"uptime": 5, "peers": {"k": {"name": null, "address": 7}}}', 'gw')).toThrow(
      /^fastd status socket gw: unexpected document at peers\.k\.address: /,
    );
  });
});
