/** One command as `photon commands --json` lists it: what a script or a test needs to call it. */
export interface CommandEntry {
  /** oclif's id, as @oclif/plugin-commands lists it: `fastd:status`. */
  id: string;
  /** As typed: `fastd status`. */
  command: string;
  plugin: string;
  summary: string;
  /** The examples its help shows. */
  examples: string[];
  flags: Array<{ name: string; required: boolean }>;
  args: Array<{ name: string; required: boolean }>;
}

interface CachedCommand {
  id: string;
  hidden?: boolean;
  pluginName?: string;
  summary?: string;
  description?: string;
  examples?: Array<string | { command: string }>;
  flags: Record<string, { required?: boolean; hidden?: boolean }>;
  args: Record<string, { required?: boolean }>;
}

/** Every visible command of the running photon, plugins included, sorted as typed. */
export function commandIndex(commands: CachedCommand[], withHidden = false): CommandEntry[] {
  return commands
    .filter((c) => withHidden || !c.hidden)
    .map((c) => ({
      id: c.id,
      command: c.id.replaceAll(':', ' '),
      plugin: c.pluginName ?? '',
      summary: c.summary ?? c.description?.split('\n')[0] ?? '',
      examples: (c.examples ?? []).map((e) => (typeof e === 'string' ? e : e.command)),
      flags: Object.entries(c.flags)
        .filter(([, flag]) => !flag.hidden)
        .map(([name, flag]) => ({ name, required: flag.required === true })),
      args: Object.entries(c.args ?? {}).map(([name, arg]) => ({ name, required: arg.required === true })),
    }))
    .sort((a, b) => (a.command < b.command ? -1 : a.command > b.command ? 1 : 0));
}
