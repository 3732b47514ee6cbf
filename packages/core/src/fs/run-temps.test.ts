import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive, runTemps, STALE_TEMP_MS, sweepStaleTemps, tempName, writeTextAtomic } from './run-temps.js';

const scratch = () => mkdtempSync(path.join(os.tmpdir(), 'photon-run-temps-'));
/** A pid no process has (beyond the kernel's pid_max). */
const DEAD = 99_999_999;

describe('sweepStaleTemps', () => {
  it("removes temps whose writer is gone or that are older than the limit; keeps the rest and others' files", async () => {
    const dir = scratch();
    // Whole seconds: file times keep them exactly, so the limit itself can be tried.
    const now = Math.floor(Date.now() / 1000) * 1000;
    const file = (name: string, ageMs = 0) => {
      const p = path.join(dir, name);
      writeFileSync(p, 'x');
      const at = (now - ageMs) / 1000;
      utimesSync(p, at, at);
    };
    file(`.a.conf.p${DEAD}.0a1b.tmp`); // writer gone
    file(`.b.conf.p${process.pid}.0a1b.tmp`, 2 * STALE_TEMP_MS); // ours: never, whatever its age
    file('.c.conf.p1.0a1b.tmp'); // writer alive (init)
    file('.d.conf.p1.0a1b.tmp', STALE_TEMP_MS + 1); // a live pid that old is a reused one
    file('.e.conf.p1.0a1b.tmp', STALE_TEMP_MS); // exactly the limit: not older than it
    file('.f.conf.0123456789ab.tmp'); // the earlier naming, no pid: only by age
    file('.g.conf.0123456789ab.tmp', STALE_TEMP_MS + 1);
    file('notes.tmp', 2 * STALE_TEMP_MS); // not our naming
    file(`.h.conf.p${DEAD}.0a1b.txt`); // not a temp
    mkdirSync(path.join(dir, `.i.conf.p${DEAD}.0a1b.tmp`)); // not a file
    const removed = await sweepStaleTemps(dir, STALE_TEMP_MS, now);
    expect(removed.sort()).toEqual([
      `.a.conf.p${DEAD}.0a1b.tmp`,
      '.d.conf.p1.0a1b.tmp',
      '.g.conf.0123456789ab.tmp',
    ]);
    expect(readdirSync(dir).sort()).toEqual([
      `.b.conf.p${process.pid}.0a1b.tmp`,
      '.c.conf.p1.0a1b.tmp',
      '.e.conf.p1.0a1b.tmp',
      '.f.conf.0123456789ab.tmp',
      `.h.conf.p${DEAD}.0a1b.txt`,
      `.i.conf.p${DEAD}.0a1b.tmp`,
      'notes.tmp',
    ]);
    expect(await sweepStaleTemps(path.join(dir, 'missing'), STALE_TEMP_MS)).toEqual([]);
  });

  it('tells live pids from gone ones', () => {
    expect([isAlive(process.pid), isAlive(1), isAlive(DEAD)]).toEqual([true, true, false]);
  });
});

describe('writeTextAtomic and the run registry', () => {
  it('writes through a temp beside the file named with our pid, and leaves none registered', async () => {
    const dir = scratch();
    const target = path.join(dir, 'state.json');
    expect(path.basename(tempName(target, 'beef'))).toBe(`.state.json.p${process.pid}.beef.tmp`);
    await writeTextAtomic(target, '{"a":1}\n');
    expect(readFileSync(target, 'utf8')).toBe('{"a":1}\n');
    expect(readdirSync(dir)).toEqual(['state.json']);
    expect(runTemps.size).toBe(0);
  });

  it('a write that fails throws its own error and leaves no temp, on disk or registered', async () => {
    const dir = scratch();
    writeFileSync(path.join(dir, 'a-file'), 'x');
    // The directory is a file: the temp cannot be opened (ENOTDIR from open, not from removing it).
    await expect(writeTextAtomic(path.join(dir, 'a-file', 'state.json'), 'x')).rejects.toMatchObject({
      code: 'ENOTDIR',
      syscall: 'open',
    });
    // A rename that fails (the target is a directory) removes the temp it wrote.
    mkdirSync(path.join(dir, 'taken', 'inside'), { recursive: true });
    await expect(writeTextAtomic(path.join(dir, 'taken'), 'x')).rejects.toMatchObject({ syscall: 'rename' });
    expect(readdirSync(dir).sort()).toEqual(['a-file', 'taken']);
    expect(runTemps.size).toBe(0);
  });

  it('removeAll removes every registered temp, directories with their content too', () => {
    const dir = scratch();
    const temp = path.join(dir, '.x.p1.ab.tmp');
    const tempDir = path.join(dir, 'scratch');
    writeFileSync(temp, 'x');
    mkdirSync(path.join(tempDir, 'deep'), { recursive: true });
    writeFileSync(path.join(tempDir, 'deep', 'file'), 'x');
    runTemps.add(temp);
    runTemps.add(tempDir);
    runTemps.add(path.join(dir, 'already-gone'));
    expect(runTemps.size).toBe(3);
    runTemps.removeAll();
    expect([existsSync(temp), existsSync(tempDir), runTemps.size]).toEqual([false, false, 0]);
  });
});
