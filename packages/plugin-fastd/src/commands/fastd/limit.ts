import { formatTable, TaskCommand, type TaskContext, type TaskOutcome } from '@ffphoton/core';
import { type LimitResult, PeerLimitService } from '../../services/peer-limit-service.js';
import { StatusSocketReader } from '../../services/status-socket-reader.js';
import { fastdSettings } from '../../settings.js';

export default class FastdLimit extends TaskCommand<typeof FastdLimit, LimitResult> {
  static override summary = 'Compute and apply the fleet-wide fastd peer limit';
  static override description =
    'Exit codes: 0 done; 5 some instances failed (status socket or config unreadable, or fastd --verify-config refused the new configuration: the old one is kept, fastd not restarted); 69 no gateway online, nothing changed; 2 this host is not in fastd.limit.gateways.';
  static override settings = [fastdSettings];

  static override examples = [
    '<%= config.bin %> fastd limit',
    '<%= config.bin %> fastd limit --dry-run  # the computation, nothing changed',
  ];

  protected async execute(ctx: TaskContext): Promise<TaskOutcome<LimitResult>> {
    const cfg = ctx.settings.get(fastdSettings);
    return new PeerLimitService(
      new StatusSocketReader(ctx.files),
      ctx.files,
      ctx.shell,
      ctx.services,
      ctx.clock,
      ctx.logger,
    ).apply(cfg, ctx.host);
  }

  protected summarize(r: LimitResult): string {
    return `fastd limit: ${r.changed} of ${r.instances.length} instance(s) ${this.done('change')}, ${r.restarted.length} ${this.done('restart')}`;
  }

  protected override render(r: LimitResult): string[] {
    const cell = (value: number | undefined) => (value === undefined ? '-' : value);
    return formatTable(
      ['instance', 'total', 'online', 'offline', 'average', 'gauge', 'limit', 'old', 'restart?', 'outcome'],
      r.instances.map((row) =>
        [
          row.instance,
          cell(row.total),
          cell(row.online),
          cell(row.offline),
          cell(row.average),
          cell(row.gauge),
          cell(row.limit),
          cell(row.old),
          row.restart ? 'yes' : 'no',
          row.outcome,
        ].map(String),
      ),
    );
  }
}
