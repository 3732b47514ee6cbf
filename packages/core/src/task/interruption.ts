import { INTERRUPT_SIGNALS, InterruptedError, type InterruptSignal } from '../errors/errors.js';

/**
 * SIGHUP, SIGINT and SIGTERM during a run: instead of Node's default (die at once, leaving the
 * lock, temps, children and no journal record), the run is aborted — `signal` tells the run's
 * Shell and FileStore to start and replace nothing more — and `interrupted` rejects, so the
 * runner can clean up and exit 128 + the signal's number.
 */
export class Interruption {
  private readonly controller = new AbortController();
  private readonly handlers = new Map<InterruptSignal, () => void>();
  /** Rejects with InterruptedError at the first of the signals; never resolves. */
  readonly interrupted: Promise<never>;

  constructor() {
    this.interrupted = new Promise<never>((_resolve, reject) => {
      for (const name of Object.keys(INTERRUPT_SIGNALS) as InterruptSignal[]) {
        const handler = () => {
          // A second signal while cleaning up changes nothing: the first one's cleanup is bounded.
          if (this.controller.signal.aborted) return;
          const error = new InterruptedError(name);
          this.controller.abort(error);
          reject(error);
        };
        this.handlers.set(name, handler);
        process.on(name, handler);
      }
    });
    this.interrupted.catch(() => {});
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Gives the signals back to Node's defaults. */
  dispose(): void {
    for (const [name, handler] of this.handlers) process.off(name, handler);
    this.handlers.clear();
  }
}
