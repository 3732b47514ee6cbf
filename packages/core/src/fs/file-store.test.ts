import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunChanges } from '../journal/change-recorder.js';
import { FileStore } from './file-store.js';
import { RootSandbox } from './root-sandbox.js';
import { runTemps } from './run-temps.js';

function store(dryRun = false) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'photon-files-'));
  const changes = new RunChanges();
  const clock = { now: () => new Date(2026, 10, 26, 3, 4, 5) };
  return { root, changes, files: new FileStore(new RootSandbox(root), { dryRun, recorder: changes, clock }) };
}

describe('FileStore', () => {
  it('writes atomically, creating directories, and leaves no temp files', async () => {
    const { root, files } = store();
    const result = await files.writeIfChanged('/etc/bird/peers.conf', 'a\n');
    expect(result.changed).toBe(true);
    expect(readFileSync(path.join(root, 'etc/bird/peers.conf'), 'utf8')).toBe('a\n');
    expect(readdirSync(path.join(root, 'etc/bird'))).toEqual(['peers.conf']);
  });

  it('does not touch an unchanged file', async () => {
    const { root, files, changes } = store();
    await files.writeIfChanged('/x.conf', 'same');
    const before = statSync(path.join(root, 'x.conf')).mtimeMs;
    const result = await files.writeIfChanged('/x.conf', 'same');
    expect(result.changed).toBe(false);
    expect(statSync(path.join(root, 'x.conf')).mtimeMs).toBe(before);
    expect(changes.files).toHaveLength(1);
  });

  it('preserves the mode of an existing file and keeps a Photon-style backup', async () => {
    const { root, files } = store();
    writeFileSync(path.join(root, 'secret.conf'), 'old');
    chmodSync(path.join(root, 'secret.conf'), 0o600);
    const result = await files.writeIfChanged('/secret.conf', 'new', { backup: true });
    expect(statSync(path.join(root, 'secret.conf')).mode & 0o777).toBe(0o600);
    expect(result.backup).toBe('/secret.conf_backup_2026.11.26-03.04.05');
    expect(readFileSync(path.join(root, 'secret.conf_backup_2026.11.26-03.04.05'), 'utf8')).toBe('old');
  });

  it('changes nothing in dry-run but reports the change', async () => {
    const { root, files, changes } = store(true);
    writeFileSync(path.join(root, 'a.conf'), 'old');
    const result = await files.writeIfChanged('/a.conf', 'new');
    expect(result.changed).toBe(true);
    expect(readFileSync(path.join(root, 'a.conf'), 'utf8')).toBe('old');
    expect(await files.remove('/a.conf')).toBe(true);
    expect(readFileSync(path.join(root, 'a.conf'), 'utf8')).toBe('old');
    expect(changes.files).toEqual([
      { path: '/a.conf', action: 'update', dryRun: true },
      { path: '/a.conf', action: 'delete', dryRun: true },
    ]);
  });

  it('sweeps temps of dead writers (and old ones of the previous naming) on the next write into the directory', async () => {
    const { root, files } = store();
    const dir = path.join(root, 'etc/fastd/peers');
    mkdirSync(dir, { recursive: true });
    const deadPid = 999_999_999;
    writeFileSync(path.join(dir, `.gw1.p${deadPid}.a1b2c3d4e5f6.tmp`), 'half');
    // A live writer (our parent process) that is young: still writing, kept.
    writeFileSync(path.join(dir, `.gw2.p${process.ppid}.a1b2c3d4e5f6.tmp`), 'writing');
    // Previous naming without a pid: removed once older than the limit.
    writeFileSync(path.join(dir, '.gw3.0123456789ab.tmp'), 'old');
    utimesSync(path.join(dir, '.gw3.0123456789ab.tmp'), new Date(2020, 0, 1), new Date(2020, 0, 1));
    writeFileSync(path.join(dir, '.not-ours.tmp'), 'admin file');
    await files.writeIfChanged('/etc/fastd/peers/gw4', 'key\n');
    expect(readdirSync(dir).sort()).toEqual([
      `.gw2.p${process.ppid}.a1b2c3d4e5f6.tmp`,
      '.not-ours.tmp',
      'gw4',
    ]);
  });

  it('removes its temp when the write fails, and tracks it only while it exists', async () => {
    const { root, files } = store();
    // The target is a directory: the final rename fails.
    mkdirSync(path.join(root, 'etc/x/target'), { recursive: true });
    await expect(files.writeAtomic('/etc/x/target', 'a')).rejects.toThrow();
    expect(readdirSync(path.join(root, 'etc/x'))).toEqual(['target']);
    expect(runTemps.size).toBe(0);
  });

  it('replaces no file once the run is interrupted', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'photon-files-'));
    const abort = new AbortController();
    const files = new FileStore(new RootSandbox(root), { dryRun: false, signal: abort.signal });
    abort.abort(new Error('interrupted by SIGTERM'));
    await expect(files.writeAtomic('/etc/a', 'a')).rejects.toThrow('SIGTERM');
    expect(existsSync(path.join(root, 'etc/a'))).toBe(false);
  });
});
