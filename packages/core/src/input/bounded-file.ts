import fs from 'node:fs';
import { ConfigError } from '../errors/errors.js';

export interface BoundedReadOptions {
  /** Most bytes accepted; a larger file is refused, not truncated. */
  maxBytes: number;
  /** The file as the user knows it (for messages); default: the path read. */
  file?: string;
  /** What the file is, for the size message ("settings file", "peer file"). */
  kind?: string;
}

const KIND_OF_STAT: [(s: fs.Stats) => boolean, string][] = [
  [(s) => s.isDirectory(), 'a directory'],
  [(s) => s.isFIFO(), 'a FIFO'],
  [(s) => s.isCharacterDevice(), 'a character device'],
  [(s) => s.isBlockDevice(), 'a block device'],
  [(s) => s.isSocket(), 'a socket'],
];

/**
 * Reads a regular file of at most `maxBytes`. A FIFO, device, socket or directory is refused at
 * once (opened non-blocking, so a FIFO without writer cannot hang the run); a file that grows past
 * the cap while read is refused too. Throws ConfigError (exit 2) naming the file and the reason; ENOENT and EACCES keep their code
 * (`cause`) so callers can treat a missing file as absent.
 */
export function readBoundedFile(hostPath: string, options: BoundedReadOptions): Buffer {
  const file = options.file ?? hostPath;
  let fd: number;
  try {
    fd = fs.openSync(hostPath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A UNIX socket cannot be opened at all.
    const why =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'ENXIO'
            ? 'not a regular file (a socket)'
            : `cannot read (${code})`;
    throw new ConfigError(why, { file }, { cause: error });
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) {
      const what = KIND_OF_STAT.find(([test]) => test(stat))?.[1] ?? 'a special file';
      throw new ConfigError(`not a regular file (${what})`, { file });
    }
    const tooLarge = () =>
      new ConfigError(
        `${options.kind ?? 'file'} is larger than the limit of ${formatBytes(options.maxBytes)}`,
        { file },
      );
    if (stat.size > options.maxBytes) throw tooLarge();
    // One byte more than allowed tells a file that grew while read from one that fits exactly.
    const buf = Buffer.allocUnsafe(Math.min(stat.size, options.maxBytes) + 1);
    let used = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, used, buf.length - used, null);
      if (n === 0) break;
      used += n;
      if (used === buf.length) {
        if (used > options.maxBytes) throw tooLarge();
        break;
      }
    }
    return buf.subarray(0, used);
  } finally {
    fs.closeSync(fd);
  }
}

/** readBoundedFile as UTF-8 text. */
export function readBoundedText(hostPath: string, options: BoundedReadOptions): string {
  return readBoundedFile(hostPath, options).toString('utf8');
}

/** readBoundedText, or undefined when the file does not exist. */
export function readBoundedTextIfExists(hostPath: string, options: BoundedReadOptions): string | undefined {
  try {
    return readBoundedText(hostPath, options);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** The errno code behind a ConfigError (ENOENT, EACCES …), if any. */
export function errnoOf(error: unknown): string | undefined {
  const cause = (error as { cause?: NodeJS.ErrnoException } | undefined)?.cause;
  return cause?.code;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
