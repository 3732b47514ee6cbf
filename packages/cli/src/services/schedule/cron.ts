/**
 * Cron times as sets of numbers per field, parsed from a cadence or a cron expression and
 * rendered back to crontab and systemd OnCalendar syntax.
 */

export interface CronTimes {
  minute: number[];
  hour: number[];
  /** Undefined = `*` (every day of the month / every month / every weekday). */
  dayOfMonth?: number[];
  month?: number[];
  /** 0 = Sunday … 6 = Saturday. */
  weekday?: number[];
}

/** What a cadence leaves open for the spread policies. */
export interface Cadence {
  times: CronTimes;
  /** The minute field is `o + k·step` (single minute: step 60); undefined when it cannot shift (e.g. `*`, lists). */
  minuteStep?: number;
  /** The weekday field was the documentation's placeholder `U`. */
  weekdayPlaceholder: boolean;
}

export class CronSyntaxError extends Error {}

const FIELDS = [
  { key: 'minute', min: 0, max: 59 },
  { key: 'hour', min: 0, max: 23 },
  { key: 'dayOfMonth', min: 1, max: 31 },
  {
    key: 'month',
    min: 1,
    max: 12,
    names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  },
  { key: 'weekday', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
] as const;

export const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const range = (from: number, to: number, step = 1) => {
  const out: number[] = [];
  for (let i = from; i <= to; i += step) out.push(i);
  return out;
};

/** Parses one cron field; undefined means `*`. */
function parseField(text: string, field: (typeof FIELDS)[number]): number[] | undefined {
  if (text === '*') return undefined;
  const names: readonly string[] = 'names' in field ? field.names : [];
  const value = (token: string): number => {
    const named = names.indexOf(token.toLowerCase());
    if (named >= 0) return named + (field.key === 'month' ? 1 : 0);
    if (!/^\d+$/.test(token))
      throw new CronSyntaxError(`"${token}" is not a number in the ${field.key} field`);
    const n = Number(token);
    if (n < field.min || n > field.max) {
      throw new CronSyntaxError(`${n} is outside ${field.min}-${field.max} in the ${field.key} field`);
    }
    return n;
  };
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!match) throw new CronSyntaxError(`cannot read "${part}" in the ${field.key} field`);
    const [, base, stepText] = match;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new CronSyntaxError(`step 0 in the ${field.key} field`);
    let from: number;
    let to: number;
    if (base === '*') {
      from = field.min;
      to = field.max === 7 ? 6 : field.max;
    } else if (base.includes('-')) {
      const [a, b, ...rest] = base.split('-');
      if (rest.length) throw new CronSyntaxError(`cannot read "${part}" in the ${field.key} field`);
      from = value(a);
      to = value(b);
      if (from > to) throw new CronSyntaxError(`range ${base} runs backwards in the ${field.key} field`);
    } else {
      from = value(base);
      to = stepText === undefined ? from : field.max;
    }
    for (const n of range(from, to, step)) out.add(field.key === 'weekday' && n === 7 ? 0 : n);
  }
  return [...out].sort((a, b) => a - b);
}

/** The step of a minute field that is one arithmetic progression over the whole hour. */
function minuteStepOf(minutes: number[]): number | undefined {
  if (minutes.length === 1) return 60;
  const step = minutes[1] - minutes[0];
  if (60 % step !== 0 || minutes.length !== 60 / step || minutes[0] >= step) return undefined;
  return minutes.every((m, i) => m === minutes[0] + i * step) ? step : undefined;
}

/** A five-field cron expression; `U` in the weekday field marks the weekday spread. */
export function parseCronExpression(expression: string): Cadence {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new CronSyntaxError(`expected 5 fields, found ${parts.length}`);
  const weekdayPlaceholder = parts[4] === 'U';
  const [minute, hour, dayOfMonth, month, weekday] = FIELDS.map((field, i) =>
    field.key === 'weekday' && weekdayPlaceholder ? undefined : parseField(parts[i], field),
  );
  if (dayOfMonth && weekday) {
    // cron ORs the two fields, systemd ANDs them: refuse rather than guess.
    throw new CronSyntaxError(
      'both day of month and weekday are restricted (cron and systemd read that differently)',
    );
  }
  const times: CronTimes = {
    minute: minute ?? range(0, 59),
    hour: hour ?? range(0, 23),
    dayOfMonth,
    month,
    weekday,
  };
  return { times, minuteStep: minute ? minuteStepOf(minute) : undefined, weekdayPlaceholder };
}

/** `every 5m`, `every 2h`, `hourly`, `daily`, `weekly` (with `at`), or a cron expression. */
export function parseCadence(cadence: string, at?: string): Cadence {
  const [hourText, minuteText] = (at ?? ':00').split(':');
  const atMinute = Number(minuteText);
  const atHour = hourText === '' ? 0 : Number(hourText);
  if (atMinute > 59 || atHour > 23) throw new CronSyntaxError(`"${at}" is not a time of day`);
  const every = /^every\s+(\d+)\s*(m|min|h)$/.exec(cadence.trim());
  if (every) {
    const n = Number(every[1]);
    const perHour = every[2] === 'h';
    const limit = perHour ? 24 : 60;
    if (n < 1 || limit % n !== 0)
      throw new CronSyntaxError(`"${cadence}": the interval must divide ${limit}`);
    return perHour
      ? {
          times: { minute: [atMinute], hour: range(atHour % n, 23, n) },
          minuteStep: 60,
          weekdayPlaceholder: false,
        }
      : {
          times: { minute: range(0, 59, n), hour: range(0, 23) },
          minuteStep: n === 1 ? undefined : n,
          weekdayPlaceholder: false,
        };
  }
  switch (cadence.trim()) {
    case 'hourly':
      return { times: { minute: [atMinute], hour: range(0, 23) }, minuteStep: 60, weekdayPlaceholder: false };
    case 'daily':
      return { times: { minute: [atMinute], hour: [atHour] }, minuteStep: 60, weekdayPlaceholder: false };
    case 'weekly':
      return {
        times: { minute: [atMinute], hour: [atHour], weekday: [0] },
        minuteStep: 60,
        weekdayPlaceholder: false,
      };
    default:
      return parseCronExpression(cadence);
  }
}

/** `*`, `*\/5`, ranges and lists, as short as cron allows. */
function formatField(values: number[] | undefined, min: number, max: number, steps = false): string {
  if (values === undefined || values.length === max - min + 1) return '*';
  const step = values.length > 1 ? values[1] - values[0] : 0;
  if (
    steps &&
    values.length > 2 &&
    values[0] === min &&
    values.every((v, i) => v === min + i * step) &&
    values.at(-1)! + step > max
  ) {
    return `*/${step}`;
  }
  const parts: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j] + 1) j += 1;
    parts.push(j - i >= 2 ? `${values[i]}-${values[j]}` : values.slice(i, j + 1).join(','));
    i = j + 1;
  }
  return parts.join(',');
}

export function formatCron(times: CronTimes): string {
  return [
    formatField(times.minute, 0, 59, true),
    formatField(times.hour, 0, 23, true),
    formatField(times.dayOfMonth, 1, 31),
    formatField(times.month, 1, 12),
    formatField(times.weekday, 0, 6),
  ].join(' ');
}

/** systemd `OnCalendar=` for the same times: `Mon,Thu *-*-* 03:00:00` (`second`: the slot's delay). */
export function formatOnCalendar(times: CronTimes, second = 0): string {
  const list = (values: number[] | undefined, min: number, max: number) =>
    values === undefined || values.length === max - min + 1
      ? '*'
      : values.map((v) => String(v).padStart(2, '0')).join(',');
  const weekday =
    times.weekday && times.weekday.length < 7
      ? `${times.weekday.map((d) => WEEKDAY_NAMES[d]).join(',')} `
      : '';
  return `${weekday}*-${list(times.month, 1, 12)}-${list(times.dayOfMonth, 1, 31)} ${list(times.hour, 0, 23)}:${list(times.minute, 0, 59)}:${String(second).padStart(2, '0')}`;
}

const intersects = (a: number[] | undefined, b: number[] | undefined) =>
  a === undefined || b === undefined || a.some((v) => b.includes(v));

/** Whether two schedules can start in the same minute (day of month and month are read as overlapping). */
export function overlaps(a: CronTimes, b: CronTimes): boolean {
  return intersects(a.minute, b.minute) && intersects(a.hour, b.hour) && intersects(a.weekday, b.weekday);
}
