import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureStdout, isTerminal, writeStdout } from './stdio.js';

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
});
