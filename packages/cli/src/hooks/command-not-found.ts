import { closestWord, ExitCode, type Hook } from '@ffphoton/core';

/**
 * `photon fastd stauts`: a usage error (exit 2) in the words the admin typed, with the nearest
 * command or topic as a hint. Never a prompt: the same line works at a terminal and under cron.
 */
const commandNotFound: Hook<'command_not_found'> = async ({ id, argv, config }) => {
  throw new CommandNotFoundError(notFoundMessage(id, argv ?? [], config));
};

/** Printed by oclif's error handler like its own usage errors; `oclif.exit` is the exit code. */
class CommandNotFoundError extends Error {
  readonly oclif = { exit: ExitCode.Config };
}

export default commandNotFound;

interface CommandIndex {
  commands: Array<{ id: string; hidden?: boolean; aliases?: string[] }>;
  topics: Array<{ name: string; hidden?: boolean }>;
}

/** The message for an unknown command id (oclif's `topic:command` form) and the argv after it. */
export function notFoundMessage(id: string, argv: string[], config: CommandIndex): string {
  const typed = id.replaceAll(':', ' ');
  if (typed.startsWith('-')) {
    const hint = closestWord(typed, ['--version', '--help']);
    return `unknown flag "${typed}"${hint ? `. Did you mean "photon ${hint}"?` : ''} See "photon --help".`;
  }
  const visible = config.commands.filter((command) => !command.hidden);
  const names = [
    ...visible.flatMap((command) => [command.id, ...(command.aliases ?? [])]),
    ...config.topics.filter((topic) => !topic.hidden).map((topic) => topic.name),
  ];
  // `photon confg validate` arrives as id `confg` with `validate` still in argv.
  const next = argv[0] !== undefined && !argv[0].startsWith('-') ? `${id}:${argv[0]}` : undefined;
  const hint = (next ? closestWord(next, names) : undefined) ?? closestWord(id, names);
  const suggestion = hint ? ` Did you mean "photon ${hint.replaceAll(':', ' ')}"?` : '';
  return `"photon ${typed}" is not a photon command.${suggestion} See "photon --help".`;
}
