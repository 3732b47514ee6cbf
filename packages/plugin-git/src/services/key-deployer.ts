import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ConfigError,
  type FileStore,
  fillArgvTemplate,
  type GitService,
  type GitSettings,
  type Logger,
  readYamlTextIfExists,
  type Shell,
  ValidationRejectedError,
  withScratchDir,
} from '@ffphoton/core';
import { blobOf, planAuthorizedKeys } from './authorized-keys.js';
import { readKeyGroup } from './key-groups.js';

export interface DeployResult {
  group: string;
  authorizedKeys: string;
  added: string[];
  removed: string[];
  present: string[];
  changed: boolean;
  backup?: string;
}

type DeploySettings = GitSettings['deployKeys'];

/**
 * deploy_ssh_all: add a group's public keys from the configs repository to authorized_keys;
 * `prune` removes keys photon added for the group that left it. The new file is validated
 * and must hold at least one key, else the old one stays.
 */
export class KeyDeployer {
  constructor(
    private readonly shell: Shell,
    private readonly files: FileStore,
    private readonly git: GitService,
    private readonly logger?: Logger,
  ) {}

  async run(cfg: DeploySettings, group: string, prune: boolean): Promise<DeployResult> {
    if (!cfg.repository) throw new ConfigError('not configured', { keyPath: 'git.deployKeys.repository' });
    const { remote, dir, branch } = cfg.repository;
    // Not a mirror: snapshot may share this clone and commit to it.
    await this.git.update(remote, dir, { branch });
    const keyFile = path.posix.join(this.git.taskPath(dir), cfg.file);
    const text = readYamlTextIfExists(this.files, keyFile);
    if (text === undefined) throw new ConfigError('key file not found', { file: keyFile });
    const keys = readKeyGroup(text, keyFile, group);

    const target = this.git.taskPath(cfg.authorizedKeys);
    const current = (await this.files.readTextIfExists(target)) ?? '';
    const plan = planAuthorizedKeys(current, group, keys, prune);
    const result: DeployResult = {
      group,
      authorizedKeys: target,
      added: plan.added,
      removed: plan.removed,
      present: plan.present,
      changed: plan.text !== current,
    };
    if (!result.changed) return result;
    await this.validate(plan.text, cfg.validate);
    await this.files.mkdir(path.posix.dirname(target));
    result.backup = (await this.files.writeAtomic(target, plan.text, { backup: true, mode: 0o600 })).backup;
    this.logger?.info({ added: plan.added, removed: plan.removed }, `authorized_keys: ${group} deployed`);
    return result;
  }

  /** Never install an empty or unparsable file: every key line must be listed by the validator. */
  private async validate(text: string, validate: string[]): Promise<void> {
    const keyLines = text.split('\n').filter((line) => blobOf(line) !== undefined).length;
    if (keyLines === 0) {
      throw new ValidationRejectedError(
        'refusing to write an authorized_keys without any key',
        'authorized_keys',
        '',
      );
    }
    await withScratchDir('keys', async (dir) => {
      const candidate = path.join(dir, 'authorized_keys');
      await writeFile(candidate, text, { mode: 0o600 });
      const run = await this.shell.runValidator(fillArgvTemplate(validate, { file: candidate }));
      const listed = run.stdout.split('\n').filter((line) => line.trim()).length;
      if (run.failed || listed !== keyLines) {
        throw new ValidationRejectedError(
          `the new authorized_keys was rejected by ${validate[0]} (${listed} of ${keyLines} keys listed); the old file stays`,
          'authorized_keys',
          `${run.stdout}${run.stderr}`,
        );
      }
    });
  }
}
