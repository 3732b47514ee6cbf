import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { photonBin, photonSync } from './helpers/photon.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'photon-signals-e2e-'));
const env = { PHOTON_DATA_DIR: path.join(work, 'data'), HOME: work };
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Running: exists and is not a zombie (this container's pid 1 does not reap orphans). */
const alive = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
};

describe('a signalled photon run', () => {
  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const) {
    it(`${signal}: ends its programs, releases the lock, journals 'interrupted' and exits ${code} within 2 s`, async () => {
      const task = `sleepy-${signal.toLowerCase()}`;
      const pids = path.join(work, `${task}.pids`);
      // The program and a child of its own, both sleeping far beyond the test.
      const script = `sleep 60 & echo $$ $! > ${pids}; wait`;
      const run = spawn(process.execPath, [photonBin, 'exec', '--name', task, '--', 'sh', '-c', script], {
        env: { ...process.env, NODE_ENV: 'production', ...env },
        stdio: 'ignore',
      });
      const exited = new Promise<number | null>((resolve) => run.on('exit', (c) => resolve(c)));
      for (let i = 0; i < 200 && !existsSync(pids); i += 1) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 100));
      const children = readFileSync(pids, 'utf8').trim().split(' ').map(Number);
      const sent = Date.now();
      run.kill(signal);
      expect(await exited).toBe(code);
      expect(Date.now() - sent).toBeLessThan(2_000);
      for (const pid of children) expect(alive(pid), `pid ${pid}`).toBe(false);
      const history = JSON.parse(photonSync(['history', task, '--json'], { env }).stdout);
      expect(history.result[0]).toMatchObject({ task, outcome: 'interrupted', exitCode: code });
      expect(history.result[0].summary).toContain(`interrupted by ${signal}`);
      expect(photonSync(['exec', '--name', task, '--', 'true'], { env }).code).toBe(0);
    });
  }
});
