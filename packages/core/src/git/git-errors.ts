import { ExitCode, lastLines, PhotonError } from '../errors/errors.js';

/** A rebase met a real conflict; it was aborted and the working tree left as it was. */
export class GitConflictError extends PhotonError {
  override readonly exitCode = ExitCode.Conflict;
  override readonly code = 'GIT_CONFLICT';
  constructor(
    message: string,
    readonly dir: string,
    readonly files: string[] = [],
  ) {
    super(message);
  }
}

export type GitRemoteReason = 'unreachable' | 'host-key' | 'permission' | 'timeout' | 'not-found';

/** The remote could not be reached or refused us; nothing was changed locally. */
export class GitRemoteError extends PhotonError {
  override readonly exitCode = ExitCode.Unavailable;
  override readonly code = 'GIT_REMOTE';
  constructor(
    message: string,
    readonly reason: GitRemoteReason,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Any other failing git command. */
export class GitCommandError extends PhotonError {
  override readonly code = 'GIT_FAILED';
}

const REMOTE_FAILURES: [RegExp, GitRemoteReason, string][] = [
  [
    /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/i,
    'host-key',
    'host key verification failed',
  ],
  [/Permission denied|Authentication failed|publickey/i, 'permission', 'permission denied'],
  [
    /Could not resolve host|Connection refused|Connection timed out|No route to host|Network is unreachable|Connection closed by|kex_exchange_identification/i,
    'unreachable',
    'remote unreachable',
  ],
  [
    /does not appear to be a git repository|repository .* (not found|does not exist)|not a git repository/i,
    'not-found',
    'no repository there',
  ],
];

/** Maps git's stderr of a network operation to a typed error with a clear message. */
export function remoteError(operation: string, remote: string, stderr: string, cause?: unknown): PhotonError {
  const detail = lastLines(stderr);
  for (const [pattern, reason, what] of REMOTE_FAILURES) {
    if (pattern.test(stderr)) {
      return new GitRemoteError(`${operation} ${remote}: ${what} (${detail})`, reason, { cause });
    }
  }
  return new GitCommandError(`${operation} ${remote} failed: ${detail}`, { cause });
}
