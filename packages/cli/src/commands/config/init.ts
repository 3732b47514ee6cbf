import { Flags, loadAllNamespaces, TaskCommand, type TaskContext, UsageError } from '@ffphoton/core';
import { starterConfig } from '../../services/starter-config.js';

interface InitResult {
  path: string;
  written: boolean;
}

export default class ConfigInit extends TaskCommand<typeof ConfigInit, InitResult> {
  static override summary =
    'Write a commented starter photon.yaml (every namespace, defaults commented out).';
  static override flags = {
    out: Flags.string({ summary: 'Where to write it', default: '/etc/photon/photon.yaml' }),
    force: Flags.boolean({ summary: 'Overwrite an existing file (a backup is kept)', default: false }),
  };

  protected async execute(ctx: TaskContext): Promise<InitResult> {
    const target = this.flags.out;
    const exists = await ctx.files.exists(target);
    if (exists && !this.flags.force)
      throw new UsageError(`${target} exists; use --force to replace it (a backup is kept)`);
    const text = starterConfig(await loadAllNamespaces(this.config));
    const { changed } = await ctx.files.writeIfChanged(target, text, { backup: exists, mode: 0o640 });
    return { path: target, written: changed };
  }

  protected summarize(result: InitResult): string {
    return result.written
      ? `config init: ${this.did('write')} ${result.path}`
      : `config init: ${result.path} already up to date`;
  }
}
