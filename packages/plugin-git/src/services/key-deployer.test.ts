import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ConfigError,
  FileStore,
  GitService,
  gitSettings,
  RootSandbox,
  Shell,
  ValidationRejectedError,
} from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { BareRepo, newPublicKey, tempDir } from '../test-helpers/git-testbed.js';
import { MARKER_PREFIX } from './authorized-keys.js';
import { KeyDeployer } from './key-deployer.js';

const keysDir = tempDir('git-deployer-keys');
const alice = newPublicKey(keysDir, 'alice');
const bob = newPublicKey(keysDir, 'bob');

/** A gateway whose configs repository holds ssh.yaml; `deploy` runs the service as the command does. */
function gateway() {
  const root = tempDir('git-deployer');
  const remote = new BareRepo(tempDir('git-deployer-remote'), {
    'ssh.yaml': `admins:\n  alice: ${alice}\n  bob: ${bob}\nnobody: {}\n`,
  });
  const settings = gitSettings.schema.parse({
    deployKeys: { repository: { remote: remote.bare, dir: '/srv/configs' } },
  });
  const deploy = (group: string, over: Partial<typeof settings.deployKeys> = {}, prune = false) => {
    const files = new FileStore(new RootSandbox(root), { dryRun: false });
    const shell = new Shell({ dryRun: false, defaultTimeoutMs: 30_000 });
    return new KeyDeployer(shell, files, new GitService(settings, files, 'gw1')).run(
      { ...settings.deployKeys, ...over },
      group,
      prune,
    );
  };
  const sshDir = path.join(root, 'root/.ssh');
  const authorized = path.join(sshDir, 'authorized_keys');
  return { root, remote, settings, deploy, sshDir, authorized };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('KeyDeployer', () => {
  it('installs the group with markers once, then leaves the file alone (no backup, no rewrite)', async () => {
    const gw = gateway();
    expect(await gw.deploy('admins')).toEqual({
      group: 'admins',
      authorizedKeys: '/root/.ssh/authorized_keys',
      added: ['alice', 'bob'],
      removed: [],
      present: [],
      changed: true,
      backup: undefined,
    });
    const text = `${MARKER_PREFIX} group=admins name=alice\n${alice}\n${MARKER_PREFIX} group=admins name=bob\n${bob}\n`;
    expect(readFileSync(gw.authorized, 'utf8')).toBe(text);
    expect(await gw.deploy('admins')).toEqual({
      group: 'admins',
      authorizedKeys: '/root/.ssh/authorized_keys',
      added: [],
      removed: [],
      present: ['alice', 'bob'],
      changed: false,
    });
    expect(readdirSync(gw.sshDir)).toEqual(['authorized_keys']);
    const changed = await gw.deploy('admins', {}, true);
    expect(changed.changed).toBe(false);
  });

  it('keeps a backup of the file it replaces', async () => {
    const gw = gateway();
    mkdirSync(gw.sshDir, { recursive: true });
    writeFileSync(gw.authorized, `${bob}\n`);
    const result = await gw.deploy('admins');
    expect(result).toMatchObject({ added: ['alice'], present: ['bob'], changed: true });
    expect(result.backup).toMatch(/^\/root\/\.ssh\/authorized_keys/);
    expect(readFileSync(path.join(gw.root, result.backup!), 'utf8')).toBe(`${bob}\n`);
  });

  it('refuses a file without keys, and one the validator rejects or lists short, keeping the old file', async () => {
    const gw = gateway();
    mkdirSync(gw.sshDir, { recursive: true });
    writeFileSync(gw.authorized, `${MARKER_PREFIX} group=nobody name=bob\n${bob}\n`);
    const empty = await failure(gw.deploy('nobody', {}, true));
    expect(empty).toBeInstanceOf(ValidationRejectedError);
    expect((empty as Error).message).toMatch(/^refusing to write an authorized_keys without any key/);

    expect(readFileSync(gw.authorized, 'utf8')).toBe(`${MARKER_PREFIX} group=nobody name=bob\n${bob}\n`);
    writeFileSync(gw.authorized, '# nothing yet\n');
    const rejected = await failure(
      gw.deploy('admins', { validate: ['sh', '-c', 'echo "bad key" >&2; exit 1', '{file}'] }),
    );
    expect(rejected).toBeInstanceOf(ValidationRejectedError);
    expect((rejected as Error).message).toMatch(
      /^the new authorized_keys was rejected by sh \(0 of 2 keys listed\); the old file stays/,
    );
    const short = await failure(
      gw.deploy('admins', { validate: ['sh', '-c', 'echo one; echo; echo "  "', '{file}'] }),
    );
    expect((short as Error).message).toMatch(
      /^the new authorized_keys was rejected by sh \(1 of 2 keys listed\)/,
    );
    expect(readFileSync(gw.authorized, 'utf8')).toBe('# nothing yet\n');
    const exact = await gw.deploy('admins', {
      validate: ['sh', '-c', 'test -f "$1" && echo one && echo two', 'sh', '{file}'],
    });
    expect(exact.changed).toBe(true);
    expect(readFileSync(gw.authorized, 'utf8')).toContain(alice);
  });

  it('names what is missing: the repository setting and the key file', async () => {
    const gw = gateway();
    const unconfigured = await failure(gw.deploy('admins', { repository: undefined }));
    expect(unconfigured).toBeInstanceOf(ConfigError);
    expect((unconfigured as Error).message).toBe('git.deployKeys.repository: not configured');
    const missing = await failure(gw.deploy('admins', { file: 'keys/ssh.yaml' }));
    expect((missing as Error).message).toBe('/srv/configs/keys/ssh.yaml: key file not found');
  });
});
