import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { photonBin, photonSync } from './helpers/photon.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'photon-exec-e2e-'));
const env = { PHOTON_DATA_DIR: path.join(work, 'data') };

const photon = (args: string[]) => photonSync(args, { env });

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('photon exec', () => {
  it('runs the program, logs its output to --log-file and journals the run', () => {
    const log = path.join(work, 'logs', 'mirror.log');
    const r = photon([
      'exec',
      '--name',
      'mirror',
      '--log-file',
      log,
      '--json',
      '--',
      'sh',
      '-c',
      'echo synced 3 files; echo careful >&2',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      task: 'mirror',
      result: { exitCode: 0, stdoutLines: 1, stderrLines: 1 },
    });
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['synced 3 files', 'careful']));
    expect(lines.find((l) => l.msg === 'careful')).toMatchObject({ stream: 'stderr', task: 'mirror' });
    const history = JSON.parse(photon(['history', 'mirror', '--json']).stdout);
    expect(history.result[0]).toMatchObject({ task: 'mirror', outcome: 'ok', exitCode: 0 });
  });

  it('maps failures: non-zero exit and timeout → 1, missing program → 69, usage → 2', () => {
    const failed = photon([
      'exec',
      '--name',
      'fails',
      '--json',
      '--',
      'sh',
      '-c',
      'echo broken pipe >&2; exit 7',
    ]);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout).error.message).toMatch(/exited 7: broken pipe/);
    const slow = photon(['exec', '--name', 'slow', '--timeout', '1', '--json', '--', 'sleep', '30']);
    expect(slow.code).toBe(1);
    expect(JSON.parse(slow.stdout).error.message).toMatch(/timed out/);
    expect(photon(['exec', '--name', 'missing', '--', '/nonexistent/program']).code).toBe(69);
    expect(photon(['exec', '--name', 'nothing']).code).toBe(2);
    expect(photon(['exec', '--name', 'bad/name', '--', 'true']).code).toBe(2);
  });

  it('does not start the program in --dry-run', () => {
    const marker = path.join(work, 'touched');
    const r = photon(['exec', '--name', 'dry', '--dry-run', '--json', '--', 'touch', marker]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).result.skipped).toBe(true);
    expect(existsSync(marker)).toBe(false);
  });

  it('takes the task lock: a second run exits 75 while the first holds it', async () => {
    // The lock is an abstract socket (no file): the program running means the lock is held.
    const started = path.join(work, 'locked-started');
    const first = spawn(
      process.execPath,
      [photonBin, 'exec', '--name', 'locked', '--', 'sh', '-c', `touch ${started}; sleep 6`],
      { env: { ...process.env, ...env }, stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((resolve) => first.on('exit', resolve));
    for (let i = 0; i < 200 && !existsSync(started); i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(started)).toBe(true);
    const second = photon(['exec', '--name', 'locked', '--', 'true']);
    expect(second.code).toBe(75);
    expect(await exited).toBe(0);
    expect(photon(['exec', '--name', 'locked', '--', 'true']).code).toBe(0);
  });
});
