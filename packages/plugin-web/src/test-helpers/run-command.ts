import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, Config, stringifyYaml, type TaskOutput } from '@ffphoton/core';

/** A stand-in oclif root that declares the web and fastd namespaces and test `photon:status` hooks. */
const hostRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-data/host');
let config: Config | undefined;

export interface CommandRun<R> {
  output: TaskOutput<R>;
  exitCode: number;
  stdout: string;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `photon-web-${prefix}-`));
}

export function writeSettings(dir: string, settings: Record<string, unknown>): string {
  const file = path.join(dir, `photon-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, stringifyYaml(settings));
  return file;
}

/** Runs a command class the way the photon binary does (oclif parse, TaskRunner, hooks), capturing stdout. */
export async function runCommand<R>(command: typeof Command, argv: string[]): Promise<CommandRun<R>> {
  config ??= await Config.load(hostRoot);
  let stdout = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  }) as typeof process.stdout.write;
  // oclif prints through console.log, which vitest intercepts before process.stdout.
  const log = console.log;
  console.log = (...args: unknown[]) => {
    stdout += `${args.join(' ')}\n`;
  };
  const exitCode = process.exitCode;
  try {
    // With --json oclif prints a failure as JSON instead of throwing it.
    const output = ((await command.run(argv, config)) as TaskOutput<R> | undefined) ?? JSON.parse(stdout);
    return { output, exitCode: output.exitCode, stdout };
  } catch (error) {
    const output = (error as { output?: TaskOutput<R> }).output;
    if (!output) throw error;
    return { output, exitCode: output.exitCode, stdout };
  } finally {
    process.stdout.write = write;
    console.log = log;
    // oclif sets the process exit code on failure; the test process must not inherit it.
    process.exitCode = exitCode;
  }
}
