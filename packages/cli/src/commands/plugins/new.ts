import path from 'node:path';
import { Args, Flags, TaskCommand, type TaskContext } from '@ffphoton/core';
import { runningCoreRoot } from '../../services/plugins/plugin-home.js';
import { starterFiles, starterNames, writeStarter } from '../../services/plugins/plugin-starter.js';

interface NewPluginResult {
  name: string;
  dir: string;
  files: string[];
}

export default class PluginsNew extends TaskCommand<typeof PluginsNew, NewPluginResult> {
  static override summary =
    'Write a new plugin package: a task command with settings, a service, tests, a README.';
  static override description =
    'A standalone npm package (its own tsconfig and vitest config, @ffphoton/core as peer and dev dependency): ' +
    '`npm install && npm test && npm pack` work in it, and `photon plugins install` takes the packed result. ' +
    'Exit 2 for a bad name or a --dir that is not empty.';
  static override examples = [
    '<%= config.bin %> plugins new photon-plugin-barcheck',
    '<%= config.bin %> plugins new photon-plugin-barcheck --dir ~/src/barcheck',
  ];
  static override args = {
    name: Args.string({ description: 'npm package name, e.g. photon-plugin-barcheck', required: true }),
  };
  static override flags = {
    dir: Flags.string({ summary: 'Where to write it (default: ./NAME)' }),
  };
  // Writes only a new directory the user names: nothing to lock or journal.
  static override readOnly = true;

  protected async execute(ctx: TaskContext): Promise<NewPluginResult> {
    const names = starterNames(this.args.name);
    const dir = path.resolve(this.flags.dir ?? names.name.replace(/^@[^/]+\//, ''));
    const { version } = runningCoreRoot(this.config.root);
    const starter = await starterFiles(names, version, path.join(this.config.root, 'starter'));
    const files = await writeStarter(ctx.files, dir, starter);
    return { name: names.name, dir, files };
  }

  protected summarize(result: NewPluginResult): string {
    return `plugins new: ${this.did('write')} ${result.name} to ${result.dir} (${result.files.length} files); next: cd ${result.dir} && npm install && npm test`;
  }

  protected override render(result: NewPluginResult): string[] {
    return [this.summarize(result)];
  }
}
