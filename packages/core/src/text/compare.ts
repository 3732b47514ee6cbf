/**
 * Code-unit order for ASCII keys (task names, ISO timestamps, ids). The first `localeCompare`
 * of a process loads ICU's collator (~7 ms of a cron run), and ASCII needs no collation.
 */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
