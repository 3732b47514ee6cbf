import type { LineSink } from './logger.js';

/**
 * One line on a terminal while a run takes longer than a moment ("… fastd sync-keys 4 s"),
 * redrawn each second and erased when the run ends: an admin at the prompt sees it is working
 * (a first clone, thousands of nodes). Nothing is written for a run shorter than `delayMs`.
 */
export class ProgressLine {
  private timer: NodeJS.Timeout | undefined;
  private shown = false;

  constructor(
    private readonly out: LineSink,
    private readonly label: string,
    private readonly delayMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  start(): this {
    const started = this.now();
    const draw = () => {
      this.shown = true;
      this.out.write(`\r\u001b[2K… ${this.label} ${Math.round((this.now() - started) / 1000)} s`);
      this.timer = setTimeout(draw, 1_000).unref();
    };
    this.timer = setTimeout(draw, this.delayMs).unref();
    return this;
  }

  /** Stops redrawing and erases the line (if it was ever drawn). */
  stop(): void {
    clearTimeout(this.timer);
    if (this.shown) this.out.write('\r\u001b[2K');
    this.shown = false;
  }
}
