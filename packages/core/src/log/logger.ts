import { createRequire } from 'node:module';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import { redactSecrets } from './redact.js';

export type Logger = PinoLogger;
export type LogFormat = 'pretty' | 'json';
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  /** Also append JSON lines (level info and up) to this host file. */
  file?: string;
  /** Bindings on every line (task name, run id). */
  bindings?: Record<string, unknown>;
  /** Where console lines go; stderr by default so `--json` on stdout stays pure. */
  stream?: LineSink;
  /** Colour the level of pretty lines (a terminal without NO_COLOR). */
  color?: boolean;
}

/** Anything with `write(text)`: a Node stream, or one of the plain sinks below. */
export interface LineSink {
  write(text: string): unknown;
}

export interface TaskLogger {
  logger: Logger;
  /** The last lines logged (any level from info up), for the failure mail. */
  recent: RecentLines;
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
// The summary already carries the error message; repeating it as key=value adds noise.
// A problem's line is the problem itself.
const HIDDEN_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'task', 'run', 'error', 'problem']);

/** ANSI colours of the levels on a terminal: warnings yellow, errors red, the summary green. */
const LEVEL_COLORS: Record<number, string> = { 30: '32', 40: '33', 50: '31', 60: '31' };

/** Renders pino JSON lines as one human line each: `WARN  message key=value`. */
export function formatPrettyLine(line: string, color = false): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = LEVEL_NAMES[record.level as number] ?? String(record.level);
  const extras = Object.entries(record)
    .filter(([key]) => !HIDDEN_KEYS.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const code = color ? LEVEL_COLORS[record.level as number] : undefined;
  const label = code ? `\u001b[${code}m${level.padEnd(5)}\u001b[0m` : level.padEnd(5);
  return `${label} ${record.msg ?? ''}${extras.length ? `  ${extras.join(' ')}` : ''}\n`;
}

/**
 * Ring buffer of the run's last log lines, for the failure report. Lines are kept as pino wrote
 * them and rendered only when a report asks: most runs never fail. `limit` is `mail.logLines`
 * once settings are loaded.
 */
export class RecentLines implements LineSink {
  private readonly lines: string[] = [];
  constructor(public limit = 40) {}
  write(text: string): void {
    for (const line of text.split('\n')) {
      if (!line) continue;
      this.lines.push(line);
      if (this.lines.length > this.limit) this.lines.shift();
    }
  }
  get(): string[] {
    const kept = this.limit === 0 ? [] : this.lines.slice(-this.limit);
    return kept.map((line) => formatPrettyLine(line).trimEnd());
  }
}

class PrettyStream implements LineSink {
  constructor(
    private readonly out: LineSink,
    private readonly color: boolean,
  ) {}
  write(text: string): void {
    for (const line of text.split('\n')) if (line) this.out.write(formatPrettyLine(line, this.color));
  }
}

/**
 * process.stderr, set up by the first line that reaches the console: the sinks are plain
 * objects, so a run that logs nothing there never loads the stream machinery (~4 ms).
 */
const stderrSink: LineSink = { write: (text) => process.stderr.write(text) };

/**
 * pino, through CommonJS `require`, on the first logger of a run. Not `import('pino')`: on Node 22,
 * core's unbundled dist (a stale bundle) importing this CommonJS package with stderr a pipe got
 * an empty placeholder module from the ESM loader — "pino.multistream is not a function", and a
 * failing task said nothing. In core's bundle `require` is the bundle's (esbuild inlines pino and
 * evaluates it here, on first use); Node's ESM has none, so the dist makes one.
 */
function loadPino(): typeof import('pino')['default'] {
  return typeof require === 'function' ? require('pino') : createRequire(import.meta.url)('pino');
}

/** Builds the run's pino logger: console (pretty or JSON) + optional file + recent-lines buffer. */
export async function createTaskLogger(options: LoggerOptions): Promise<TaskLogger> {
  const pino = loadPino();
  const console = options.stream ?? stderrSink;
  const recent = new RecentLines();
  const streams: { level: LogLevel; stream: DestinationStream }[] = [];
  if (options.level !== 'silent') {
    streams.push({
      level: options.level,
      stream: options.format === 'pretty' ? new PrettyStream(console, options.color === true) : console,
    });
  }
  streams.push({ level: 'info', stream: recent });
  if (options.file) {
    // Synchronous: every line is in the file when the call returns, also when the run is killed next.
    streams.push({
      level: 'info',
      stream: pino.destination({ dest: options.file, sync: true, mkdir: true, append: true }),
    });
  }
  const logger = pino(
    {
      level: lowestLevel(streams.map((s) => s.level)),
      base: options.bindings ?? {},
      hooks: {
        // Secrets never reach a log line, whatever a message quotes or an object holds: the one
        // definition of a secret (redact.ts) that printed settings and mails use too.
        logMethod(args, method) {
          method.apply(this, args.map((arg) => redactSecrets(arg)) as Parameters<typeof method>);
        },
      },
    },
    pino.multistream(streams),
  );
  return { logger, recent };
}

const ORDER: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
function lowestLevel(levels: LogLevel[]): LogLevel {
  return levels.reduce((low, level) => (ORDER.indexOf(level) < ORDER.indexOf(low) ? level : low), 'silent');
}

const drop = () => undefined;
/** A logger that drops everything, for unit tests, benchmarks and library use without a task. */
export const silentLogger = {
  level: 'silent',
  trace: drop,
  debug: drop,
  info: drop,
  warn: drop,
  error: drop,
  fatal: drop,
  child: () => silentLogger,
} as unknown as Logger;
