import { isMainThread } from 'node:worker_threads';

/**
 * A worker thread cannot change the umask (Stryker runs vitest in threads): tests that need one are
 * skipped there, so the modes they check count as untested in a mutation run.
 */
export const canSetUmask = isMainThread;

/** Runs `fn` under a restrictive umask (cron's may be 077): files that must stay readable set their mode. */
export async function withUmask<T>(mask: number, fn: () => Promise<T>): Promise<T> {
  const previous = process.umask(mask);
  try {
    return await fn();
  } finally {
    process.umask(previous);
  }
}
