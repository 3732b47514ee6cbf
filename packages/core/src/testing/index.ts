import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// The package itself, not '../index.js': a published plugin's commands load the bundle
// (dist/bundle), and these helpers must drive the same copy of oclif, not the unbundled dist.
import { Config, captureStdout, stringifyYaml, type TaskOutput } from '@ffphoton/core';

/**
 * Test helpers for plugin authors: `@ffphoton/core/testing`. Not part of the runtime bundle.
 */
export interface CommandRun<R> {
  output: TaskOutput<R>;
  exitCode: number;
  /** Everything the command printed on stdout (tables, JSON). */
  stdout: string;
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

/**
 * A `runCommand(CommandClass, argv)` that runs a command the way the photon binary does (oclif
 * parsing, hooks, TaskRunner) with an oclif config loaded from `root` (a plugin's directory, or
 * a stand-in root that declares the plugins and hooks a test needs), capturing stdout.
 */
export function commandRunner(root: string) {
  let config: Promise<Config> | undefined;
  return async function runCommand<R>(
    command: { run(argv: string[], config: Config): Promise<unknown> },
    argv: string[],
  ): Promise<CommandRun<R>> {
    config ??= loadTestConfig(root);
    const loaded = await config;
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
