/** Injectable time source, so tests can pin "now". */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Photon's timestamp format `YYYY.MM.DD-HH.MM.SS` (local time). */
export function formatTimestamp(date: Date): string {
  return (
    `${date.getFullYear()}.${pad(date.getMonth() + 1)}.${pad(date.getDate())}-` +
    `${pad(date.getHours())}.${pad(date.getMinutes())}.${pad(date.getSeconds())}`
  );
}
