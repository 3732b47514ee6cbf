import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CommandFailedError,
  FileStore,
  type Logger,
  RootSandbox,
  Shell,
  ValidationRejectedError,
} from '@ffphoton/core';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputInstaller } from './output-installer.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'icvpn-installer-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The log lines, as `level message`. */
function recordingLogger(lines: string[]): Logger {
  const at = (level: string) => (fields: unknown, message: string) =>
    lines.push(`${level} ${JSON.stringify(fields)} ${message}`);
  return { info: at('info'), warn: at('warn'), error: at('error') } as unknown as Logger;
}

function installer(lines: string[] = [], dryRun = false): OutputInstaller {
  return new OutputInstaller(
    new Shell({ dryRun, defaultTimeoutMs: 10_000 }),
    new FileStore(new RootSandbox(), { dryRun }),
    recordingLogger(lines),
  );
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('OutputInstaller.validate', () => {
  const target = path.join(tmp, 'etc', 'peers.conf');

  it('no validator: off, nothing run', async () => {
    expect(await installer().validate({ target, content: 'x', validateIsDefault: true })).toBe('off');
  });

  it('a default validator that is not installed: skipped with a warning naming it and the file', async () => {
    const lines: string[] = [];
    const validated = await installer(lines).validate({
      target,
      content: 'x',
      validate: ['photon-no-such-checker', '{file}'],
      validateIsDefault: true,
    });
    expect(validated).toBe('skipped');
    expect(lines).toEqual([
      `warn {"target":${JSON.stringify(target)}} photon-no-such-checker is not installed; ${target} not validated`,
    ]);
    // Without a logger the same is quiet.
    const quiet = new OutputInstaller(
      new Shell({ dryRun: false, defaultTimeoutMs: 10_000 }),
      new FileStore(new RootSandbox(), { dryRun: false }),
    );
    expect(
      await quiet.validate({
        target,
        content: 'x',
        validate: ['photon-no-such-checker'],
        validateIsDefault: true,
      }),
    ).toBe('skipped');
  });

  it('a configured validator that is not installed fails the run instead', async () => {
    const error = await rejection(
      installer().validate({
        target,
        content: 'x',
        validate: ['photon-no-such-checker'],
        validateIsDefault: false,
      }),
    );
    expect(error).toBeInstanceOf(CommandFailedError);
  });

  it('passes the candidate and the wrapper (with the candidate path filled in) as scratch files', async () => {
    // Succeeds only if {file} holds the content and {config} the wrapper around {file}.
    const script =
      'test "$(cat "$1")" = "protocol x" && test "$(cat "$2")" = "include \\"$1\\"; again $1" && test "$3" = icvpn';
    const validated = await installer().validate({
      target,
      content: 'protocol x',
      validate: ['/bin/sh', '-c', script, 'sh', '{file}', '{config}', '{network}'],
      validateIsDefault: false,
      wrapper: 'include "{file}"; again {file}',
      values: { network: 'icvpn' },
    });
    expect(validated).toBe('passed');
  });

  it('a rejection keeps the target untouched and reports the validator output, scratch paths hidden', async () => {
    const error = await rejection(
      installer().validate({
        target,
        content: 'protocol y',
        // Without a wrapper the config is the candidate itself.
        validate: [
          '/bin/sh',
          '-c',
          'echo "$(basename "$1"): $(cat "$2")"; echo "in $1" >&2; exit 1',
          'sh',
          '{file}',
          '{config}',
        ],
        validateIsDefault: true,
      }),
    );
    expect(error).toBeInstanceOf(ValidationRejectedError);
    const rejected = error as ValidationRejectedError;
    expect(rejected.message).toBe(
      `${target}: /bin/sh rejected the generated file, the old file was kept: peers.conf: protocol y | in <candidate>/peers.conf`,
    );
    expect(rejected.exitCode).toBe(3);
    expect(() => statSync(target)).toThrow();
  });
});

describe('OutputInstaller.write', () => {
  it('writes only a changed file and says so; dry-run writes nothing but reports the change', async () => {
    const target = path.join(tmp, 'out', 'roa.conf');
    const lines: string[] = [];
    expect(await installer(lines, true).write({ target, content: 'a\n' }, 'passed')).toEqual({
      target,
      changed: true,
      validated: 'passed',
    });
    expect(() => statSync(target)).toThrow();
    expect(await installer(lines).write({ target, content: 'a\n' }, 'skipped')).toEqual({
      target,
      changed: true,
      validated: 'skipped',
    });
    expect(readFileSync(target, 'utf8')).toBe('a\n');
    expect(await installer(lines).write({ target, content: 'a\n' }, 'off')).toEqual({
      target,
      changed: false,
      validated: 'off',
    });
    const fields = (changed: boolean) => JSON.stringify({ target, changed });
    expect(lines).toEqual([
      `info ${fields(true)} ${target}: updated`,
      `info ${fields(true)} ${target}: updated`,
      `info ${fields(false)} ${target}: unchanged`,
    ]);
  });
});
