import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, Config, stringifyYaml, type TaskOutput } from '@ffphoton/core';

const pluginRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let config: Config | undefined;

export interface CommandRun<R> {
  output: TaskOutput<R>;
  exitCode: number;
  stdout: string;
}

/** Writes a settings file (photon + fastd namespaces) and returns its path. */
export function writeSettings(dir: string, settings: Record<string, unknown>): string {
  const file = path.join(dir, `photon-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, stringifyYaml(settings));
  return file;
}

/** Runs a command class the way the photon binary does (oclif parse, TaskRunner), capturing stdout. */
export async function runCommand<R>(command: typeof Command, argv: string[]): Promise<CommandRun<R>> {
  config ??= await Config.load(pluginRoot);
  const lines: string[] = [];
  // oclif prints tables through console.log, TaskCommand writes JSON straight to process.stdout;
  // oclif also sets process.exitCode on errors.
  const log = console.log;
  const write = process.stdout.write;
  const exitCode = process.exitCode;
  console.log = (...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  };
  process.stdout.write = ((chunk: string | Uint8Array) => {
    lines.push(Buffer.from(chunk).toString('utf8').replace(/\n$/, ''));
    return true;
  }) as typeof process.stdout.write;
  try {
    let output = (await command.run(argv, config)) as TaskOutput<R> | undefined;
    // With --json a failed run is printed, not thrown.
    output ??= JSON.parse(lines.join('\n')) as TaskOutput<R>;
    return { output, exitCode: output.exitCode, stdout: lines.join('\n') };
  } catch (error) {
    const output = (error as { output?: TaskOutput<R> }).output;
    if (!output) throw error;
    return { output, exitCode: output.exitCode, stdout: lines.join('\n') };
  } finally {
    console.log = log;
    process.stdout.write = write;
    process.exitCode = exitCode;
  }
}
