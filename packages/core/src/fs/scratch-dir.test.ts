import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { findProgram } from '../host/find-program.js';
import { sweepScratchDirs, withScratchDir } from './scratch-dir.js';

describe('withScratchDir', () => {
  it('hands out a fresh directory and removes it, also when the body throws', async () => {
    let seen = '';
    const value = await withScratchDir('t', async (dir) => {
      seen = dir;
      writeFileSync(path.join(dir, 'candidate'), 'x');
      return 42;
    });
    expect(value).toBe(42);
    expect(existsSync(seen)).toBe(false);
    await expect(
      withScratchDir('t', async (dir) => {
        seen = dir;
        throw new Error('rejected');
      }),
    ).rejects.toThrow('rejected');
    expect(existsSync(seen)).toBe(false);
  });

  it('removes scratch directories a killed run left (its pid gone), not those of live runs', async () => {
    const dead = path.join(os.tmpdir(), 'photon-bird-p999999999-AbC123');
    const live = path.join(os.tmpdir(), `photon-bird-p${process.ppid}-AbC123`);
    mkdirSync(dead, { recursive: true });
    mkdirSync(live, { recursive: true });
    writeFileSync(path.join(dead, 'candidate.conf'), 'x');
    await sweepScratchDirs(os.tmpdir());
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    rmSync(live, { recursive: true });
    await expect(sweepScratchDirs(path.join(os.tmpdir(), 'photon-no-such-dir'))).resolves.toBeUndefined();
  });

  it("names the directory after the prefix and pid; a process's first one sweeps what killed runs left, once", async () => {
    vi.resetModules();
    const fresh = (await import('./scratch-dir.js')).withScratchDir;
    const stale = (n: number) => {
      const dir = path.join(os.tmpdir(), `photon-zone-p999999999-Stale${n}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'candidate'), 'x');
      return dir;
    };
    const first = stale(1);
    const name = await fresh('zone', async (dir) => path.basename(dir));
    expect(name).toMatch(new RegExp(`^photon-zone-p${process.pid}-[A-Za-z0-9]{6}$`));
    expect(existsSync(first)).toBe(false);
    const second = stale(2);
    await fresh('zone', async () => undefined);
    expect(existsSync(second)).toBe(true);
    rmSync(second, { recursive: true });
  });
});

describe('findProgram', () => {
  it('finds programs in PATH and the sbin directories, and nothing else', async () => {
    expect(await findProgram('sh', { PATH: '/bin:/usr/bin' })).toMatch(/\/sh$/);
    expect(await findProgram('ip', { PATH: '' })).toMatch(/sbin\/ip$|bin\/ip$/);
    expect(await findProgram('no-such-photon-program', { PATH: '/bin' })).toBeUndefined();
    expect(await findProgram('/bin/sh')).toBe('/bin/sh');
  });
});
