import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { photonBin, photonSync } from './helpers/photon.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'photon-lock-e2e-'));
const env = { PHOTON_DATA_DIR: path.join(work, 'data'), HOME: work };
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A critical section that notices a second process inside it. */
const critical =
  'mkdir "$0/held" 2>/dev/null || { echo x >> "$0/overlaps"; exit 9; }; sleep 0.05; rmdir "$0/held"';

function run(args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, [photonBin, ...args], {
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: 'ignore',
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('task lock across real processes', () => {
  it('20 waiting runs of one task, started on a stale lock file, never overlap and all succeed', async () => {
    const locks = path.join(work, 'data', 'locks');
    mkdirSync(locks, { recursive: true });
    // Left by the file-based lock: a dead pid, and pid 1 (alive, not photon).
    writeFileSync(path.join(locks, 'crit.lock'), '{"pid":999999999,"task":"crit"}\n');
    const codes = await Promise.all(
      Array.from({ length: 20 }, () =>
        run([
          'exec',
          '--name',
          'crit',
          '--wait',
          '120',
          '--log-level',
          'silent',
          '--',
          'sh',
          '-c',
          critical,
          work,
        ]),
      ),
    );
    const overlaps = existsSync(path.join(work, 'overlaps'))
      ? readFileSync(path.join(work, 'overlaps'), 'utf8')
      : '';
    expect(overlaps).toBe('');
    expect(codes).toEqual(Array(20).fill(0));
    expect(existsSync(path.join(locks, 'crit.lock'))).toBe(false);
  }, 120_000);

  it('a lock file naming a live process that is not photon (pid 1) does not block the task', () => {
    mkdirSync(path.join(work, 'data', 'locks'), { recursive: true });
    writeFileSync(path.join(work, 'data', 'locks', 'reused.lock'), '{"pid":1,"task":"reused"}\n');
    const r = photonSync(['exec', '--name', 'reused', '--', 'true'], { env });
    expect(r.code, r.stderr).toBe(0);
  });

  it('a SIGKILLed holder frees the lock at once', async () => {
    const marker = path.join(work, 'holder-started');
    const holder = spawn(
      process.execPath,
      [photonBin, 'exec', '--name', 'killed', '--', 'sh', '-c', `echo $$ > ${marker}; exec sleep 30`],
      { env: { ...process.env, ...env }, stdio: 'ignore' },
    );
    for (let i = 0; i < 200 && !readFileSync(marker, { flag: 'a+', encoding: 'utf8' }).trim(); i += 1)
      await new Promise((r) => setTimeout(r, 50));
    expect(photonSync(['exec', '--name', 'killed', '--', 'true'], { env }).code).toBe(75);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.on('exit', resolve));
    const after = photonSync(['exec', '--name', 'killed', '--', 'true'], { env });
    // kill -9 leaves no chance to end the program: that is the test's to do.
    process.kill(Number(readFileSync(marker, 'utf8')), 'SIGKILL');
    expect(after.code, after.stderr).toBe(0);
  });
});
