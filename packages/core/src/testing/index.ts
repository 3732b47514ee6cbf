import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// The package itself, not '../index.js': a published plugin's commands load the bundle
// (dist/bundle), and these helpers must drive the same copy of oclif, not the unbundled dist.
import {
  Config,
  captureStdout,
  isPartial,
  type PartialOutcome,
  stringifyYaml,
  type TaskOutcome,
  type TaskOutput,
} from '@ffphoton/core';

/**
 * Test helpers for plugin authors: `@ffphoton/core/testing`. Not part of the runtime bundle.
 */
export interface CommandRun<R> {
  output: TaskOutput<R>;
  exitCode: number;
  /** Everything the command printed on stdout (tables, JSON). */
  stdout: string;
}

/** The result of a task that did all its work; a partial outcome fails the test, naming its problems. */
export function completeResult<R>(outcome: TaskOutcome<R>): R {
  if (isPartial(outcome))
    throw new Error(`a partial outcome: ${outcome.message}: ${outcome.problems.join('; ')}`);
  return outcome;
}

/** The outcome of a task that refused some inputs; a complete result fails the test. */
export function partialOutcome<R>(outcome: TaskOutcome<R>): PartialOutcome<R> {
  if (!isPartial(outcome))
    throw new Error(`a complete result, not a partial outcome: ${JSON.stringify(outcome)}`);
  return outcome;
}

/** Polls `probe` until it returns a value (a daemon's socket, a log line …) or the time is up. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 60_000, intervalMs = 250 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A fresh directory under the system's temp dir. */
export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `photon-${prefix}-`));
}

/** Runs git in `cwd` with a fixed identity (for seeding test repositories); returns stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    // git's advice ("cloned an empty repository") is noise in a test run; a failure still
    // carries stderr in the thrown error.
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@x',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@x',
    },
  });
}

/** Writes a settings file into `dir` and returns its path (for `--config`). */
export function writeSettings(dir: string, settings: Record<string, unknown>): string {
  const file = path.join(dir, `photon-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, stringifyYaml(settings));
  return file;
}

export interface CommandRunnerOptions {
  /**
   * Isolated from the host (default true): a run whose argv has no `--root` gets a fresh
   * temporary `--root`, so the host's /etc/photon/photon.yaml, ~/.config/photon/photon.yaml,
   * journal and locks are never read or written. `--config FILE` is read from the host either way.
   * PHOTON_<NAMESPACE>__<KEY> variables of the test's environment still apply.
   */
  isolated?: boolean;
}

/**
 * A `runCommand(CommandClass, argv)` that runs a command the way the photon binary does (oclif
 * parsing, hooks, TaskRunner) with an oclif config loaded from `root` (a plugin's directory, or
 * a stand-in root that declares the plugins and hooks a test needs), capturing stdout.
 */
export function commandRunner(root: string, { isolated = true }: CommandRunnerOptions = {}) {
  let config: Promise<Config> | undefined;
  return async function runCommand<R>(
    command: { run(argv: string[], config: Config): Promise<unknown> },
    argv: string[],
  ): Promise<CommandRun<R>> {
    config ??= loadTestConfig(root);
    const loaded = await config;
    if (isolated && !argv.some((arg) => arg === '--root' || arg.startsWith('--root='))) {
      argv = ['--root', tempDir('command-root'), ...argv];
    }
    const lines: string[] = [];
    // TaskCommand prints through writeStdout, oclif's own output goes through console.log (which
    // vitest intercepts), and oclif sets process.exitCode on errors: all restored below.
    const log = console.log;
    const exitCode = process.exitCode;
    console.log = (...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    };
    captureStdout((text) => {
      lines.push(text.replace(/\n$/, ''));
    });
    try {
      // With --json a failed run is printed, not thrown.
      const output =
        ((await command.run(argv, loaded)) as TaskOutput<R> | undefined) ?? JSON.parse(lines.join('\n'));
      return { output, exitCode: output.exitCode, stdout: lines.join('\n') };
    } catch (error) {
      const output = (error as { output?: TaskOutput<R> }).output;
      if (!output) throw error;
      return { output, exitCode: output.exitCode, stdout: lines.join('\n') };
    } finally {
      console.log = log;
      captureStdout(undefined);
      process.exitCode = exitCode;
    }
  };
}

/**
 * oclif's config for `root` without its command directory: a test hands runCommand the command
 * class itself, and oclif indexing the commands would import the built files, whose import of
 * '@ffphoton/core' resolves to TypeScript source under vitest's conditions (a warning for each).
 */
async function loadTestConfig(root: string): Promise<Config> {
  const pjson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const { commands: _commands, ...oclif } = pjson.oclif ?? {};
  return Config.load({ root, pjson: { ...pjson, oclif } });
}
