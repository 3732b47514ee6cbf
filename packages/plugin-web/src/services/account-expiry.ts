import {
  byCodeUnit,
  ConfigError,
  type FileStore,
  nonEmptyString,
  nonNegativeInt,
  readYaml,
  readYamlTextIfExists,
  z,
} from '@ffphoton/core';

/**
 * The accounts file, in the format nagg_exitvpn_accouts_all read from the configs repository:
 *
 * ```yaml
 * accounts: {a: &A {login: ffmwu, provider: Rheinland, until: '01.01.2018'}}
 * conf: {warndays: 10, digestday: 1, date_format: '%d.%m.%Y'}   # digestday: Monday = 0
 * gateways: {Kaschu: *A, Lotuswurzel: a}                        # an alias or an account's name
 * ```
 */
const account = z.looseObject({
  provider: z.unknown().optional(),
  login: z.unknown().optional(),
  until: z.unknown(),
});
const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
const accountsFileSchema = z.strictObject({
  accounts: z.record(z.string(), account).default({}),
  gateways: z.record(z.string(), z.union([z.string(), account])).default({}),
  conf: z
    .strictObject({
      warndays: nonNegativeInt.default(10),
      /** Python's weekday(): Monday = 0 … Sunday = 6, or the day's English name. */
      digestday: z.union([nonNegativeInt.max(6), z.enum(weekdays)]).default(0),
      date_format: nonEmptyString.default('%d.%m.%Y'),
    })
    .prefault({}),
});

export interface AccountsFile {
  accounts: { name: string; provider: string; login: string; until: unknown; gateways: string[] }[];
  /** Gateways naming an account that does not exist. */
  dangling: { gateway: string; account: string }[];
  warnDays: number;
  /** Monday = 0. */
  digestWeekday: number;
  dateFormat: string;
}

export interface AccountEntry {
  account: string;
  provider: string;
  login: string;
  until: string;
  /** Whole days until the account ends (negative: whole days since it ended). */
  daysLeft: number;
  gateways: string[];
}

export interface InvalidEntry {
  entry: string;
  reason: string;
}

export interface AccountBuckets {
  good: AccountEntry[];
  warning: AccountEntry[];
  overdue: AccountEntry[];
  invalid: InvalidEntry[];
}

/** Reads and parses the accounts file; a missing or malformed file is a ConfigError naming it. */
export async function loadAccountsFile(files: FileStore, file: string): Promise<AccountsFile> {
  const text = readYamlTextIfExists(files, file);
  if (text === undefined) throw new ConfigError('the accounts file does not exist', { file });
  return parseAccountsFile(text, file);
}

export function parseAccountsFile(text: string, file: string): AccountsFile {
  const data = readYaml(text, { source: file }) ?? {};
  const parsed = accountsFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(issue.message, { file, keyPath: issue.path.join('.') });
  }
  const { accounts, gateways, conf } = parsed.data;
  const named = new Map(
    Object.entries(accounts).map(([name, a]) => [name, { name, a, gateways: [] as string[] }]),
  );
  const dangling: AccountsFile['dangling'] = [];
  for (const [gateway, ref] of Object.entries(gateways).sort(([a], [b]) => byCodeUnit(a, b))) {
    // A YAML alias arrives as a copy of the account: find it by content.
    const target =
      typeof ref === 'string'
        ? named.get(ref)
        : [...named.values()].find((n) => JSON.stringify(n.a) === JSON.stringify(ref));
    if (target) target.gateways.push(gateway);
    else if (typeof ref === 'string') dangling.push({ gateway, account: ref });
    else named.set(`${gateway} (inline)`, { name: `${gateway} (inline)`, a: ref, gateways: [gateway] });
  }
  return {
    accounts: [...named.values()].map(({ name, a, gateways: gws }) => ({
      name,
      provider: String(a.provider ?? ''),
      login: String(a.login ?? ''),
      until: a.until,
      gateways: gws,
    })),
    dangling,
    warnDays: conf.warndays,
    digestWeekday: typeof conf.digestday === 'number' ? conf.digestday : weekdays.indexOf(conf.digestday),
    dateFormat: conf.date_format,
  };
}

/** Parses a date written in a strftime format (%d %m %Y %y %%); undefined when it is not a real date. */
export function parseDate(text: string, format: string): Date | undefined {
  const fields: string[] = [];
  const pattern = format.replace(/%([dmYy%])|[.*+?^${}()|[\]\\]/g, (token, field: string | undefined) => {
    if (!field) return `\\${token}`;
    if (field === '%') return '%';
    fields.push(field);
    return field === 'Y' ? '(\\d{4})' : '(\\d{1,2})';
  });
  if (/%[^dmYy%]/.test(format.replace(/%%/g, ''))) return undefined;
  const match = new RegExp(`^${pattern}$`).exec(text.trim());
  if (!match) return undefined;
  const value = (f: string) => {
    const i = fields.indexOf(f);
    return i < 0 ? undefined : Number(match[i + 1]);
  };
  const year = value('Y') ?? 2000 + (value('y') ?? Number.NaN);
  const month = value('m') ?? Number.NaN;
  const day = value('d') ?? Number.NaN;
  const date = new Date(year, month - 1, day);
  return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day
    ? date
    : undefined;
}

/** How far an account is from its end, as the digest and the status page word it. */
export const daysText = (e: AccountEntry) =>
  e.daysLeft < 0 ? `${-e.daysLeft} day(s) overdue` : `${e.daysLeft} day(s) left`;

/** Whether anything is overdue, about to expire or unreadable: the digest is then sent on any day. */
export const needsAttention = (b: AccountBuckets) =>
  b.overdue.length + b.warning.length + b.invalid.length > 0;

/** Monday = 0, as Python's weekday() that the original digest day used. */
export const weekdayOf = (date: Date) => (date.getDay() + 6) % 7;

/**
 * Sorts accounts into good / warning / overdue like the original: an account ends at midnight
 * at the start of its `until` day; "warning" when that is at most `warnDays` days away.
 */
export function bucketAccounts(file: AccountsFile, now: Date): AccountBuckets {
  const buckets: AccountBuckets = { good: [], warning: [], overdue: [], invalid: [] };
  for (const a of file.accounts) {
    const until = typeof a.until === 'string' ? parseDate(a.until, file.dateFormat) : undefined;
    if (!until) {
      buckets.invalid.push({
        entry: a.name,
        reason: `until ${JSON.stringify(a.until ?? null)} is not a date in the format ${file.dateFormat}`,
      });
      continue;
    }
    const msLeft = until.getTime() - now.getTime();
    const entry: AccountEntry = {
      account: a.name,
      provider: a.provider,
      login: a.login,
      until: String(a.until),
      daysLeft: Math.trunc(msLeft / 86_400_000),
      gateways: a.gateways,
    };
    if (msLeft <= 0) buckets.overdue.push(entry);
    else if (msLeft <= file.warnDays * 86_400_000) buckets.warning.push(entry);
    else buckets.good.push(entry);
  }
  for (const d of file.dangling) {
    buckets.invalid.push({
      entry: `gateway ${d.gateway}`,
      reason: `refers to the unknown account ${d.account}`,
    });
  }
  buckets.overdue.sort((a, b) => a.daysLeft - b.daysLeft);
  buckets.warning.sort((a, b) => a.daysLeft - b.daysLeft);
  return buckets;
}
