import {
  changeDone,
  type FileStore,
  fillArgvTemplate,
  type GitService,
  type Logger,
  PartialFailureError,
  PhotonError,
  type Shell,
  ValidationRejectedError,
} from '@ffphoton/core';
import type { IcvpnSettings, OutputSpec } from '../settings.js';
import { formatProblem } from './community.js';
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
  rejected: string[];
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

  async run(settings: IcvpnSettings, request: UpdateRequest): Promise<UpdateResult> {
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
    for (const p of loaded.problems)
      this.logger?.warn({ community: p.community, key: p.key }, formatProblem(p));
    if (needsMeta && loaded.communities.length === 0) {
      throw new PhotonError(
        `no valid community in ${request.metaDir ?? settings.meta.dir}; nothing was written`,
      );
    }

    const installer = new OutputInstaller(this.shell, this.files, this.logger);
    const outputs: OutputResult[] = [];
    const problems = loaded.problems.map(formatProblem);
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
      problems.push(...b.problems.map(formatProblem));
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

    const result: UpdateResult = {
      repositories,
      communities: loaded.communities.length,
      rejected: loaded.rejected,
      problems,
      outputs,
      reloads: [...reloads.values()],
    };
    if (firstRejection) throw firstRejection;
    if (loaded.rejected.length > 0) {
      throw new PartialFailureError(
        `${loaded.rejected.length} community file(s) left out: ${loaded.rejected.map((n) => JSON.stringify(n)).join(', ')}`,
        problems,
        result,
      );
    }
    return result;
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

/** Why a tinc output must not replace the old file, or undefined when it may. */
function tincRefusal(b: BuiltOutput): string | undefined {
  if (b.spec.kind !== 'tinc') return undefined;
  const fatal = b.problems.find((p) => p.severity === 'error');
  if (fatal) return formatProblem(fatal);
  return b.entries === 0 ? 'no metanode with an Address' : undefined;
}

export function summarizeUpdate(r: UpdateResult, dryRun: boolean): string {
  const changed = r.outputs.filter((o) => o.changed).length;
  return `icvpn: ${r.communities} communities, ${r.outputs.length} output(s), ${changed} ${changeDone('change', dryRun)}, ${r.reloads.length} reload(s)${r.rejected.length ? `, ${r.rejected.length} rejected` : ''}`;
}
