import { Flags, gitSettings, TaskCommand, type TaskContext } from '@ffphoton/core';
import { type BootstrapResult, KeyBootstrapper } from '../../services/key-bootstrapper.js';

export default class GitBootstrap extends TaskCommand<typeof GitBootstrap, BootstrapResult> {
  static override summary = "Create this host's forge key, its ~/.ssh/config alias and the git identity";
  static override description =
    'Creates ~/.ssh/<host>_<alias> (ed25519; --rsa for RSA 4096) with mode 0600 unless it exists, adds or updates the `Host <alias>` block in ~/.ssh/config (backup first, never duplicated), sets user.name/user.email in ~/.gitconfig and prints the public key to add to the forge account. --verify runs `ssh -T <alias>` and succeeds when the forge answers "successfully authenticated" (GitHub exits 1 there). Exit codes: 0 done; 1 ssh-keygen or git failed; 69 --verify failed: the forge could not be reached, its host key did not match, or it refused the key.';
  static override settings = [gitSettings];
  static override flags = {
    rsa: Flags.boolean({ summary: 'Create an RSA 4096 key instead of ed25519 (only when no key exists).' }),
    verify: Flags.boolean({ summary: 'Check the key with `ssh -T <alias>`.' }),
  };

  static override examples = ['<%= config.bin %> git bootstrap', '<%= config.bin %> git bootstrap --dry-run'];

  protected async execute(ctx: TaskContext): Promise<BootstrapResult> {
    const git = ctx.git;
    return new KeyBootstrapper(ctx.shell, ctx.files, git, ctx.host, ctx.logger).run({
      rsa: this.flags.rsa,
      verify: this.flags.verify,
    });
  }

  protected summarize(r: BootstrapResult): string {
    const key = r.keyCreated ? `${this.did('create')} ${r.keyType} key` : 'key present';
    const verified = r.verify ? `, ${r.alias} accepts it` : '';
    return `git bootstrap: ${key} ${r.keyFile}, ssh config ${r.sshConfig.action === 'unchanged' ? 'unchanged' : this.done(r.sshConfig.action === 'added' ? 'add' : 'update')}${verified}`;
  }

  protected override render(r: BootstrapResult): string[] {
    if (!r.publicKey) return [`(dry-run: the key ${r.keyFile} would be created)`];
    return [
      '~~~~~~~~',
      `Add this key to the forge account behind "${r.alias}":`,
      '~~~~~~~~',
      '',
      r.publicKey,
      '',
      '~~~~~~~~',
    ];
  }
}
