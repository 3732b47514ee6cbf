import { Command, Flags, formatTable, writeStdout } from '@ffphoton/core';
import { type CommandEntry, commandIndex } from '../services/command-index.js';

export default class Commands extends Command {
  static override summary = 'List every photon command, plugins included.';
  static override enableJsonFlag = true;
  static override examples = [
    '<%= config.bin %> commands',
    '<%= config.bin %> commands --json  # commands, flags and arguments for scripts',
  ];
  static override flags = {
    hidden: Flags.boolean({ summary: 'Include hidden commands.', default: false }),
  };

  public async run(): Promise<CommandEntry[]> {
    const { flags } = await this.parse(Commands);
    const entries = commandIndex(this.config.commands, flags.hidden);
    if (!this.jsonEnabled()) {
      const table = formatTable(
        ['command', 'summary'],
        entries.map((e) => [`${this.config.bin} ${e.command}`, e.summary]),
      );
      writeStdout(`${table.join('\n')}\n`);
    }
    return entries;
  }

  public override logJson(json: unknown): void {
    writeStdout(`${JSON.stringify(json, null, 2)}\n`);
  }
}
