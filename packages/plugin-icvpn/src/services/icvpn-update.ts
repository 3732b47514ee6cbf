import {
  changeDone,
  type FileStore,
  fillArgvTemplate,
  type GitService,
  type Logger,
  PhotonError,
  partial,
  type Shell,
  type TaskOutcome,
  ValidationRejectedError,
} from '@ffphoton/core';
import type { IcvpnSettings, OutputSpec } from '../settings.js';
import { formatProblem, type OutputKind, type Problem } from './community.js';
import type { ValidationResult } from './community-validator.js';
import { type CheckoutResult, GitCheckout } from './git-checkout.js';
import { type BuiltOutput, buildOutput } from './output-builder.js';
import { OutputInstaller } from './output-installer.js';

export interface OutputResult {
  kind: OutputSpec['kind'];
  target: string;
  entries: number;
  changed: boolean;
  validated: 'passed' | 'skipped' | 'off' | 'rejected';
  /** The generated text (only with `print`). */
  content?: string;
}

export interface UpdateResult {
  repositories: CheckoutResult[];
  communities: number;
  /** Communities left out of every output (unusable file name or document). */
  rejected: string[];
  /** Per community with an error: the outputs it lost some or all of its entries in. */
  leftOut: Record<string, OutputKind[]>;
  problems: string[];
  outputs: OutputResult[];
  /** Reload commands run (or, in dry-run, that would run), each once. */
  reloads: string[][];
}

export interface UpdateRequest {
  outputs: readonly OutputSpec[];
  /** Render only, install nothing, reload nothing. */
  print?: boolean;
  /** Read this icvpn-meta directory instead of the configured checkout (no pull). */
  metaDir?: string;
}

/**
 * One icvpn run: pull the repositories, read and validate icvpn-meta once, then render,
 * validate, install and reload every requested output. Reloads run once per distinct
 * command and only for outputs that changed.
 */
export class IcvpnUpdate {
  constructor(
    private readonly shell: Shell,
    private readonly files: FileStore,
    private readonly git: GitService,
    private readonly logger?: Logger,
  ) {}

  async run(settings: IcvpnSettings, request: UpdateRequest): Promise<TaskOutcome<UpdateResult>> {
    // Every path checked against the sandbox first: a bad third target must fail the run
    // before the first two were installed (or anything was pulled).
    const paths = [
      ...(request.print ? [] : request.outputs.map((o) => o.target)),
      request.metaDir ?? settings.meta.dir,
      settings.tinc.dir,
    ];
    for (const p of paths) this.files.resolve(p);
    const needsMeta = request.outputs.some((o) => o.kind !== 'tinc');
    const needsTinc = request.outputs.some((o) => o.kind === 'tinc');
    const repositories: CheckoutResult[] = [];
    if (settings.pull && !request.print) {
      const git = new GitCheckout(this.git);
      const specs = [
        ...(needsMeta && !request.metaDir ? [settings.meta] : []),
        ...(needsTinc ? [settings.tinc] : []),
      ];
      // Two independent remotes: fetch them at the same time.
      repositories.push(...(await Promise.all(specs.map((spec) => git.update(spec)))));
    }
    const loaded = needsMeta
      ? await this.loadMeta(settings, request.metaDir ?? settings.meta.dir)
      : { communities: [], problems: [], rejected: [] };
    if (needsMeta && loaded.communities.length === 0) {
      throw new PhotonError(
        `no valid community in ${request.metaDir ?? settings.meta.dir}; nothing was written`,
      );
    }

    const installer = new OutputInstaller(this.shell, this.files, this.logger);
    const outputs: OutputResult[] = [];
    const found: Problem[] = [...loaded.problems];
    const reloads = new Map<string, string[]>();
    let firstRejection: ValidationRejectedError | undefined;
    const context = {
      files: this.files,
      communities: loaded.communities,
      tincDir: settings.tinc.dir,
      nodeName: settings.nodeName,
    };
    const values = { network: settings.tinc.network };
    // Rendering is quick; the validators are processes of their own (bird -p, named-checkconf …):
    // start them all at once, then install in the configured order.
    const built = await Promise.all(request.outputs.map((spec) => buildOutput(spec, context)));
    const checks = built.map((b) =>
      request.print || tincRefusal(b)
        ? undefined
        : installer.validate({ ...b, target: b.spec.target, values }).then(
            (validated) => ({ validated }),
            (error: unknown) => ({ error }),
          ),
    );
    for (const [i, b] of built.entries()) {
      const { spec } = b;
      found.push(...b.problems);
      const base = { kind: spec.kind, target: spec.target, entries: b.entries };
      if (request.print) {
        outputs.push({ ...base, changed: false, validated: 'off', content: b.content });
        continue;
      }
      const check = await checks[i];
      if (!check) {
        // An empty ConnectTo list would cut this gateway off the ICVPN: keep the old file.
        firstRejection ??= new ValidationRejectedError(
          `${spec.target}: ${tincRefusal(b)}; the old file was kept`,
          spec.target,
          '',
        );
        outputs.push({ ...base, changed: false, validated: 'rejected' });
        continue;
      }
      if ('error' in check) {
        if (!(check.error instanceof ValidationRejectedError)) throw check.error;
        this.logger?.error({ target: spec.target }, check.error.message);
        firstRejection ??= check.error;
        outputs.push({ ...base, changed: false, validated: 'rejected' });
        continue;
      }
      const installed = await installer.write({ ...b, target: spec.target }, check.validated);
      outputs.push({ ...base, changed: installed.changed, validated: installed.validated });
      if (installed.changed && b.reload) {
        const argv = fillArgvTemplate(b.reload, values);
        reloads.set(JSON.stringify(argv), argv);
      }
    }
    for (const argv of reloads.values()) await this.shell.run(argv, { mutates: true });

    // Two outputs of a kind (e.g. dnsmasq v4 and v6) find the same problem: say it once.
    const unique = new Map<string, Problem>();
    for (const p of found) if (!unique.has(formatProblem(p))) unique.set(formatProblem(p), p);
    // Errors go out once, with the partial outcome (the task runner logs its problems);
    // they are logged here only when a rejected file ends the run with another error.
    for (const [line, p] of unique)
      if (p.severity === 'warning' || firstRejection)
        this.logger?.warn({ community: p.community, key: p.key }, line);
    const problems = [...unique.keys()];
    const leftOut = leftOutByCommunity(found);
    const result: UpdateResult = {
      repositories,
      communities: loaded.communities.length,
      rejected: loaded.rejected,
      leftOut,
      problems,
      outputs,
      reloads: [...reloads.values()],
    };
    if (firstRejection) throw firstRejection;
    const names = Object.keys(leftOut);
    if (names.length === 0 && !found.some((p) => p.severity === 'error')) return result;
    const lost = names.map((n) => `${JSON.stringify(n)} (${leftOut[n].join(', ')})`).join(', ');
    return partial(
      result,
      problems,
      `entries were left out${lost ? ` of ${names.length} communit${names.length === 1 ? 'y' : 'ies'}: ${lost}` : ''}`,
    );
  }

  /** Imported here, not at the top: `icvpn tinc` reads no community file. */
  private async loadMeta(settings: IcvpnSettings, dir: string): Promise<ValidationResult> {
    const [{ loadCommunities }, { parseExcludes }] = await Promise.all([
      import('./meta-loader.js'),
      import('./exclude-list.js'),
    ]);
    return loadCommunities(this.files, dir, {
      exclude: parseExcludes(settings.exclude),
      allowLinkLocal: settings.allowLinkLocal,
      maxFileBytes: settings.maxFileBytes,
    });
  }
}

/** The outputs each community lost entries in, from the errors found. */
function leftOutByCommunity(problems: readonly Problem[]): Record<string, OutputKind[]> {
  const kinds = new Map<string, Set<OutputKind>>();
  for (const p of problems) {
    if (p.severity !== 'error' || !p.leftOut) continue;
    const set = kinds.get(p.community) ?? new Set();
    for (const kind of p.leftOut) set.add(kind);
    kinds.set(p.community, set);
  }
  return Object.fromEntries(
    [...kinds].map(([name, set]) => [name, (['bgp', 'roa', 'dns'] as const).filter((k) => set.has(k))]),
  );
}

/**
 * Why a tinc output must not replace the old file, or undefined when it may: an empty
 * ConnectTo list would cut this gateway off the ICVPN. A bad entry only loses its own line.
 */
function tincRefusal(b: BuiltOutput): string | undefined {
  if (b.spec.kind !== 'tinc' || b.entries > 0) return undefined;
  const fatal = b.problems.find((p) => p.severity === 'error' && p.key === 'metanodes');
  return fatal ? formatProblem(fatal) : 'no metanode with an Address';
}

export function summarizeUpdate(r: UpdateResult, dryRun: boolean): string {
  const changed = r.outputs.filter((o) => o.changed).length;
  const partly = Object.keys(r.leftOut).filter((n) => !r.rejected.includes(n)).length;
  return `icvpn: ${r.communities} communities, ${r.outputs.length} output(s), ${changed} ${changeDone('change', dryRun)}, ${r.reloads.length} reload(s)${r.rejected.length ? `, ${r.rejected.length} rejected` : ''}${partly ? `, ${partly} partly left out` : ''}`;
}
