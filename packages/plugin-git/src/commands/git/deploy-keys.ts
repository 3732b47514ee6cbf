import { Args, Flags, gitSettings, TaskCommand, type TaskContext } from '@ffphoton/core';
import { type DeployResult, KeyDeployer } from '../../services/key-deployer.js';

export default class GitDeployKeys extends TaskCommand<typeof GitDeployKeys, DeployResult> {
  static override summary = "Add a group's public keys from the configs repository to authorized_keys";
  static override description =
    'Reads GROUP from the key file in git.deployKeys.repository (YAML; groups may use merge keys `<<`), adds the missing keys to authorized_keys with a marker comment, and with --prune removes marked keys that left the group. Keys photon did not add are never removed. The new file is checked with ssh-keygen -l and must hold at least one key; a backup is made first. Exit codes: 0 done; 2 bad key file, unknown group or a line that is not a public key (nothing written); 3 the new file was rejected (the old one stays); 69 the repository could not be reached.';
  static override settings = [gitSettings];
  static override args = {
    group: Args.string({ required: true, description: 'Key group (a top-level key of the key file).' }),
  };
  static override flags = {
    prune: Flags.boolean({ summary: 'Remove keys photon added for GROUP that are no longer in it.' }),
  };

  static override examples = [
    '<%= config.bin %> git deploy-keys admins',
    '<%= config.bin %> git deploy-keys admins --prune --dry-run',
  ];

  protected async execute(ctx: TaskContext): Promise<DeployResult> {
    const git = ctx.git;
    return new KeyDeployer(ctx.shell, ctx.files, git, ctx.logger).run(
      git.settings.deployKeys,
      this.args.group,
      this.flags.prune,
    );
  }

  protected summarize(r: DeployResult): string {
    return `git deploy-keys ${r.group}: ${r.added.length} ${this.done('add')}, ${r.removed.length} ${this.done('remove')}, ${r.present.length} present`;
  }
}
