import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alive, reapBeds } from './fastd-reaper.js';
import { FastdTestbed } from './fastd-testbed.js';

describe('the fastd reaper (global teardown)', () => {
  it('kills the daemons of a bed whose vitest run died, and removes the bed; leaves live runs alone', async () => {
    const bed = new FastdTestbed();
    const gw = await bed.create('gw', ['include peers from "peers";']);
    await bed.start(gw);
    const pid = Number(readFileSync(path.join(gw.dir, 'fastd.pid'), 'utf8'));
    expect(alive(pid)).toBe(true);
    // The bed's owner: a run that no longer exists.
    const dead = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(path.join(bed.dir, '.owner'), dead);
    const other = new FastdTestbed();
    expect(await reapBeds((owner) => owner === Number(dead))).toBe(1);
    expect(alive(pid)).toBe(false);
    expect(existsSync(bed.dir)).toBe(false);
    expect(existsSync(other.dir)).toBe(true);
    await other.cleanup();
    expect(existsSync(other.dir)).toBe(false);
  });
});
