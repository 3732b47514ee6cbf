import { describe, expect, it } from 'vitest';
import {
  GitCommandError,
  GitConflictError,
  GitLocalChangesError,
  GitLockedError,
  GitRemoteError,
  gitMessage,
  remoteError,
} from './git-errors.js';

describe('git errors', () => {
  it('maps what git said about a remote to a reason, the rest to a plain failure', () => {
    const cases = [
      'Host key verification failed.\nfatal: Could not read from remote repository.',
      '@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@',
      'git@example.org: Permission denied (publickey).',
      'remote: HTTP Basic: Authentication failed',
      'ssh: Could not resolve host: git.example.org\nfatal: Could not read from remote repository.',
      'ssh: connect to host 10.0.0.1 port 22: Connection refused',
      'ssh: connect to host 10.0.0.1 port 22: Connection timed out',
      'ssh: connect to host 10.0.0.1 port 22: No route to host',
      'ssh: connect to host 10.0.0.1 port 22: Network is unreachable',
      'Connection closed by 10.0.0.1 port 22',
      'kex_exchange_identification: read: Connection reset by peer',
      "fatal: '/srv/x.git' does not appear to be a git repository",
      "remote: Repository not found.\nfatal: repository 'https://example.org/x.git/' not found",
      "fatal: repository '/srv/none' does not exist",
      'fatal: not a git repository (or any of the parent directories): .git',
      'error: something else entirely',
    ].map((stderr) => {
      const error = remoteError('git fetch', '(/srv/keys)', stderr);
      return [error.constructor.name, (error as GitRemoteError).reason, error.exitCode, error.message];
    });
    expect(cases).toEqual([
      [
        'GitRemoteError',
        'host-key',
        69,
        'git fetch (/srv/keys): host key verification failed (fatal: Could not read from remote repository.)',
      ],
      [
        'GitRemoteError',
        'host-key',
        69,
        'git fetch (/srv/keys): host key verification failed (@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@)',
      ],
      [
        'GitRemoteError',
        'permission',
        69,
        'git fetch (/srv/keys): permission denied (git@example.org: Permission denied (publickey).)',
      ],
      [
        'GitRemoteError',
        'permission',
        69,
        'git fetch (/srv/keys): permission denied (remote: HTTP Basic: Authentication failed)',
      ],
      [
        'GitRemoteError',
        'unreachable',
        69,
        'git fetch (/srv/keys): remote unreachable (fatal: Could not read from remote repository.)',
      ],
      [
        'GitRemoteError',
        'unreachable',
        69,
        'git fetch (/srv/keys): remote unreachable (ssh: connect to host 10.0.0.1 port 22: Connection refused)',
      ],
      [
        'GitRemoteError',
        'unreachable',
        69,
        'git fetch (/srv/keys): remote unreachable (ssh: connect to host 10.0.0.1 port 22: Connection timed out)',
      ],
      [
        'GitRemoteError',
        'unreachable',
        69,
        'git fetch (/srv/keys): remote unreachable (ssh: connect to host 10.0.0.1 port 22: No route to host)',
      ],
      [
        'GitRemoteError',
        'unreachable',
        69,
        'git fetch (/srv/keys): remote unreachable (ssh: connect to host 10.0.0.1 port 22: Network is unreachable)',
      ],
      [
        'GitRemoteError',
        'unreachable',
        69,
        'git fetch (/srv/keys): remote unreachable (Connection closed by 10.0.0.1 port 22)',
      ],
      [
        'GitRemoteError',
        'unreachable',
        69,
        'git fetch (/srv/keys): remote unreachable (kex_exchange_identification: read: Connection reset by peer)',
      ],
      [
        'GitRemoteError',
        'not-found',
        69,
        "git fetch (/srv/keys): no repository there (fatal: '/srv/x.git' does not appear to be a git repository)",
      ],
      [
        'GitRemoteError',
        'not-found',
        69,
        "git fetch (/srv/keys): no repository there (fatal: repository 'https://example.org/x.git/' not found)",
      ],
      [
        'GitRemoteError',
        'not-found',
        69,
        "git fetch (/srv/keys): no repository there (fatal: repository '/srv/none' does not exist)",
      ],
      [
        'GitRemoteError',
        'not-found',
        69,
        'git fetch (/srv/keys): no repository there (fatal: not a git repository (or any of the parent directories): .git)',
      ],
      ['GitCommandError', undefined, 1, 'git fetch (/srv/keys) failed: error: something else entirely'],
    ]);
    const cause = new Error('x');
    expect(remoteError('git clone', 'r', 'nothing known', cause).cause).toBe(cause);
    expect(remoteError('git clone', 'r', 'Connection refused', cause).cause).toBe(cause);
  });

  it('keeps the last three fatal or error lines', () => {
    expect(gitMessage('fatal: a\nhint: b\nerror: c\n  error: d\nerror: e\n')).toBe(
      'error: c | error: d | error: e',
    );
    expect(gitMessage('')).toBe('');
    expect(gitMessage('warning: fatal: not at the start\n')).toBe('warning: fatal: not at the start');
  });

  it('each git error has its code and exit code, and keeps what it names', () => {
    const conflict = new GitConflictError('c', '/srv/x', ['a']);
    const locked = new GitLockedError('l', '/srv/x/.git/index.lock');
    const local = new GitLocalChangesError('e', '/srv/x', ['f']);
    expect([
      [conflict.code, conflict.exitCode, conflict.dir, conflict.files],
      [new GitConflictError('c', '/d').files],
      [locked.code, locked.exitCode, locked.lock],
      [local.code, local.exitCode, local.files],
      [new GitCommandError('x').code, new GitCommandError('x').exitCode],
      [new GitRemoteError('r', 'timeout').code],
    ]).toEqual([
      ['GIT_CONFLICT', 4, '/srv/x', ['a']],
      [[]],
      ['GIT_LOCKED', 69, '/srv/x/.git/index.lock'],
      ['GIT_LOCAL_CHANGES', 5, ['f']],
      ['GIT_FAILED', 1],
      ['GIT_REMOTE'],
    ]);
  });
});
