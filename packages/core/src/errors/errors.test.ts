import { describe, expect, it } from 'vitest';
import {
  CommandFailedError,
  type CommandResult,
  ConfigError,
  ExitCode,
  exitCodeOf,
  FailedAfterChangesError,
  InterruptedError,
  LockedError,
  lastLines,
  messageOf,
  PhotonError,
  SandboxError,
  UnavailableError,
  UsageError,
  ValidationRejectedError,
} from './errors.js';

const kind = (error: PhotonError) => [error.name, error.code, error.exitCode, error.message];

describe('errors', () => {
  it('each error class has its name, code and exit code', () => {
    expect([
      kind(new PhotonError('p')),
      kind(new UsageError('u')),
      kind(new SandboxError('s')),
      kind(new UnavailableError('n')),
      kind(new ValidationRejectedError('v', '/etc/bird.conf', 'syntax error')),
      kind(new LockedError('fastd-limit', 4242)),
      kind(new LockedError('fastd-limit', undefined)),
    ]).toEqual([
      ['PhotonError', 'FAILED', 1, 'p'],
      ['UsageError', 'USAGE', 2, 'u'],
      ['SandboxError', 'SANDBOX', 2, 's'],
      ['UnavailableError', 'UNAVAILABLE', 69, 'n'],
      ['ValidationRejectedError', 'REJECTED', 3, 'v'],
      ['LockedError', 'LOCKED', 75, 'task fastd-limit is already running (pid 4242)'],
      ['LockedError', 'LOCKED', 75, 'task fastd-limit is already running'],
    ]);
    // The bundle names classes `_Name`: the name stays the class's own.
    class _BundledError extends PhotonError {}
    expect(new _BundledError('x').name).toBe('BundledError');
  });

  it('a ConfigError names as much of the place as it knows', () => {
    const messages = [
      {},
      { file: '/etc/photon/photon.yaml' },
      { file: '/etc/photon/photon.yaml', line: 3 },
      { file: '/etc/photon/photon.yaml', line: 3, column: 7 },
      { file: '/etc/photon/photon.yaml', column: 7 },
      { keyPath: 'fastd.limit' },
      { file: 'a.yaml', line: 1, column: 2, keyPath: 'mail.to' },
    ].map((location) => new ConfigError('bad value', location).message);
    expect(messages).toEqual([
      'bad value',
      '/etc/photon/photon.yaml: bad value',
      '/etc/photon/photon.yaml:3: bad value',
      '/etc/photon/photon.yaml:3:7: bad value',
      '/etc/photon/photon.yaml: bad value',
      'fastd.limit: bad value',
      'a.yaml:1:2: mail.to: bad value',
    ]);
    expect(kind(new ConfigError('x'))).toEqual(['ConfigError', 'CONFIG', 2, 'x']);
  });

  it('an interruption exits 128 + the signal number', () => {
    expect(['SIGHUP', 'SIGINT', 'SIGTERM'].map((s) => kind(new InterruptedError(s as 'SIGHUP')))).toEqual([
      ['InterruptedError', 'INTERRUPTED', 129, 'interrupted by SIGHUP'],
      ['InterruptedError', 'INTERRUPTED', 130, 'interrupted by SIGINT'],
      ['InterruptedError', 'INTERRUPTED', 143, 'interrupted by SIGTERM'],
    ]);
  });

  it('a late configuration error names up to ten changes it came after', () => {
    const original = new ConfigError('bad');
    const names = (n: number) => Array.from({ length: n }, (_, i) => `/etc/f${i + 1}`);
    const one = new FailedAfterChangesError(original, names(1));
    expect(kind(one)).toEqual([
      'FailedAfterChangesError',
      'FAILED_AFTER_CHANGES',
      1,
      'bad (found after changing /etc/f1; those changes were kept)',
    ]);
    expect(one.cause).toBe(original);
    expect(new FailedAfterChangesError(original, names(2)).message).toBe(
      'bad (found after changing 2 things: /etc/f1, /etc/f2; those changes were kept)',
    );
    expect(new FailedAfterChangesError(original, names(10)).message).toBe(
      `bad (found after changing 10 things: ${names(10).join(', ')}; those changes were kept)`,
    );
    expect(new FailedAfterChangesError(original, names(11)).message).toBe(
      `bad (found after changing 11 things: ${names(10).join(', ')}, …; those changes were kept)`,
    );
  });

  it('a failed command says why, with the last lines of its stderr', () => {
    const result = (over: Partial<CommandResult>): CommandResult => ({
      argv: ['bird', '-p', '-c', '/etc/bird.conf'],
      stdout: '',
      stderr: '',
      exitCode: 1,
      signal: undefined,
      durationMs: 12,
      timedOut: false,
      failed: true,
      skipped: false,
      ...over,
    });
    expect(
      [
        result({ stderr: 'one\n\n  two  \nthree\nfour\n' }),
        result({ timedOut: true, signal: 'SIGKILL', durationMs: 5000 }),
        result({ notStarted: true, signal: 'SIGKILL', stderr: 'spawn bird ENOENT' }),
        result({ signal: 'SIGSEGV', exitCode: undefined }),
      ].map((r) => kind(new CommandFailedError(r))),
    ).toEqual([
      [
        'CommandFailedError',
        'COMMAND_FAILED',
        1,
        'command "bird -p -c /etc/bird.conf" exited 1: two | three | four',
      ],
      [
        'CommandFailedError',
        'COMMAND_FAILED',
        1,
        'command "bird -p -c /etc/bird.conf" timed out after 5000 ms',
      ],
      [
        'CommandFailedError',
        'COMMAND_FAILED',
        1,
        'command "bird -p -c /etc/bird.conf" could not be started: spawn bird ENOENT',
      ],
      [
        'CommandFailedError',
        'COMMAND_FAILED',
        1,
        'command "bird -p -c /etc/bird.conf" was killed by SIGSEGV',
      ],
    ]);
  });

  it('lastLines, messageOf and exitCodeOf', () => {
    expect(lastLines(' a \n\nb\nc\nd\n', 2)).toBe('c | d');
    expect(lastLines('\n \n')).toBe('');
    expect(messageOf(new Error('boom'))).toBe('boom');
    expect(messageOf('text')).toBe('text');
    expect(messageOf(undefined)).toBe('undefined');
    expect(
      [
        new LockedError('t', 1),
        { oclif: { exit: 2 } },
        { oclif: { exit: 1 } },
        { oclif: {} },
        new Error('x'),
        undefined,
        null,
      ].map(exitCodeOf),
    ).toEqual([ExitCode.Locked, ExitCode.Config, ExitCode.Failed, 1, 1, 1, 1]);
  });
});
