import type { Logger } from '@ffphoton/core';

/** A logger that keeps `LEVEL message` lines (the message is the last string argument). */
export function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (...args: unknown[]) => {
      const message = args.filter((a): a is string => typeof a === 'string').at(-1);
      lines.push(`${level} ${message}`);
    };
  const logger = {
    debug: () => {},
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  } as unknown as Logger;
  return { logger, lines };
}
