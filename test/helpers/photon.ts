import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const photonBin = path.join(repoRoot, 'packages/cli/bin/run.js');
export const exampleConfig = path.join(repoRoot, 'examples/community');

export interface PhotonRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `photon` binary as a user would (no TTY: JSON logs on stderr, level warn). */
export function photon(
  args: string[],
  options: { env?: Record<string, string>; input?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<PhotonRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [photonBin, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, NODE_ENV: 'production', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** The same, synchronously: for tests that run photon many times in sequence. */
export function photonSync(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number; nodeArgs?: string[] } = {},
): PhotonRun {
  const r = spawnSync(process.execPath, [...(options.nodeArgs ?? []), photonBin, ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production', ...options.env },
    timeout: options.timeoutMs ?? 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh `--root` sandbox directory and an isolated data dir. */
export function sandbox(prefix = 'photon-e2e-'): { root: string; env: Record<string, string> } {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    root,
    env: { HOME: '/root', XDG_CONFIG_HOME: '', XDG_DATA_HOME: '', PHOTON_DATA_DIR: '/var/lib/photon' },
  };
}

/** The messages of the JSON log lines a run wrote to stderr. */
export function logMessages(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => (JSON.parse(line) as { msg: string }).msg);
}
