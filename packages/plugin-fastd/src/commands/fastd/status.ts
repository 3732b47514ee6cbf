import { Args, formatTable, ReadOnlyTaskCommand, type TaskContext, type TaskOutcome } from '@ffphoton/core';
import { selectInstances } from '../../services/instance-selection.js';
import { StatusReport, type StatusReportResult } from '../../services/status-report.js';
import { StatusSocketReader } from '../../services/status-socket-reader.js';
import { fastdSettings } from '../../settings.js';

export default class FastdStatus extends ReadOnlyTaskCommand<typeof FastdStatus, StatusReportResult> {
  static override summary = 'Show uptime, peers and traffic of each fastd instance (from its status socket)';
  static override description =
    'Exit codes: 0 all sockets read; 5 some instances unreadable; 69 no socket readable; 1 malformed socket output; 2 unknown instance.';
  static override settings = [fastdSettings];
  static override strict = false;
  static override args = {
    instance: Args.string({ description: 'instance names (default: all configured)' }),
  };

  static override examples = [
    '<%= config.bin %> fastd status',
    '<%= config.bin %> fastd status mzvpn-1406 --json',
  ];

  protected async execute(ctx: TaskContext): Promise<TaskOutcome<StatusReportResult>> {
    const cfg = ctx.settings.get(fastdSettings);
    const instances = selectInstances(cfg.instances, this.positionals);
    return new StatusReport(new StatusSocketReader(ctx.files)).collect(instances);
  }

  protected summarize(r: StatusReportResult): string {
    const connected = r.instances.reduce((sum, i) => sum + i.peersConnected, 0);
    return `fastd status: ${r.instances.length} instance(s), ${connected} peer(s) connected`;
  }

  protected override render(r: StatusReportResult): string[] {
    return formatTable(
      ['instance', 'uptime s', 'known', 'connected', 'rx bytes', 'tx bytes'],
      r.instances.map((i) =>
        [i.instance, i.uptimeSeconds, i.peersKnown, i.peersConnected, i.rxBytes, i.txBytes].map(String),
      ),
    );
  }
}
