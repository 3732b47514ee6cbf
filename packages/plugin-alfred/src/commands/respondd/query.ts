import { Args, Flags, TaskCommand, type TaskContext, UnavailableError } from '@ffphoton/core';
import { type QueryResult, queryRespondd } from '../../services/respondd-collector.js';
import { RESPONDD_PROVIDERS, safeJson } from '../../services/respondd-protocol.js';
import { alfredSettings } from '../../settings.js';

export default class ResponddQuery extends TaskCommand<typeof ResponddQuery, QueryResult> {
  static override summary = 'Ask respondd nodes for their data and print the decoded answers';
  static override description =
    'What gluon-neighbour-info does: sends `GET nodeinfo statistics neighbours` (or --request) to TARGET — an address, a multicast group such as ff05::2:1001, or an interface name (its ff02::2:1001) — and prints every answer, decoded, by sender. Exit codes: 0 answers came; 69 no answer within --timeout; 2 bad flags or an interface that does not exist.';
  static override readOnly = true;
  static override settings = [alfredSettings];
  static override args = {
    target: Args.string({ description: 'address, multicast group or interface (default: ff05::2:1001)' }),
  };
  static override flags = {
    port: Flags.integer({ summary: 'UDP port (default: alfred.respondd.port).', min: 1, max: 65_535 }),
    request: Flags.option({
      options: RESPONDD_PROVIDERS,
      multiple: true,
      summary: 'Providers to ask for (repeatable; default: all three).',
    })(),
    timeout: Flags.integer({
      summary: 'Seconds to wait for answers (a unicast target: for the first).',
      default: 3,
      min: 1,
      max: 60,
    }),
  };

  static override examples = [
    '<%= config.bin %> respondd query mzBR  # the multicast group on this interface',
    '<%= config.bin %> respondd query fe80::1%mzBR --json',
  ];

  protected async execute(ctx: TaskContext): Promise<QueryResult> {
    const cfg = ctx.settings.get(alfredSettings);
    const result = await queryRespondd(
      this.args.target ?? 'ff05::2:1001',
      this.flags.port ?? cfg.respondd.port,
      this.flags.request ?? RESPONDD_PROVIDERS,
      this.flags.timeout * 1000,
    );
    for (const problem of result.problems) ctx.logger.warn(`respondd query: ${problem}`);
    if (result.answers.length === 0)
      throw new UnavailableError(
        `respondd query: no answer from ${result.target} port ${result.port} within ${this.flags.timeout} s`,
      );
    return result;
  }

  protected summarize(r: QueryResult): string {
    return `respondd query: ${r.answers.length} answer(s) from ${r.target}`;
  }

  /** The answers as JSON (escaped as in meshviewer.json: a hostile host name stays text). */
  protected override render(r: QueryResult): string[] {
    return [safeJson(Object.fromEntries(r.answers.map((a) => [a.from, a.data])), 2)];
  }
}
