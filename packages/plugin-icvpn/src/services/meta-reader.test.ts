import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStore, RootSandbox } from '@ffphoton/core';
import { afterAll, describe, expect, it } from 'vitest';
import { MetaReader, type RawCommunity } from './meta-reader.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'icvpn-meta-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('MetaReader directory handling', () => {
  it('reads regular files in code point order; skips dot-files, README*, directories; refuses symlinks (even to a community) and FIFOs', async () => {
    const community = (asn: number) => `asn: ${asn}\n`;
    writeFileSync(path.join(dir, 'bravo'), community(2));
    writeFileSync(path.join(dir, 'Alpha'), community(1));
    writeFileSync(path.join(dir, '.hidden'), community(9));
    writeFileSync(path.join(dir, 'README.md'), '# not a community\n');
    mkdirSync(path.join(dir, 'subdir'));
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    // A committed link could point anywhere outside the clone (here: at a community, still refused).
    symlinkSync(path.join(dir, 'bravo'), path.join(dir, 'charlie'));
    symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'));
    writeFileSync(path.join(dir, 'big'), `asn: 3\n#${'x'.repeat(200)}\n`);

    const files: RawCommunity[] = [];
    const problems = await new MetaReader(new FileStore(new RootSandbox(), { dryRun: true }), 100).read(
      dir,
      (file) => files.push(file),
    );
    expect(files.map((f) => [f.name, (f.data as Map<string, unknown>).get('asn')])).toEqual([
      ['Alpha', 1],
      ['bravo', 2],
    ]);
    const refused = (community: string, message: string | RegExp) =>
      expect.objectContaining({ community, key: '(file)', message, leftOut: ['bgp', 'roa', 'dns'] });
    expect(problems).toEqual([
      refused('big', expect.stringMatching(/^file is 209 bytes, more than the limit of 100/)),
      refused('charlie', 'is a symbolic link'),
      refused('dangling', 'is a symbolic link'),
      refused('fifo', 'is not a regular file'),
    ]);
  });
});
