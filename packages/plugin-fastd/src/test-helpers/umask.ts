/** Runs `fn` under a restrictive umask (cron's may be 077): files that must stay readable set their mode. */
export async function withUmask<T>(mask: number, fn: () => Promise<T>): Promise<T> {
  const previous = process.umask(mask);
  try {
    return await fn();
  } finally {
    process.umask(previous);
  }
}
