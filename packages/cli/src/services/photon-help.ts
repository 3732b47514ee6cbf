import { type Config, type Interfaces, loadOclifHelp } from '@ffphoton/core';

type OclifCommand = NonNullable<ReturnType<Config['findCommand']>>;

/**
 * Whether `argv` asks for the help of the help command itself: `photon help help` (the help
 * command is handed `help`), `photon help --help` (oclif hands over `help --help`). oclif skips every "help" word when it picks the
 * subject, so it printed the root help, which has no examples.
 */
export function asksHelpForHelp(argv: readonly string[]): boolean {
  const words = argv.filter((arg) => arg !== '--help' && arg !== '-h');
  return words.length >= 1 && words.every((word) => word === 'help');
}

/**
 * photon's help class (package.json `oclif.helpClass`): oclif's own, plus the help command's
 * own page for `photon help help`. oclif's class is loaded only when help is printed.
 */
export default class PhotonHelp {
  constructor(
    private readonly config: Config,
    private readonly options: Partial<Interfaces.HelpOptions> = {},
  ) {}

  async showHelp(argv: string[]): Promise<void> {
    const help = await this.oclifHelp();
    const helpCommand = asksHelpForHelp(argv) ? this.config.findCommand('help') : undefined;
    if (helpCommand) await help.showCommandHelp(helpCommand);
    else await help.showHelp(argv);
  }

  async showCommandHelp(command: OclifCommand): Promise<void> {
    await (await this.oclifHelp()).showCommandHelp(command);
  }

  private async oclifHelp() {
    return new (await loadOclifHelp())(this.config, this.options);
  }
}
