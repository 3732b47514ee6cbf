import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, ExitCode } from '../errors/errors.js';
import {
  errnoOf,
  formatBytes,
  readBoundedFile,
  readBoundedText,
  readBoundedTextIfExists,
} from './bounded-file.js';

const dir = () => mkdtempSync(path.join(os.tmpdir(), 'photon-input-'));

function refusal(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('not refused');
}

describe('readBoundedFile', () => {
  it('reads a regular file within the cap', () => {
    const file = path.join(dir(), 'a.yaml');
    writeFileSync(file, 'a: 1\n');
    expect(readBoundedText(file, { maxBytes: 5 })).toBe('a: 1\n');
  });

  it('refuses a file over the cap, naming file and limit (exit 2)', () => {
    const file = path.join(dir(), 'big.yaml');
    writeFileSync(file, 'x'.repeat(2049));
    const error = refusal(() =>
      readBoundedText(file, { maxBytes: 2048, kind: 'settings file', file: 'big.yaml' }),
    );
    expect(error.message).toBe('big.yaml: settings file is larger than the limit of 2 KiB');
    expect(error.exitCode).toBe(ExitCode.Config);
  });

  it('refuses /dev/zero at once instead of reading forever', () => {
    const started = Date.now();
    expect(refusal(() => readBoundedText('/dev/zero', { maxBytes: 1024 })).message).toBe(
      '/dev/zero: not a regular file (a character device)',
    );
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('refuses a FIFO without writer at once instead of hanging', () => {
    const fifo = path.join(dir(), 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(refusal(() => readBoundedText(fifo, { maxBytes: 1024 })).message).toBe(
      `${fifo}: not a regular file (a FIFO)`,
    );
  });

  it('refuses a directory and a socket', async () => {
    const d = dir();
    mkdirSync(path.join(d, 'sub.yaml'));
    expect(refusal(() => readBoundedText(path.join(d, 'sub.yaml'), { maxBytes: 9 })).message).toMatch(
      /not a regular file \(a directory\)$/,
    );
    const sock = path.join(d, 's.yaml');
    const server = net.createServer().listen(sock);
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      expect(refusal(() => readBoundedText(sock, { maxBytes: 9 })).message).toMatch(
        /not a regular file \(a socket\)$/,
      );
    } finally {
      server.close();
    }
  });

  it('tells a missing file apart', () => {
    const missing = path.join(dir(), 'none.yaml');
    expect(readBoundedTextIfExists(missing, { maxBytes: 9 })).toBeUndefined();
    const error = refusal(() => readBoundedText(missing, { maxBytes: 9 }));
    expect(errnoOf(error)).toBe('ENOENT');
    expect(error.message).toBe(`${missing}: file not found`);
  });

  it('names any other open error by its code, and only a missing file counts as absent', () => {
    const d = dir();
    writeFileSync(path.join(d, 'plain'), 'x');
    const through = path.join(d, 'plain', 'below.yaml');
    const error = refusal(() => readBoundedTextIfExists(through, { maxBytes: 9 }));
    expect([error.message, errnoOf(error)]).toEqual([`${through}: cannot read (ENOTDIR)`, 'ENOTDIR']);
    mkdirSync(path.join(d, 'dir.yaml'));
    expect(refusal(() => readBoundedTextIfExists(path.join(d, 'dir.yaml'), { maxBytes: 9 })).message).toMatch(
      /\(a directory\)$/,
    );
    expect(errnoOf(new Error('x'))).toBeUndefined();
    expect(errnoOf(undefined)).toBeUndefined();
  });

  it('reads the bytes as they are; a file that holds more than its size said is refused past the cap', () => {
    const file = path.join(dir(), 'bytes');
    writeFileSync(file, Buffer.from([0xff, 0x00, 0x0a]));
    expect(readBoundedFile(file, { maxBytes: 3 })).toEqual(Buffer.from([0xff, 0x00, 0x0a]));
    expect(readBoundedFile(file, { maxBytes: 4 })).toEqual(Buffer.from([0xff, 0x00, 0x0a]));
    expect(refusal(() => readBoundedFile(file, { maxBytes: 2 })).message).toBe(
      `${file}: file is larger than the limit of 2 bytes`,
    );
    // A /proc file says it has 0 bytes and holds more: as a file that grew while it was read.
    expect(refusal(() => readBoundedFile('/proc/self/status', { maxBytes: 0, kind: 'status' })).message).toBe(
      '/proc/self/status: status is larger than the limit of 0 bytes',
    );
    const empty = path.join(dir(), 'empty');
    writeFileSync(empty, '');
    expect(readBoundedText(empty, { maxBytes: 0 })).toBe('');
  });

  it('formats limits in the largest whole unit', () => {
    expect(
      [0, 1023, 1024, 1536, 4096, 1024 * 1024, 3 * 1024 * 1024 + 1024, 5 * 1024 * 1024].map(formatBytes),
    ).toEqual(['0 bytes', '1023 bytes', '1 KiB', '1536 bytes', '4 KiB', '1 MiB', '3073 KiB', '5 MiB']);
  });

  // Block devices are root's to open; nothing is read from it.
  it.skipIf(process.getuid?.() !== 0 || !existsSync('/dev/loop0'))('refuses a block device', () => {
    expect(refusal(() => readBoundedText('/dev/loop0', { maxBytes: 9 })).message).toBe(
      '/dev/loop0: not a regular file (a block device)',
    );
  });
});
