import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStore, GitService, gitSettings, RootSandbox } from '@ffphoton/core';
import { git } from '@ffphoton/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { GitCheckout } from './git-checkout.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'icvpn-checkout-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('GitCheckout', () => {
  it('clones the configured branch of the remote; without a remote the directory is used as it is', async () => {
    const work = path.join(tmp, 'work');
    git(tmp, 'init', '-q', '-b', 'master', work);
    writeFileSync(path.join(work, 'which'), 'master\n');
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'master');
    git(work, 'checkout', '-q', '-b', 'next');
    writeFileSync(path.join(work, 'which'), 'next\n');
    git(work, 'commit', '-q', '-am', 'next');
    // The remote's default branch is master: only the branch setting leads to next.
    git(work, 'checkout', '-q', 'master');
    const bare = path.join(tmp, 'remote.git');
    git(tmp, 'clone', '-q', '--bare', work, bare);

    const files = new FileStore(new RootSandbox(), { dryRun: false });
    const checkout = new GitCheckout(new GitService(gitSettings.schema.parse({}), files, 'gw1'));
    const dir = path.join(tmp, 'clone');
    const cloned = await checkout.update({ remote: bare, dir, branch: 'next' });
    expect(cloned).toEqual({ dir, action: 'cloned', head: git(work, 'rev-parse', 'next').trim() });
    expect(readFileSync(path.join(dir, 'which'), 'utf8')).toBe('next\n');
    expect(await checkout.update({ dir: path.join(tmp, 'plain') })).toEqual({
      dir: path.join(tmp, 'plain'),
      action: 'local',
    });
  });
});
