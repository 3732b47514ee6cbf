import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SandboxError } from '../errors/errors.js';
import { FileStore } from './file-store.js';
import { RootSandbox } from './root-sandbox.js';

function setup(dryRun = false) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'photon-copy-'));
  mkdirSync(path.join(root, 'etc'));
  writeFileSync(path.join(root, 'etc/a.conf'), 'a\n');
  chmodSync(path.join(root, 'etc/a.conf'), 0o600);
  const host = (p: string) => path.join(root, p);
  return { host, files: new FileStore(new RootSandbox(root), { dryRun }) };
}

describe('FileStore copy and move', () => {
  it('copies with the mode, backs up a replaced target, writes nothing when equal', async () => {
    const { host, files } = setup();
    expect(await files.copy('/etc/a.conf', '/etc/new/b.conf')).toMatchObject({ changed: true });
    expect(readFileSync(host('etc/new/b.conf'), 'utf8')).toBe('a\n');
    expect(statSync(host('etc/new/b.conf')).mode & 0o777).toBe(0o600);
    expect((await files.copy('/etc/a.conf', '/etc/new/b.conf')).changed).toBe(false);
    writeFileSync(host('etc/a.conf'), 'a2\n');
    const replaced = await files.copy('/etc/a.conf', '/etc/new/b.conf', { backup: true });
    expect(readFileSync(host(replaced.backup ?? ''), 'utf8')).toBe('a\n');
  });

  it('moves by rename, with a backup of a replaced target', async () => {
    const { host, files } = setup();
    writeFileSync(host('etc/old.conf'), 'old\n');
    const moved = await files.move('/etc/a.conf', '/etc/old.conf', { backup: true });
    expect(existsSync(host('etc/a.conf'))).toBe(false);
    expect(readFileSync(host('etc/old.conf'), 'utf8')).toBe('a\n');
    expect(readFileSync(host(moved.backup ?? ''), 'utf8')).toBe('old\n');
  });

  it('stays inside the sandbox and changes nothing in --dry-run', async () => {
    const { host, files } = setup();
    await expect(files.copy('/etc/a.conf', '/../escape.conf')).rejects.toThrow(SandboxError);
    const dry = setup(true);
    await dry.files.move('/etc/a.conf', '/etc/b.conf');
    await dry.files.copy('/etc/a.conf', '/etc/c.conf');
    expect(existsSync(dry.host('etc/a.conf'))).toBe(true);
    expect(existsSync(dry.host('etc/b.conf')) || existsSync(dry.host('etc/c.conf'))).toBe(false);
    expect(existsSync(host('etc/a.conf'))).toBe(true);
  });
});
