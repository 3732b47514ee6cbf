import type { FileStore, MailResult } from '@ffphoton/core';
import type { WebSettings } from '../settings.js';
import {
  type AccountBuckets,
  type AccountEntry,
  bucketAccounts,
  daysText,
  loadAccountsFile,
  needsAttention,
  weekdayOf,
} from './account-expiry.js';

export type DigestReason = 'digest-day' | 'attention' | 'forced' | 'none';

export interface DigestResult {
  file: string;
  at: string;
  buckets: AccountBuckets;
  /** Why a mail was (or was not) sent. */
  reason: DigestReason;
  mail?: MailResult;
}

/** The slice of core's Mailer the digest needs. */
export interface DigestMailer {
  send(message: { to?: string[]; cc?: string[]; subject: string; text: string }): Promise<MailResult>;
}

const line = (e: AccountEntry) => {
  const gateways = e.gateways.length ? e.gateways.join(', ') : 'no gateway';
  return `  - ${e.account}: ${e.provider} / ${e.login}, until ${e.until} (${daysText(e)}); used by ${gateways}`;
};

/** Composes the plain-text digest: what needs action first, then everything that is fine. */
export function digestText(buckets: AccountBuckets, host: string, footer?: string): string {
  const block = (title: string, lines: string[]) => (lines.length ? [`${title}:`, ...lines, ''] : []);
  return [
    needsAttention(buckets)
      ? `Accounts need attention (${host}).`
      : `Weekly account digest (${host}): nothing expires soon.`,
    '',
    ...block('OVERDUE', buckets.overdue.map(line)),
    ...block('WARNING (expires soon)', buckets.warning.map(line)),
    ...block(
      'INVALID ENTRIES (fix the accounts file)',
      buckets.invalid.map((i) => `  - ${i.entry}: ${i.reason}`),
    ),
    ...block('good', buckets.good.map(line)),
    ...(footer ? [footer] : []),
  ].join('\n');
}

/**
 * The account-expiry digest: a mail on the digest weekday, and on any other day when an account
 * is overdue, about to expire or unreadable (the original ignored overdue accounts outside the digest day).
 */
export class AccountDigest {
  constructor(
    private readonly files: FileStore,
    private readonly mailer: DigestMailer,
  ) {}

  async run(cfg: WebSettings['accounts'] & { file: string }, host: string, now: Date, force: boolean) {
    const parsed = await loadAccountsFile(this.files, cfg.file);
    const buckets = bucketAccounts(parsed, now);
    const reason: DigestReason =
      weekdayOf(now) === parsed.digestWeekday
        ? 'digest-day'
        : needsAttention(buckets)
          ? 'attention'
          : force
            ? 'forced'
            : 'none';
    const result: DigestResult = { file: cfg.file, at: now.toISOString(), buckets, reason };
    if (reason === 'none') return result;
    const counts = `${buckets.overdue.length} overdue, ${buckets.warning.length} warning, ${buckets.invalid.length} invalid`;
    result.mail = await this.mailer.send({
      to: cfg.to.length ? cfg.to : undefined,
      cc: cfg.cc.length ? cfg.cc : undefined,
      subject: `${cfg.subject} (${host}): ${counts}`,
      text: digestText(buckets, host, cfg.footer),
    });
    return result;
  }
}
