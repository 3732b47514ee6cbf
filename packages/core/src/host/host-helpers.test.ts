import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProgram } from './find-program.js';
import { shortHostname } from './hostname.js';

describe('host helpers', () => {
  it('the short host name is the part before the first dot', () => {
    expect(['gw01.ffmz.org', 'gw01', '.x', ''].map((name) => shortHostname(name))).toEqual([
      'gw01',
      'gw01',
      '',
      '',
    ]);
    expect(shortHostname()).toBe(os.hostname().split('.')[0]);
  });

  it('finds an executable on PATH first, then in the sbin directories; a path is taken as it is', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'photon-find-'));
    for (const sub of ['a', 'b']) mkdirSync(path.join(dir, sub));
    writeFileSync(path.join(dir, 'a', 'tool'), '#!/bin/sh\n');
    writeFileSync(path.join(dir, 'b', 'tool'), '#!/bin/sh\n');
    chmodSync(path.join(dir, 'b', 'tool'), 0o755);
    writeFileSync(path.join(dir, 'a', 'first'), '#!/bin/sh\n');
    chmodSync(path.join(dir, 'a', 'first'), 0o755);
    const env = { PATH: `${dir}/a::${dir}/b` };
    // Root may read anything, but executing needs an x bit: a/tool is skipped.
    expect(await findProgram('tool', env)).toBe(path.join(dir, 'b', 'tool'));
    expect(await findProgram('first', env)).toBe(path.join(dir, 'a', 'first'));
    expect(await findProgram('photon-no-such-tool', env)).toBeUndefined();
    // Not on this PATH, but in /usr/sbin or /sbin where cron's PATH does not look.
    expect(await findProgram('ip', { PATH: dir })).toMatch(/^\/(usr\/)?s?bin\/ip$/);
    expect(await findProgram('sh', {})).toBeUndefined();
    expect(await findProgram(path.join(dir, 'b', 'tool'), { PATH: '' })).toBe(path.join(dir, 'b', 'tool'));
    expect(await findProgram('./nope/tool', env)).toBeUndefined();
  });
});
