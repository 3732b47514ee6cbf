import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { RunChanges } from '../journal/change-recorder.js';
import { createTaskLogger } from '../log/logger.js';
import { FileStore } from './file-store.js';
import { RootSandbox } from './root-sandbox.js';
import { runTemps } from './run-temps.js';

/** A store over a fresh root, with the changes it records and the messages it logs. */
async function store(dryRun = false) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'photon-store-'));
  const changes = new RunChanges();
  const messages: string[] = [];
  const records: Record<string, unknown>[] = [];
  const { logger } = await createTaskLogger({
    level: 'info',
    format: 'json',
    stream: {
      write: (text: string) => {
        const { level: _level, time: _time, ...record } = JSON.parse(text);
        records.push(record);
        messages.push(record.msg);
      },
    },
  });
  const clock = { now: () => new Date(2026, 10, 26, 3, 4, 5) };
  const files = new FileStore(new RootSandbox(root), { dryRun, recorder: changes, logger, clock });
  const host = (p: string) => path.join(root, p);
  return {
    root,
    host,
    files,
    changes,
    messages,
    records,
    tree: () => readdirSync(root, { recursive: true }).sort(),
  };
}

const mode = (file: string) => statSync(file).mode & 0o7777;

describe('FileStore: whole results and states', () => {
  it('an update without a backup request leaves exactly the new file, nothing beside it', async () => {
    const { host, files, tree } = await store();
    mkdirSync(host('etc'));
    writeFileSync(host('etc/x.conf'), 'old\n');
    expect(await files.writeIfChanged('/etc/x.conf', 'new\n')).toEqual({
      path: '/etc/x.conf',
      changed: true,
    });
    expect(tree()).toEqual(['etc', 'etc/x.conf']);
    expect(await files.writeAtomic('/etc/x.conf', Buffer.from('bytes\n'))).toStrictEqual({
      path: '/etc/x.conf',
      changed: true,
      backup: undefined,
    });
    expect(readFileSync(host('etc/x.conf'), 'utf8')).toBe('bytes\n');
    expect(tree()).toEqual(['etc', 'etc/x.conf']);
  });

  it('keeps modes the umask would strip, special bits and the owner of a replaced file; new files get the asked mode', async () => {
    const { host, files } = await store();
    writeFileSync(host('shared'), 'old');
    chmodSync(host('shared'), 0o2666);
    // Another owner can only be given as root (the gateways run photon as root).
    const owner = process.getuid?.() === 0 ? [1234, 5678] : [process.getuid?.(), process.getgid?.()];
    chownSync(host('shared'), owner[0] as number, owner[1] as number);
    await files.writeIfChanged('/shared', 'new');
    expect([mode(host('shared')), statSync(host('shared')).uid, statSync(host('shared')).gid]).toEqual([
      0o2666,
      ...owner,
    ]);
    await files.writeIfChanged('/new-asked', 'x', { mode: 0o666 });
    await files.writeIfChanged('/new-private', 'x', { mode: 0o600 });
    await files.writeIfChanged('/new-default', 'x');
    expect([mode(host('new-asked')), mode(host('new-private')), mode(host('new-default'))]).toEqual([
      0o666,
      0o600,
      0o644 & ~process.umask(),
    ]);
    // An existing file keeps its mode even when a mode is asked for.
    await files.writeIfChanged('/new-private', 'y', { mode: 0o644 });
    expect(mode(host('new-private'))).toBe(0o600);
  });

  it('reads, lists and checks paths; a missing one is undefined or empty, any other error is thrown', async () => {
    const { host, files } = await store();
    mkdirSync(host('etc/dir'), { recursive: true });
    writeFileSync(host('etc/b'), 'b\n');
    writeFileSync(host('etc/a'), 'a\n');
    expect(await files.readText('/etc/a')).toBe('a\n');
    expect(await files.readTextIfExists('/etc/a')).toBe('a\n');
    expect(await files.readTextIfExists('/etc/missing')).toBeUndefined();
    await expect(files.readTextIfExists('/etc/dir')).rejects.toMatchObject({ code: 'EISDIR' });
    expect(await files.list('/etc')).toEqual(['a', 'b', 'dir']);
    expect(await files.list('/nothing')).toEqual([]);
    await expect(files.list('/etc/a')).rejects.toMatchObject({ code: 'ENOTDIR' });
    expect([
      await files.exists('/etc/a'),
      await files.exists('/etc/dir'),
      await files.exists('/etc/c'),
    ]).toEqual([true, true, false]);
    await expect(files.writeIfChanged('/etc/dir', 'x')).rejects.toMatchObject({ code: 'EISDIR' });
    expect(files.resolve('/etc/a')).toBe(host('etc/a'));
  });

  it('remove: a missing file is false and unrecorded, an existing one goes and is recorded', async () => {
    const { host, files, changes, tree } = await store();
    writeFileSync(host('a'), 'a');
    expect(await files.remove('/missing')).toBe(false);
    expect(await files.remove('/a')).toBe(true);
    expect(tree()).toEqual([]);
    expect(changes.files).toEqual([{ path: '/a', action: 'delete', dryRun: false }]);
  });

  it('mkdir makes nested directories, and nothing in dry-run', async () => {
    const real = await store();
    await real.files.mkdir('/var/lib/photon');
    expect(real.tree()).toEqual(['var', 'var/lib', 'var/lib/photon']);
    const dry = await store(true);
    await dry.files.mkdir('/var/lib/photon');
    expect(dry.tree()).toEqual([]);
  });

  it('dry-run: writes, removals, backups and moves are recorded and logged, nothing is touched', async () => {
    const { host, files, changes, messages, tree } = await store(true);
    writeFileSync(host('a.conf'), 'old');
    writeFileSync(host('b.conf'), 'b');
    expect(await files.writeIfChanged('/new.conf', 'x')).toEqual({ path: '/new.conf', changed: true });
    expect(await files.writeIfChanged('/a.conf', 'new', { backup: true })).toEqual({
      path: '/a.conf',
      changed: true,
    });
    expect(await files.backup('/a.conf')).toBe('/a.conf_backup_2026.11.26-03.04.05');
    expect(await files.remove('/b.conf')).toBe(true);
    expect(await files.move('/b.conf', '/a.conf', { backup: true })).toEqual({
      path: '/a.conf',
      changed: true,
    });
    expect(await files.move('/b.conf', '/c.conf')).toEqual({ path: '/c.conf', changed: true });
    expect(tree()).toEqual(['a.conf', 'b.conf']);
    expect(readFileSync(host('a.conf'), 'utf8')).toBe('old');
    const change = (p: string, action: string) => ({ path: p, action, dryRun: true });
    expect(changes.files).toEqual([
      change('/new.conf', 'create'),
      change('/a.conf', 'update'),
      change('/b.conf', 'delete'),
      change('/a.conf', 'update'),
      change('/b.conf', 'delete'),
      change('/c.conf', 'create'),
      change('/b.conf', 'delete'),
    ]);
    expect(messages).toEqual([
      'dry-run: would create /new.conf',
      'dry-run: would update /a.conf',
      'dry-run: would delete /b.conf',
      'dry-run: would move /b.conf to /a.conf',
      'dry-run: would move /b.conf to /c.conf',
    ]);
  });

  it('move: into a new directory, no backup unless asked, the source must exist', async () => {
    const { host, files, changes, tree } = await store();
    writeFileSync(host('a'), 'a');
    writeFileSync(host('b'), 'b');
    expect(await files.move('/a', '/deep/dir/a')).toStrictEqual({ path: '/deep/dir/a', changed: true });
    expect(await files.move('/b', '/deep/dir/a')).toStrictEqual({ path: '/deep/dir/a', changed: true });
    expect(tree()).toEqual(['deep', 'deep/dir', 'deep/dir/a']);
    expect(readFileSync(host('deep/dir/a'), 'utf8')).toBe('b');
    expect(changes.files).toEqual([
      { path: '/deep/dir/a', action: 'create', dryRun: false },
      { path: '/a', action: 'delete', dryRun: false },
      { path: '/deep/dir/a', action: 'update', dryRun: false },
      { path: '/b', action: 'delete', dryRun: false },
    ]);
    await expect(files.move('/gone', '/deep/x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(existsSync(host('deep/x'))).toBe(false);
  });

  it('logs how many stale temps a write swept, once per directory', async () => {
    const { host, files, messages } = await store();
    mkdirSync(host('etc'));
    writeFileSync(host('etc/.a.p999999999.0a0b.tmp'), 'half');
    writeFileSync(host('etc/.b.p999999998.0a0b.tmp'), 'half');
    await files.writeIfChanged('/etc/a', 'a');
    writeFileSync(host('etc/.c.p999999997.0a0b.tmp'), 'half');
    await files.writeIfChanged('/etc/b', 'b');
    expect(messages).toEqual(['removed 2 stale temp file(s)']);
    expect(readdirSync(host('etc')).sort()).toEqual(['.c.p999999997.0a0b.tmp', 'a', 'b']);
  });

  // process.umask() cannot be set in a worker thread (Stryker's vitest runs tests in threads).
  it.skipIf(!isMainThread)('without umask a new file still gets 0644 unless asked otherwise', async () => {
    const { host, files } = await store();
    const umask = process.umask(0);
    try {
      await files.writeIfChanged('/plain', 'x');
      await files.writeIfChanged('/asked', 'x', { mode: 0o640 });
    } finally {
      process.umask(umask);
    }
    expect([mode(host('plain')), mode(host('asked'))]).toEqual([0o644, 0o640]);
  });

  it('tracks its temp while the write is under way, and replaces nothing when interrupted meanwhile', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'photon-store-'));
    writeFileSync(path.join(root, 'big'), 'old');
    const abort = new AbortController();
    const files = new FileStore(new RootSandbox(root), { dryRun: false, signal: abort.signal });
    const writing = files.writeAtomic('/big', Buffer.alloc(32 * 1024 * 1024, 0x61)).then(
      () => 'written',
      (error: Error) => error.message,
    );
    let seen = 0;
    while (seen === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      seen = Math.max(seen, runTemps.size);
    }
    abort.abort(new Error('interrupted by SIGTERM'));
    expect(await writing).toBe('interrupted by SIGTERM');
    expect(seen).toBe(1);
    expect(readdirSync(root)).toEqual(['big']);
    expect(readFileSync(path.join(root, 'big'), 'utf8')).toBe('old');
    expect(runTemps.size).toBe(0);
  });

  it('a backup without a clock is named by the current time', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'photon-store-'));
    writeFileSync(path.join(root, 'a.conf'), 'a');
    const backup = await new FileStore(new RootSandbox(root)).backup('/a.conf');
    expect(backup).toMatch(/^\/a\.conf_backup_\d{4}\.\d\d\.\d\d-\d\d\.\d\d\.\d\d$/);
    expect(readFileSync(path.join(root, backup), 'utf8')).toBe('a');
  });

  it('moves across filesystems by copying, then removing the source', async () => {
    const shm = mkdtempSync('/dev/shm/photon-store-');
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'photon-store-'));
    try {
      writeFileSync(path.join(tmp, 'a'), 'across\n');
      chmodSync(path.join(tmp, 'a'), 0o600);
      const files = new FileStore(new RootSandbox());
      expect(await files.move(path.join(tmp, 'a'), path.join(shm, 'sub', 'a'))).toStrictEqual({
        path: path.join(shm, 'sub', 'a'),
        changed: true,
      });
      expect(existsSync(path.join(tmp, 'a'))).toBe(false);
      expect(readFileSync(path.join(shm, 'sub', 'a'), 'utf8')).toBe('across\n');
      expect(mode(path.join(shm, 'sub', 'a'))).toBe(0o600);
    } finally {
      rmSync(shm, { recursive: true, force: true });
    }
  });

  it('logs what a dry run would do with its fields; a directory in the way is an error in a dry run too', async () => {
    const { host, files, records } = await store(true);
    writeFileSync(host('a'), 'a');
    mkdirSync(host('dir'));
    await files.writeIfChanged('/new', 'x');
    await files.remove('/a');
    await files.move('/a', '/b');
    await expect(files.writeIfChanged('/dir', 'x')).rejects.toMatchObject({ code: 'EISDIR' });
    expect(records).toEqual([
      { path: '/new', action: 'create', msg: 'dry-run: would create /new' },
      { path: '/a', msg: 'dry-run: would delete /a' },
      { from: '/a', to: '/b', msg: 'dry-run: would move /a to /b' },
    ]);
  });

  it('a direct atomic write is recorded as an update; a sweep that finds nothing logs nothing', async () => {
    const { host, files, changes, records } = await store();
    mkdirSync(host('etc'));
    writeFileSync(host('etc/.old.p999999999.0a0b.tmp'), 'half');
    await files.writeAtomic('/etc/direct', 'x');
    await files.writeAtomic('/var/clean', 'x');
    expect(changes.files).toEqual([
      { path: '/etc/direct', action: 'update', dryRun: false },
      { path: '/var/clean', action: 'update', dryRun: false },
    ]);
    expect(records).toEqual([{ dir: host('etc'), removed: 1, msg: 'removed 1 stale temp file(s)' }]);
  });

  it('a store without a recorder removes files too; a copy makes a backup only when asked', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'photon-store-'));
    writeFileSync(path.join(root, 'gone'), 'x');
    writeFileSync(path.join(root, 'from'), 'new');
    writeFileSync(path.join(root, 'to'), 'old');
    const files = new FileStore(new RootSandbox(root));
    expect(await files.remove('/gone')).toBe(true);
    expect(await files.copy('/from', '/to')).toEqual({ path: '/to', changed: true });
    expect(readdirSync(root).sort()).toEqual(['from', 'to']);
    expect(readFileSync(path.join(root, 'to'), 'utf8')).toBe('new');
  });
});
