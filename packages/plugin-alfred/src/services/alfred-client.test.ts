import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommandFailedError, FileStore, RootSandbox, Shell, UnavailableError } from '@ffphoton/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeAlfred, touchSocket } from '../test-helpers/fake-alfred.js';
import { AlfredClient, AlfredType } from './alfred-client.js';

describe('alfred client', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A client over a fresh --root with /run/mz.sock, running `command` (default: the fake). */
  function setup({
    dryRun = false,
    timeoutMs = 10_000,
    command,
  }: {
    dryRun?: boolean;
    timeoutMs?: number;
    command?: string[];
  } = {}) {
    const root = mkdtempSync(path.join(os.tmpdir(), 'alfred-client-'));
    dirs.push(root);
    touchSocket(root, '/run/mz.sock');
    const fake = new FakeAlfred(path.join(root, 'fake'));
    // A long default: a client that dropped its own timeout would wait for the fake's delay.
    const shell = new Shell({ dryRun, defaultTimeoutMs: 60_000 });
    const files = new FileStore(new RootSandbox(root), { dryRun });
    const client = new AlfredClient(shell, files, command ?? fake.command, timeoutMs);
    return { root, fake, client, socket: path.join(root, 'run/mz.sock') };
  }

  it('uses the data types of ffnord-alfred-announce and gluon-alfred', () => {
    expect(AlfredType).toEqual({ nodeinfo: 158, statistics: 159, neighbours: 160 });
  });

  it('reads the raw bytes alfred prints, through the sandboxed socket path', async () => {
    const { fake, client, socket } = setup();
    const bytes = Buffer.from([0x7b, 0x20, 0xff, 0x00, 0x80, 0x0a]);
    fake.serve('/run/mz.sock', 158, bytes);
    expect(await client.read('/run/mz.sock', 158)).toEqual(bytes);
    expect(await client.read('/run/mz.sock', 159)).toEqual(Buffer.alloc(0));
    expect(fake.calls()).toEqual([`-u ${socket} -r 158`, `-u ${socket} -r 159`]);
  });

  it('pushes the record on stdin, and nothing in a dry run', async () => {
    const live = setup();
    const data = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff]);
    await live.client.push('/run/mz.sock', 159, data);
    expect(live.fake.pushed('/run/mz.sock', 159)).toEqual(data);
    expect(live.fake.calls()).toEqual([`-u ${live.socket} -s 159`]);

    const dry = setup({ dryRun: true });
    await dry.client.push('/run/mz.sock', 159, data);
    expect(dry.fake.calls()).toEqual([]);
    expect(dry.fake.pushed('/run/mz.sock', 159)).toBeUndefined();
  });

  it('a missing socket is unavailable and runs nothing', async () => {
    const { fake, client } = setup();
    const message = 'alfred socket /run/wi.sock does not exist (is alfred running?)';
    await expect(client.read('/run/wi.sock', 158)).rejects.toThrow(new UnavailableError(message));
    await expect(client.push('/run/wi.sock', 158, Buffer.from('x'))).rejects.toThrow(
      new UnavailableError(message),
    );
    expect(fake.calls()).toEqual([]);
  });

  it('the real alfred on a socket nobody listens on: unavailable, with its message', async () => {
    const { client } = setup({ command: ['alfred'] });
    const refused = "alfred at /run/mz.sock: can't connect to unix socket: Connection refused";
    const read = await client.read('/run/mz.sock', 158).catch((e: unknown) => e);
    expect(read).toBeInstanceOf(UnavailableError);
    expect((read as Error).message).toBe(refused);
    const push = await client.push('/run/mz.sock', 158, Buffer.from('x')).catch((e: unknown) => e);
    expect(push).toBeInstanceOf(UnavailableError);
    expect((push as Error).message).toBe(refused);
  });

  it('tells "no alfred" (exit 255, cannot connect, no primary) from other failures', async () => {
    const { fake, client } = setup();
    const outcome = async (code: number, stderr: string) => {
      fake.fail('/run/mz.sock', 158, code, stderr);
      const error = await client.read('/run/mz.sock', 158).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      return error && { type: error.constructor.name, message: error.message };
    };
    expect(await outcome(255, '')).toEqual({
      type: 'UnavailableError',
      message: 'alfred at /run/mz.sock: exit 255',
    });
    expect(await outcome(1, "  Can't Connect to unix socket  \n")).toEqual({
      type: 'UnavailableError',
      message: "alfred at /run/mz.sock: Can't Connect to unix socket",
    });
    expect(await outcome(1, 'Request failed: no primary\n')).toEqual({
      type: 'UnavailableError',
      message: 'alfred at /run/mz.sock: Request failed: no primary',
    });
    expect(await outcome(1, 'bad data type argument\n')).toMatchObject({ type: 'CommandFailedError' });
    expect(await outcome(254, '')).toMatchObject({ type: 'CommandFailedError' });
    fake.fail('/run/mz.sock', 158, 0);
    expect(await client.read('/run/mz.sock', 158)).toEqual(Buffer.alloc(0));
  });

  it('a push that fails otherwise is a failed command', async () => {
    const { fake, client } = setup();
    fake.fail('/run/mz.sock', 160, 3, 'out of memory\n');
    await expect(client.push('/run/mz.sock', 160, Buffer.from('x'))).rejects.toBeInstanceOf(
      CommandFailedError,
    );
    fake.fail('/run/mz.sock', 160, 1, 'Request failed\n');
    await expect(client.push('/run/mz.sock', 160, Buffer.from('x'))).rejects.toBeInstanceOf(UnavailableError);
  });

  it('gives up after its own timeout', async () => {
    const { fake, client } = setup({ timeoutMs: 300 });
    fake.serve('/run/mz.sock', 158, 'late');
    fake.delay(3);
    const started = Date.now();
    await expect(client.read('/run/mz.sock', 158)).rejects.toBeInstanceOf(CommandFailedError);
    await expect(client.push('/run/mz.sock', 158, Buffer.from('x'))).rejects.toBeInstanceOf(
      CommandFailedError,
    );
    expect(Date.now() - started).toBeLessThan(2_500);
  });
});
