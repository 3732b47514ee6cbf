import { Args, type Command, Flags, TaskCommand, type TaskContext, type TaskOutcome } from '@ffphoton/core';
import { icvpnSettings, type OutputSpec } from '../settings.js';
import { IcvpnUpdate, summarizeUpdate, type UpdateResult } from './icvpn-update.js';
import { selectOutputs } from './output-selection.js';

/** Flags and argument every single-kind command (bgp, roa, dns, tinc) shares. */
export const outputFlags = {
  print: Flags.boolean({
    summary: 'Print the generated file(s) to stdout; install and reload nothing.',
    default: false,
  }),
  target: Flags.string({ summary: 'Install into this file instead of the configured outputs of this kind.' }),
  exclude: Flags.string({
    char: 'x',
    summary: 'Leave out this community (repeatable; comma lists work too).',
    multiple: true,
    multipleNonGreedy: true,
  }),
};

export const metaDirArg = {
  dir: Args.string({
    description: 'icvpn-meta directory to read instead of the configured checkout (not pulled)',
  }),
};

/** With --print, the generated text is the command's stdout (like mkbgp/mkroa/mkdns). */
export function renderPrinted(result: UpdateResult): string[] {
  return result.outputs.flatMap((o) => (o.content === undefined ? [] : [o.content.replace(/\n$/, '')]));
}

/** The shared flags as every subclass has them (tinc has no --exclude). */
interface OutputFlags {
  print: boolean;
  target?: string;
  exclude?: string[];
}

/**
 * Base of the one-output commands (bgp, roa, dns, tinc): same settings, pipeline, summary and
 * output. A subclass names its `kind` and turns its option flags into settings keys.
 */
export abstract class IcvpnOutputCommand<T extends typeof Command> extends TaskCommand<T, UpdateResult> {
  static override settings = [icvpnSettings];
  static kind: OutputSpec['kind'];

  /** The option flags as settings keys of an ad-hoc output (undefined: not given). */
  protected abstract options(): Record<string, unknown>;

  /** Runs the selected outputs of this kind through the shared update pipeline. */
  protected execute(ctx: TaskContext): Promise<TaskOutcome<UpdateResult>> {
    const { kind } = this.constructor as typeof IcvpnOutputCommand;
    const flags = this.flags as OutputFlags;
    const { dir } = this.args as { dir?: string };
    const settings = ctx.settings.get(icvpnSettings);
    const effective = { ...settings, exclude: [...settings.exclude, ...(flags.exclude ?? [])] };
    if (kind === 'tinc' && dir) effective.tinc = { ...settings.tinc, dir, remote: undefined };
    const outputs = selectOutputs(effective, kind, this.options(), flags.target, flags.print);
    return new IcvpnUpdate(ctx.shell, ctx.files, ctx.git, ctx.logger).run(effective, {
      outputs,
      print: flags.print,
      metaDir: kind === 'tinc' ? undefined : dir,
    });
  }

  protected summarize(result: UpdateResult): string {
    return summarizeUpdate(result, this.flags['dry-run']);
  }

  protected override render(result: UpdateResult): string[] {
    return renderPrinted(result);
  }
}
