import { Args, type Command, Flags, GitService, TaskCommand, type TaskContext } from '@ffphoton/core';
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

export interface KindRequest {
  kind: OutputSpec['kind'];
  options: Record<string, unknown>;
  target?: string;
  print: boolean;
  exclude?: string[];
  dir?: string;
}

/** Runs the selected outputs of one kind through the shared update pipeline. */
export function runKind(ctx: TaskContext, request: KindRequest): Promise<UpdateResult> {
  const settings = ctx.settings.get(icvpnSettings);
  const effective = { ...settings, exclude: [...settings.exclude, ...(request.exclude ?? [])] };
  if (request.kind === 'tinc' && request.dir)
    effective.tinc = { ...settings.tinc, dir: request.dir, remote: undefined };
  const outputs = selectOutputs(effective, request.kind, request.options, request.target, request.print);
  return new IcvpnUpdate(ctx.shell, ctx.files, ctx.container.resolve(GitService), ctx.logger).run(effective, {
    outputs,
    print: request.print,
    metaDir: request.kind === 'tinc' ? undefined : request.dir,
  });
}

/** With --print, the generated text is the command's stdout (like mkbgp/mkroa/mkdns). */
export function renderPrinted(result: UpdateResult): string[] {
  return result.outputs.flatMap((o) => (o.content === undefined ? [] : [o.content.replace(/\n$/, '')]));
}

/** Base of the one-output commands (bgp, roa, dns, tinc): same settings, summary and output. */
export abstract class IcvpnOutputCommand<T extends typeof Command> extends TaskCommand<T, UpdateResult> {
  static override settings = [icvpnSettings];

  protected summarize(result: UpdateResult): string {
    return summarizeUpdate(result);
  }

  protected override render(result: UpdateResult): string[] {
    return renderPrinted(result);
  }
}
