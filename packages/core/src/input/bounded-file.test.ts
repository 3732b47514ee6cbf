import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, ExitCode } from '../errors/errors.js';
import { errnoOf, readBoundedText, readBoundedTextIfExists } from './bounded-file.js';

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
});
