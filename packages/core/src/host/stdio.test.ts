import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureStdout, isTerminal, writeFully, writeStdout } from './stdio.js';

describe('stdio without streams', () => {
  afterEach(() => captureStdout(undefined));

  it('a file, /dev/null or a closed descriptor is no terminal', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'photon-stdio-'));
    const file = openSync(path.join(dir, 'out'), 'w');
    const devNull = openSync('/dev/null', 'w');
    try {
      expect(isTerminal(file)).toBe(false);
      // A character device, so the tty module answers.
      expect(isTerminal(devNull)).toBe(false);
    } finally {
      closeSync(file);
      closeSync(devNull);
      rmSync(dir, { recursive: true, force: true });
    }
    expect(isTerminal(file)).toBe(false);
  });

  it('captured output goes to the sink, in order, until released', () => {
    const seen: string[] = [];
    captureStdout((text) => seen.push(text));
    writeStdout('one\n');
    writeStdout('two\n');
    captureStdout(undefined);
    expect(seen).toEqual(['one\n', 'two\n']);
  });

  describe('writeFully', () => {
    const scratch = () => mkdtempSync(path.join(os.tmpdir(), 'photon-stdio-'));
    /** 1 MiB of varied bytes: more than a pipe holds, so a non-blocking writer meets EAGAIN. */
    const payload = Buffer.from(Array.from({ length: 1 << 20 }, (_, i) => (i * 7 + (i >> 8)) & 0xff));

    it('writes every byte to a file', () => {
      const dir = scratch();
      const file = path.join(dir, 'out');
      const fd = openSync(file, 'w');
      writeFully(fd, payload);
      closeSync(fd);
      expect(readFileSync(file).equals(payload)).toBe(true);
      rmSync(dir, { recursive: true, force: true });
    });

    it('waits out a full non-blocking pipe until a slow reader has taken everything', async () => {
      const dir = scratch();
      const fifo = path.join(dir, 'fifo');
      const out = path.join(dir, 'out');
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      // Read-write keeps the open from blocking; the reader starts only after the pipe filled.
      const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
      const reader = spawn('sh', ['-c', 'sleep 0.3; exec cat "$1" > "$2"', 'sh', fifo, out]);
      const done = new Promise((resolve) => reader.on('exit', resolve));
      writeFully(fd, payload);
      closeSync(fd);
      await done;
      expect(readFileSync(out).equals(payload)).toBe(true);
      rmSync(dir, { recursive: true, force: true });
    });

    it('ends quietly when the reader went away (EPIPE), and throws any other error', () => {
      const dir = scratch();
      const fifo = path.join(dir, 'fifo');
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      const readEnd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
      const writeEnd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      closeSync(readEnd);
      expect(() => writeFully(writeEnd, payload)).not.toThrow();
      closeSync(writeEnd);
      const readOnly = openSync(path.join(dir, 'fifo'), constants.O_RDONLY | constants.O_NONBLOCK);
      expect(() => writeFully(readOnly, Buffer.from('x'))).toThrow(
        expect.objectContaining({ code: 'EBADF' }),
      );
      closeSync(readOnly);
      rmSync(dir, { recursive: true, force: true });
    });
  });
});
