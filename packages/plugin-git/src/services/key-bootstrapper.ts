import { promises as fsp } from 'node:fs';
import {
  type FileStore,
  type GitService,
  type Logger,
  remoteError,
  type Shell,
  sshArgv,
} from '@ffphoton/core';
import { upsertHostBlock } from './ssh-config-block.js';

export interface BootstrapResult {
  alias: string;
  keyFile: string;
  keyType: 'ed25519' | 'rsa';
  keyCreated: boolean;
  /** Undefined only in dry-run before the key exists. */
  publicKey?: string;
  sshConfig: { file: string; action: 'added' | 'updated' | 'unchanged'; backup?: string };
  identity: { name: string; email: string; changed: boolean };
  verify?: { ok: boolean; output: string };
}

/**
 * bootstrap_git_all done right: a per-host key for the forge, an idempotent `Host` block,
 * the global git identity, and an optional `ssh -T` check.
 */
export class KeyBootstrapper {
  constructor(
    private readonly shell: Shell,
    private readonly files: FileStore,
    private readonly git: GitService,
    private readonly host: string,
    private readonly logger?: Logger,
  ) {}

  async run(options: { rsa: boolean; verify: boolean }): Promise<BootstrapResult> {
    const cfg = this.git.settings.bootstrap;
    const keyType = options.rsa ? 'rsa' : cfg.keyType;
    const keyFile = this.git.taskPath(`~/.ssh/${this.host}_${cfg.alias}`);
    const keyPath = this.files.resolve(keyFile);
    const keyCreated = !(await this.files.exists(keyFile));
    if (keyCreated) {
      await this.files.mkdir(this.git.taskPath('~/.ssh'));
      const bits = keyType === 'rsa' ? ['-t', 'rsa', '-b', '4096'] : ['-t', 'ed25519'];
      const comment = `${this.git.identity.email}`;
      await this.shell.run(['ssh-keygen', '-q', ...bits, '-N', '', '-C', comment, '-f', keyPath], {
        mutates: true,
      });
    }
    let publicKey: string | undefined;
    if (await this.files.exists(keyFile)) {
      if (!this.files.dryRun) await fsp.chmod(keyPath, 0o600);
      publicKey = (await this.shell.run(['ssh-keygen', '-y', '-f', keyPath])).stdout.trim();
      await this.files.writeIfChanged(`${keyFile}.pub`, `${publicKey}\n`, { mode: 0o644 });
    }

    const configFile = this.git.taskPath(this.git.settings.ssh.config);
    const current = (await this.files.readTextIfExists(configFile)) ?? '';
    const upsert = upsertHostBlock(current, {
      alias: cfg.alias,
      hostname: cfg.hostname,
      user: cfg.user,
      port: cfg.port,
      identityFile: keyPath,
    });
    let backup: string | undefined;
    if (upsert.action !== 'unchanged') {
      backup = (await this.files.writeAtomic(configFile, upsert.text, { backup: true, mode: 0o600 })).backup;
    }

    const identity = { ...this.git.identity, changed: await this.setIdentity() };
    const verify = options.verify && publicKey ? await this.verify(cfg.alias, cfg.successPattern) : undefined;
    return {
      alias: cfg.alias,
      keyFile,
      keyType,
      keyCreated,
      publicKey,
      sshConfig: { file: configFile, action: upsert.action, backup },
      identity,
      verify,
    };
  }

  /** Global identity in the home's .gitconfig (inside --root), changed only when it differs. */
  private async setIdentity(): Promise<boolean> {
    const gitconfig = this.files.resolve(this.git.taskPath('~/.gitconfig'));
    let changed = false;
    for (const [key, value] of [
      ['user.name', this.git.identity.name],
      ['user.email', this.git.identity.email],
    ] as const) {
      const current = await this.shell.run(['git', 'config', '--file', gitconfig, '--get', key], {
        allowFailure: true,
      });
      if (current.stdout.trim() === value) continue;
      await this.shell.run(['git', 'config', '--file', gitconfig, '--replace-all', key, value], {
        mutates: true,
      });
      changed = true;
    }
    return changed;
  }

  /** `ssh -T alias`: forges answer "successfully authenticated" and exit 1 — that is success. */
  private async verify(alias: string, successPattern: string): Promise<{ ok: boolean; output: string }> {
    const argv = [...(await sshArgv(this.git.settings, this.files)), '-T', alias];
    const result = await this.shell.run(argv, { allowFailure: true, timeoutMs: 60_000 });
    const output = `${result.stdout}${result.stderr}`.trim();
    if (output.includes(successPattern)) {
      this.logger?.info({ alias }, `ssh ${alias}: authenticated`);
      return { ok: true, output };
    }
    throw remoteError('ssh -T', alias, output || `exit ${result.exitCode}`);
  }
}
