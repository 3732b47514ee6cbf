/**
 * Marks a task's return value as a partial success. A registered symbol, so the mark survives a
 * second copy of core in the process (a plugin's own dependency).
 */
const PARTIAL: unique symbol = Symbol.for('@ffphoton/core/partial');

/**
 * A task that did its work but refused some inputs (an invalid peer file, a bad community)
 * returns this instead of its plain result: the run ends with exit 5 (`ExitCode.Partial`), the
 * `--json` error `PARTIAL` naming each problem, and the result as usual.
 */
export interface PartialOutcome<R> {
  readonly [PARTIAL]: true;
  /** What the task did: the same typed result a complete run returns. */
  readonly result: R;
  /** Each refused input, one line each (the runner logs them and caps them at 50). */
  readonly problems: readonly string[];
  /** The run's summary line instead of `summarize(result)`, e.g. "2 peer file(s) refused". */
  readonly message: string;
  /** The command's own output lists the problems (doctor's table): the log does not repeat them. */
  readonly listedInOutput: boolean;
}

/** What a task body (`execute`) returns: its result, or its result with the inputs it refused. */
export type TaskOutcome<R> = R | PartialOutcome<R>;

/** A partial success: `result` was done, `problems` were refused; `message` is the summary. */
export function partial<R>(
  result: R,
  problems: readonly string[],
  message: string,
  options: { listedInOutput?: boolean } = {},
): PartialOutcome<R> {
  return { [PARTIAL]: true, result, problems, message, listedInOutput: options.listedInOutput ?? false };
}

/** A partial outcome, not a plain result (which may be any value, also null or a string). */
export function isPartial<R>(outcome: TaskOutcome<R>): outcome is PartialOutcome<R> {
  return typeof outcome === 'object' && outcome !== null && PARTIAL in outcome;
}
