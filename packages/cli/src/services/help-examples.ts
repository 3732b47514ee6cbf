import type { Config } from '@ffphoton/core';

/** Examples for the commands oclif's own plugins bring without any. */
export const BUILT_IN_EXAMPLES: Record<string, string[]> = {
  help: ['<%= config.bin %> help fastd', '<%= config.bin %> help fastd limit'],
  'plugins:reset': ['<%= config.bin %> plugins reset  # remove every installed and linked plugin'],
  'plugins:update': ['<%= config.bin %> plugins update'],
};

type CommandLoading = Pick<Config, 'commands' | 'loadPluginsAndCommands'>;

/**
 * Gives oclif's own commands the examples photon's commands have. Loaded by bin/run.js only
 * when help is asked for, so other runs pay nothing.
 */
export function addBuiltInExamples(ConfigClass: { prototype: CommandLoading }): void {
  const load = ConfigClass.prototype.loadPluginsAndCommands;
  ConfigClass.prototype.loadPluginsAndCommands = async function (this: CommandLoading, opts) {
    await load.call(this, opts);
    for (const command of this.commands) {
      const examples = BUILT_IN_EXAMPLES[command.id];
      if (examples && !command.examples?.length) command.examples = examples;
    }
  };
}
