import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { CommandFailedError } from '../errors/errors.js';
import { RunChanges } from '../journal/change-recorder.js';
import { Shell } from './shell.js';

const shell = (dryRun = false, changes = new RunChanges()) =>
  new Shell({ dryRun, defaultTimeoutMs: 10_000, recorder: changes });

describe('Shell', () => {
  it('keeps stdout and stderr separate and whole, blank lines included', async () => {
    const result = await shell().run(['sh', '-c', 'printf "a\\n\\nb\\n"; printf "warn\\n" >&2']);
    expect(result.stdout).toBe('a\n\nb\n');
    expect(result.stderr).toBe('warn\n');
    expect(result.exitCode).toBe(0);
    expect(result.failed).toBe(false);
  });

  it('passes arguments verbatim — no shell interpretation', async () => {
    const hostile = '$(touch /tmp/photon-pwned); `id`; a b';
    const result = await shell().run(['printf', '%s', hostile]);
    expect(result.stdout).toBe(hostile);
  });

  it('raises CommandFailedError carrying the result on a non-zero exit', async () => {
    const error = await shell()
      .run(['sh', '-c', 'echo oops >&2; exit 3'])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandFailedError);
    expect((error as CommandFailedError).result).toMatchObject({
      exitCode: 3,
      stderr: 'oops\n',
      failed: true,
    });
    expect((error as Error).message).toMatch(/exited 3: oops/);
  });

  it('kills the whole process group on timeout', async () => {
    const started = Date.now();
    const result = await shell().run(['sh', '-c', 'sleep 30 & sleep 30; wait'], {
      timeoutMs: 300,
      allowFailure: true,
    });
    expect(result.timedOut).toBe(true);
    expect(result.failed).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('does not run mutating commands in dry-run, but records them', async () => {
    const changes = new RunChanges();
    const result = await shell(true, changes).run(['sh', '-c', 'exit 1'], { mutates: true });
    expect(result.skipped).toBe(true);
    expect(changes.commands).toEqual([
      { argv: ['sh', '-c', 'exit 1'], exitCode: 0, durationMs: 0, skipped: true, timedOut: false },
    ]);
    const read = await shell(true).run(['echo', 'read-only'], {});
    expect(read.stdout).toBe('read-only\n');
  });

  it('reports a missing program as a failure', async () => {
    const result = await shell().run(['/nonexistent/program'], { allowFailure: true });
    expect(result.failed).toBe(true);
    expect(result.stderr).toMatch(/ENOENT|not found|nonexistent/i);
    expect(result.notStarted).toBe(true);
    expect(new CommandFailedError(result).message).toMatch(/could not be started/);
  });

  it('takes a validator rejection as a verdict, and a validator that cannot run as a failure', async () => {
    const rejected = await shell().runValidator(['sh', '-c', 'echo "line 3: bad" >&2; exit 1']);
    expect(rejected).toMatchObject({ failed: true, exitCode: 1, stderr: 'line 3: bad\n' });
    await expect(shell().runValidator(['/nonexistent/named-checkzone'])).rejects.toBeInstanceOf(
      CommandFailedError,
    );
    await expect(shell().runValidator(['sh', '-c', 'kill -KILL $$'])).rejects.toBeInstanceOf(
      CommandFailedError,
    );
  });

  it('feeds input to stdin and keeps the parent environment plus the extra variables', async () => {
    process.env.PHOTON_SHELL_TEST_PARENT = 'kept';
    try {
      const result = await shell().run(
        ['sh', '-c', 'cat; printf "%s %s" "$PHOTON_SHELL_TEST_PARENT" "$EXTRA"'],
        {
          input: 'from stdin\n',
          env: { EXTRA: 'added' },
        },
      );
      expect(result.stdout).toBe('from stdin\nkept added');
    } finally {
      delete process.env.PHOTON_SHELL_TEST_PARENT;
    }
  });

  it('tolerates a program that exits without reading its input', async () => {
    const result = await shell().run(['true'], { input: 'x'.repeat(1024 * 1024) });
    expect(result.exitCode).toBe(0);
  });

  it('reports a program killed by a signal with its signal and no exit code', async () => {
    const result = await shell().run(['sh', '-c', 'kill -TERM $$'], { allowFailure: true });
    expect(result).toMatchObject({ exitCode: undefined, signal: 'SIGTERM', failed: true, timedOut: false });
  });

  it('decodes UTF-8 split across pipe chunks whole', async () => {
    const text = 'ä€😀'.repeat(50_000);
    const result = await shell().run(['cat'], { input: text });
    expect(result.stdout).toBe(text);
  });

  it('hands stdout over as the bytes the program wrote when asked for rawStdout', async () => {
    const result = await shell().run(['printf', '\\377\\000\\303'], { rawStdout: true });
    expect(result.stdout).toBe('');
    expect(result.stdoutBytes).toEqual(Buffer.from([0xff, 0x00, 0xc3]));
  });

  it('endAll ends running programs and their children: SIGTERM, then SIGKILL after the grace time', async () => {
    const sh = shell();
    // The child ignores SIGTERM, so only the SIGKILL after the grace time ends it; its own child too.
    const stubborn = sh.run(['sh', '-c', 'trap "" TERM; sleep 30 & sleep 30; wait'], { allowFailure: true });
    const polite = sh.run(['sleep', '30'], { allowFailure: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    await sh.endAll(300);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await polite).signal).toBe('SIGTERM');
    expect((await stubborn).signal).toBe('SIGKILL');
  });

  it('starts no program once the run is interrupted', async () => {
    const abort = new AbortController();
    const sh = new Shell({ dryRun: false, defaultTimeoutMs: 10_000, signal: abort.signal });
    abort.abort(new Error('interrupted by SIGINT'));
    await expect(sh.run(['true'])).rejects.toThrow('SIGINT');
  });

  it('refuses an empty argv or program name before starting anything', async () => {
    await expect(shell().run([])).rejects.toThrow(new TypeError('Shell.run needs a program name'));
    await expect(shell().run(['', 'x'])).rejects.toThrow(TypeError);
  });

  it('kills a program whose output runs over the limit and says so; output up to the limit is fine', async () => {
    const exact = await shell().run(['printf', 'abcd'], { maxOutputBytes: 4 });
    expect(exact).toMatchObject({ stdout: 'abcd', stderr: '', exitCode: 0, failed: false });
    const over = await shell().run(
      ['sh', '-c', 'printf ab >&2; sleep 0.2; while :; do printf xxxxxxxx; done'],
      {
        maxOutputBytes: 64,
        allowFailure: true,
      },
    );
    expect(over).toMatchObject({ failed: true, signal: 'SIGKILL', timedOut: false });
    expect(over.stderr).toBe('abphoton: output over 64 bytes, program killed');
    expect(over.stdout.length).toBeLessThanOrEqual(62);
  });

  it('a dry run keeps the cwd, logs what it would run; a real run logs at debug; sudo is no prefix for root', async () => {
    const lines: Record<string, unknown>[] = [];
    const { createTaskLogger } = await import('../log/logger.js');
    const { logger } = await createTaskLogger({
      level: 'debug',
      format: 'json',
      stream: { write: (text: string) => void lines.push(JSON.parse(text)) },
    });
    const dry = new Shell({ dryRun: true, defaultTimeoutMs: 10_000, logger });
    expect(await dry.run(['systemctl', 'reload', 'bird'], { mutates: true, cwd: '/etc' })).toEqual({
      argv: ['systemctl', 'reload', 'bird'],
      cwd: '/etc',
      stdout: '',
      stderr: '',
      exitCode: 0,
      signal: undefined,
      durationMs: 0,
      timedOut: false,
      failed: false,
      skipped: true,
    });
    const real = new Shell({ dryRun: false, defaultTimeoutMs: 10_000, logger });
    const asRoot = process.getuid?.() === 0;
    const ran = await real.run(['true'], { sudo: asRoot });
    expect(ran.argv).toEqual(['true']);
    expect(lines.map((l) => [l.level, l.msg, l.argv])).toEqual([
      [30, 'dry-run: would run systemctl reload bird', ['systemctl', 'reload', 'bird']],
      [20, 'ran true', ['true']],
    ]);
  });

  it('an extra variable set to undefined removes it from the environment', async () => {
    process.env.PHOTON_SHELL_TEST = 'inherited';
    try {
      const result = await shell().run(['sh', '-c', 'test -z "$PHOTON_SHELL_TEST" && echo "unset $EXTRA"'], {
        env: { PHOTON_SHELL_TEST: undefined, EXTRA: 'x' },
      });
      expect(result.stdout).toBe('unset x\n');
      expect((await shell().run(['sh', '-c', 'echo $PHOTON_SHELL_TEST'])).stdout).toBe('inherited\n');
    } finally {
      delete process.env.PHOTON_SHELL_TEST;
    }
  });

  it('a program given no input reads an empty stdin instead of waiting for one', async () => {
    const result = await shell().run(['cat'], { timeoutMs: 5_000, allowFailure: true });
    expect(result).toMatchObject({ stdout: '', exitCode: 0, timedOut: false });
  });

  it('measures how long a program ran', async () => {
    const result = await shell().run(['sleep', '0.2']);
    expect(result.durationMs).toBeGreaterThanOrEqual(150);
    expect(result.durationMs).toBeLessThan(5_000);
  });

  it('on a timeout: SIGTERM, SIGKILL after the grace time for a program that ignores it, and no group member left', async () => {
    // A member that ignores SIGTERM and outlives the leader (its output elsewhere) prints its pid first.
    const member = '(trap "" TERM; exec sleep 30 >/dev/null 2>&1) & echo $!;';
    const timedOut = async (leader: string) => {
      const started = Date.now();
      const result = await shell().run(['sh', '-c', `${leader} ${member} sleep 30`], {
        timeoutMs: 200,
        allowFailure: true,
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const pid = Number(result.stdout.trim());
      expect(pid).toBeGreaterThan(1);
      // Gone, or a zombie waiting for init to reap it (its parent, the leader, was killed).
      const state = (() => {
        try {
          return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
        } catch {
          return 'gone';
        }
      })();
      return {
        result,
        elapsed: Date.now() - started,
        member: state === 'gone' || state === 'Z' ? 'ended' : state,
      };
    };
    // The leader ends on SIGTERM; the member that ignored it is killed when the leader is gone.
    const polite = await timedOut('');
    expect(polite.result).toMatchObject({ timedOut: true, signal: 'SIGTERM', failed: true });
    expect(polite.elapsed).toBeLessThan(1_900);
    expect(polite.member).toBe('ended');
    // The leader ignores SIGTERM too: SIGKILL after the 2 s grace time.
    const stubborn = await timedOut('trap "" TERM;');
    expect(stubborn.result).toMatchObject({ timedOut: true, signal: 'SIGKILL', failed: true });
    expect(stubborn.elapsed).toBeGreaterThanOrEqual(2_000);
    expect(stubborn.elapsed).toBeLessThan(8_000);
    expect(stubborn.member).toBe('ended');
  });

  it('sudo -n prefixes a program for a user other than root', async () => {
    const getuid = vi.spyOn(process, 'getuid').mockReturnValue(1000);
    try {
      const result = await shell(true).run(['systemctl', 'reload', 'bird'], { mutates: true, sudo: true });
      expect(result.argv).toEqual(['sudo', '-n', 'systemctl', 'reload', 'bird']);
      const plain = await shell(true).run(['systemctl', 'reload', 'bird'], { mutates: true });
      expect(plain.argv).toEqual(['systemctl', 'reload', 'bird']);
    } finally {
      getuid.mockRestore();
    }
  });
});
