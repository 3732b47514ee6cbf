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

/** A git lock file is held by a running git, or too young to be judged stale; nothing was changed. */
export class GitLockedError extends PhotonError {
  override readonly exitCode = ExitCode.Unavailable;
  override readonly code = 'GIT_LOCKED';
  constructor(
    message: string,
    readonly lock: string,
  ) {
    super(message);
  }
}

/** A mirror clone holds files that are not the remote's (an admin's edits); they are kept, nothing was synced. */
export class GitLocalChangesError extends PhotonError {
  override readonly exitCode = ExitCode.Partial;
  override readonly code = 'GIT_LOCAL_CHANGES';
  constructor(
    message: string,
    readonly dir: string,
    readonly files: string[],
  ) {
    super(message);
  }
}

/**
 * What git said, on one line: its `fatal:`/`error:` lines when there are any (the advice paragraphs
 * after them, cut at three lines, read as nonsense: "are terminated then try again …").
 */
export function gitMessage(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^(fatal|error):/.test(line));
  return lines.length > 0 ? lines.slice(-3).join(' | ') : lastLines(stderr);
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
  const detail = gitMessage(stderr);
  for (const [pattern, reason, what] of REMOTE_FAILURES) {
    if (pattern.test(stderr)) {
      return new GitRemoteError(`${operation} ${remote}: ${what} (${detail})`, reason, { cause });
    }
  }
  return new GitCommandError(`${operation} ${remote} failed: ${detail}`, { cause });
}
