import {
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
import { parseExcludes } from './exclude-list.js';
import { type CheckoutResult, GitCheckout } from './git-checkout.js';
import { loadCommunities } from './meta-loader.js';
import { buildOutput } from './output-builder.js';
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
      if (needsMeta && !request.metaDir) repositories.push(await git.update(settings.meta));
      if (needsTinc) repositories.push(await git.update(settings.tinc));
    }
    const loaded = needsMeta
      ? await loadCommunities(this.files, request.metaDir ?? settings.meta.dir, {
          exclude: parseExcludes(settings.exclude),
          allowLinkLocal: settings.allowLinkLocal,
          maxFileBytes: settings.maxFileBytes,
        })
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
    for (const spec of request.outputs) {
      const built = await buildOutput(spec, {
        files: this.files,
        communities: loaded.communities,
        tincDir: settings.tinc.dir,
        nodeName: settings.nodeName,
      });
      problems.push(...built.problems.map(formatProblem));
      const base = { kind: spec.kind, target: spec.target, entries: built.entries };
      if (request.print) {
        outputs.push({ ...base, changed: false, validated: 'off', content: built.content });
        continue;
      }
      const fatal = built.problems.find((p) => p.severity === 'error');
      if (spec.kind === 'tinc' && (fatal || built.entries === 0)) {
        // An empty ConnectTo list would cut this gateway off the ICVPN: keep the old file.
        firstRejection ??= new ValidationRejectedError(
          `${spec.target}: ${fatal ? formatProblem(fatal) : 'no metanode with an Address'}; the old file was kept`,
          spec.target,
          '',
        );
        outputs.push({ ...base, changed: false, validated: 'rejected' });
        continue;
      }
      const values = { network: settings.tinc.network };
      try {
        const installed = await installer.install({ ...built, target: spec.target, values });
        outputs.push({ ...base, changed: installed.changed, validated: installed.validated });
        if (installed.changed && built.reload) {
          const argv = fillArgvTemplate(built.reload, values);
          reloads.set(JSON.stringify(argv), argv);
        }
      } catch (error) {
        if (!(error instanceof ValidationRejectedError)) throw error;
        this.logger?.error({ target: spec.target }, error.message);
        firstRejection ??= error;
        outputs.push({ ...base, changed: false, validated: 'rejected' });
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
}

export function summarizeUpdate(r: UpdateResult): string {
  const changed = r.outputs.filter((o) => o.changed).length;
  return `icvpn: ${r.communities} communities, ${r.outputs.length} output(s), ${changed} changed, ${r.reloads.length} reload(s)${r.rejected.length ? `, ${r.rejected.length} rejected` : ''}`;
}
