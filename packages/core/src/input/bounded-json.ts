import { gunzipSync } from 'node:zlib';
import { ConfigError } from '../errors/errors.js';
import { formatBytes } from './bounded-file.js';
import { INPUT_LIMITS } from './limits.js';

export interface BoundedJsonOptions {
  /** Deepest nesting of arrays and objects accepted (default INPUT_LIMITS.maxDepth). */
  maxDepth?: number;
  /** Named in messages. */
  file?: string;
}

/**
 * JSON.parse, refusing text nested deeper than `maxDepth` before it is parsed: V8's parser and
 * every recursive walk after it (stringify, merge, validation) overflow the stack at a few
 * thousand levels, which a 152-byte gzip record can hold.
 */
export function parseBoundedJson(text: string, options: BoundedJsonOptions = {}): unknown {
  const maxDepth = options.maxDepth ?? INPUT_LIMITS.maxDepth;
  if (jsonDepth(text, maxDepth) > maxDepth)
    throw new ConfigError(`JSON nested deeper than ${maxDepth} levels`, { file: options.file });
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`not JSON: ${(error as Error).message}`, { file: options.file });
  }
}

/**
 * The nesting depth of JSON text, counting brackets outside strings; stops counting at `stopAbove`
 * + 1. Linear and allocation-free; invalid text gets some number, and JSON.parse its error.
 */
export function jsonDepth(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return deepest;
}

/** gunzip that refuses output beyond `maxBytes` (a gzip bomb) instead of allocating it. */
export function gunzipBounded(data: Buffer, maxBytes: number, options: { chunkSize?: number } = {}): Buffer {
  try {
    return gunzipSync(data, { maxOutputLength: maxBytes, chunkSize: options.chunkSize });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new ConfigError(`gzip data decompresses to more than ${formatBytes(maxBytes)}`);
    throw new ConfigError(`gzip data is corrupt (${(error as Error).message})`);
  }
}

/**
 * A byte budget shared by the records of one run (decompressed alfred data, downloads): each
 * `take` that would exceed it throws, so one run's memory stays bounded however many records come.
 */
export class ByteBudget {
  private used = 0;
  constructor(
    readonly limit: number,
    private readonly what: string,
  ) {}

  take(bytes: number): void {
    if (this.used + bytes > this.limit)
      throw new ConfigError(`${this.what}: over the budget of ${formatBytes(this.limit)} per run`);
    this.used += bytes;
  }

  get remaining(): number {
    return this.limit - this.used;
  }
}
