import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TaskOutput } from '@ffphoton/core';
import { Config } from '@ffphoton/core';
import YAML from 'yaml';

const pluginRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let config: Config | undefined;

export interface CommandRun<R> {
  output: TaskOutput<R>;
  exitCode: number;
  stdout: string;
}

/** Writes a settings file and returns its path. */
export function writeSettings(dir: string, name: string, settings: Record<string, unknown>): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, YAML.stringify(settings));
  return file;
}

/** Runs a command class the way the photon binary does (oclif parse, TaskRunner), capturing stdout. */
export async function runCommand<R>(
  command: { run(argv: string[], config: Config): Promise<unknown> },
  argv: string[],
): Promise<CommandRun<R>> {
  config ??= await Config.load(pluginRoot);
  let stdout = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  }) as typeof process.stdout.write;
  // oclif's ux.stdout prints through console.log, which vitest intercepts.
  const log = console.log;
  console.log = (...args: unknown[]) => {
    stdout += `${args.map(String).join(' ')}\n`;
  };
  try {
    // With --json, oclif prints a failed run's envelope instead of throwing: read it back.
    const output = ((await command.run(argv, config)) ?? JSON.parse(stdout)) as TaskOutput<R>;
    return { output, exitCode: output.exitCode, stdout };
  } catch (error) {
    const output = (error as { output?: TaskOutput<R> }).output;
    if (!output) throw error;
    return { output, exitCode: output.exitCode, stdout };
  } finally {
    process.stdout.write = write;
    console.log = log;
    // oclif sets the exit code of a failed run on the test process itself.
    process.exitCode = undefined;
  }
}
