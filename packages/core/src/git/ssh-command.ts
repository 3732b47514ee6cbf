import type { FileStore } from '../fs/file-store.js';
import type { GitSettings } from './git-settings.js';
import { expandHome } from './home-path.js';

/**
 * The ssh argv git and `bootstrap --verify` use: key, config and known_hosts from settings,
 * resolved through the `--root` sandbox, never prompting (BatchMode).
 */
export async function sshArgv(settings: GitSettings, files: FileStore): Promise<string[]> {
  const { ssh } = settings;
  const home = settings.home;
  const argv = [...ssh.command, '-o', 'BatchMode=yes', '-o', `ConnectTimeout=${ssh.connectTimeoutSeconds}`];
  const config = expandHome(ssh.config, home);
  if (await files.exists(config)) argv.push('-F', files.resolve(config));
  argv.push(
    '-o',
    `UserKnownHostsFile=${files.resolve(expandHome(ssh.knownHosts, home))}`,
    '-o',
    `StrictHostKeyChecking=${ssh.strictHostKeyChecking}`,
  );
  if (ssh.key) argv.push('-i', files.resolve(expandHome(ssh.key, home)), '-o', 'IdentitiesOnly=yes');
  return argv;
}

/** One shell word for GIT_SSH_COMMAND (git runs it through sh). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
