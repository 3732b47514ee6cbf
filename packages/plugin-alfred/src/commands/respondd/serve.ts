import { Flags, TaskCommand, type TaskContext } from '@ffphoton/core';
import { responddMeshes, type ServeResult, serveRespondd } from '../../services/respondd-server.js';
import { alfredSettings } from '../../settings.js';

export default class ResponddServe extends TaskCommand<typeof ResponddServe, ServeResult> {
  static override summary = 'Answer respondd requests (nodeinfo, statistics, neighbours) until stopped';
  static override description =
    "The long-running responder of mesh-announce: UDP port alfred.respondd.port (1001), joined to alfred.respondd.groups on every mesh's interfaces, answering with the node data of `alfred announce`. Stops on SIGTERM/SIGINT. With --dry-run, collects the data and shows what it would join, then exits. Exit codes: 0 stopped by a signal; 69 the port or an interface is not available; 75 another responder runs; 2 bad settings.";
  static override settings = [alfredSettings];
  static override flags = {
    mesh: Flags.string({
      summary: 'Answer only for this mesh (repeatable; default: every mesh).',
      multiple: true,
    }),
    address: Flags.string({
      summary: 'Answer unicast on this address only (no multicast groups); for tests and debugging.',
    }),
    port: Flags.integer({ summary: 'UDP port (default: alfred.respondd.port).', min: 0, max: 65_535 }),
  };

  // SIGTERM/SIGINT is how a responder is stopped: its end, not an interruption.
  static override stopsOnSignal = true;

  static override examples = [
    '<%= config.bin %> respondd serve',
    '<%= config.bin %> respondd serve --address ::1 --port 10001  # unicast on one address, for tests',
  ];

  protected async execute(ctx: TaskContext): Promise<ServeResult> {
    const cfg = ctx.settings.get(alfredSettings);
    const meshes = await responddMeshes(ctx, cfg, this.flags.mesh);
    let stop = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    try {
      return await serveRespondd(
        ctx,
        cfg,
        meshes,
        { address: this.flags.address, port: this.flags.port ?? cfg.respondd.port },
        stopped,
      );
    } finally {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
    }
  }

  protected summarize(r: ServeResult): string {
    const c = r.counts;
    return `respondd serve: ${r.meshes.length} mesh(es), ${c.answered} of ${c.requests} request(s) answered (${c.malformed} malformed, ${c.rateLimited} over the rate, ${c.unanswerable} unanswerable)`;
  }
}
