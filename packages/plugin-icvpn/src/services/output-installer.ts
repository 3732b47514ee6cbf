import { promises as fsp } from 'node:fs';
import path from 'node:path';
import {
  type FileStore,
  fillArgvTemplate,
  findProgram,
  type Logger,
  lastLines,
  type Shell,
  ValidationRejectedError,
  withScratchDir,
} from '@ffphoton/core';

/** A generated file ready to be checked and installed. */
export interface Candidate {
  target: string;
  content: string;
  /** Validator argv (`{file}`, `{config}` …), or undefined for none. */
  validate?: readonly string[];
  /** True when `validate` is the kind's default: skipped with a warning if the tool is not installed. */
  validateIsDefault: boolean;
  /** Minimal config for the validator; `{file}` inside it is replaced by the candidate's path. */
  wrapper?: string;
  /** Extra placeholders for the argv templates. */
  values?: Record<string, string>;
}

export interface InstallResult {
  target: string;
  changed: boolean;
  validated: 'passed' | 'skipped' | 'off';
}

/**
 * Validate-then-install: the candidate is checked by the real tool in a scratch directory
 * and replaces the old file atomically only if it passed and differs.
 */
export class OutputInstaller {
  constructor(
    private readonly shell: Shell,
    private readonly files: FileStore,
    private readonly logger?: Logger,
  ) {}

  /** Installs a candidate that `validate` passed (atomically, only if it differs). */
  async write(
    candidate: Pick<Candidate, 'target' | 'content'>,
    validated: InstallResult['validated'],
  ): Promise<InstallResult> {
    const { changed } = await this.files.writeIfChanged(candidate.target, candidate.content);
    this.logger?.info(
      { target: candidate.target, changed },
      `${candidate.target}: ${changed ? 'updated' : 'unchanged'}`,
    );
    return { target: candidate.target, changed, validated };
  }

  /** Runs the validator on a scratch copy; throws ValidationRejectedError when it fails. */
  async validate(candidate: Candidate): Promise<InstallResult['validated']> {
    const validator = candidate.validate;
    if (!validator) return 'off';
    // Resolved here so cron's minimal PATH still finds /usr/sbin/bird and friends.
    const program = await findProgram(validator[0]);
    if (candidate.validateIsDefault && !program) {
      this.logger?.warn(
        { target: candidate.target },
        `${validator[0]} is not installed; ${candidate.target} not validated`,
      );
      return 'skipped';
    }
    // Scratch files: the candidate never touches the target directory before it passed.
    return withScratchDir('icvpn', async (scratch): Promise<InstallResult['validated']> => {
      const file = path.join(scratch, path.basename(candidate.target));
      await fsp.writeFile(file, candidate.content);
      const config = path.join(scratch, 'validate.conf');
      await fsp.writeFile(config, (candidate.wrapper ?? candidate.content).replaceAll('{file}', file));
      const argv = fillArgvTemplate([program ?? validator[0], ...validator.slice(1)], {
        ...candidate.values,
        file,
        config,
      });
      const result = await this.shell.runValidator(argv);
      if (result.failed) {
        const output = `${result.stdout}${result.stderr}`.replaceAll(scratch, '<candidate>').trim();
        throw new ValidationRejectedError(
          `${candidate.target}: ${validator[0]} rejected the generated file, the old file was kept: ${lastLines(output)}`,
          candidate.target,
          output,
        );
      }
      return 'passed';
    });
  }
}
