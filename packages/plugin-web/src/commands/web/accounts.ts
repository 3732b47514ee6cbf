import {
  ConfigError,
  Flags,
  partial,
  TaskCommand,
  type TaskContext,
  type TaskOutcome,
  UnavailableError,
  UsageError,
} from '@ffphoton/core';
import { AccountDigest, type DigestResult } from '../../services/account-digest.js';
import { parseDate } from '../../services/account-expiry.js';
import { webSettings } from '../../settings.js';

export default class WebAccounts extends TaskCommand<typeof WebAccounts, DigestResult> {
  static override summary = 'Check the accounts file for expiring accounts and mail the digest when due';
  static override description =
    'Mails on the digest weekday, and on any other day when an account is overdue, expires within the warn days, or has a bad entry. ' +
    'Exit codes: 0 checked (and mailed when due); 5 the accounts file has bad entries (named in the digest); ' +
    '69 the digest mail could not be sent; 2 no or unreadable accounts file, bad settings.';
  static override settings = [webSettings];
  static override flags = {
    at: Flags.string({
      summary: 'Evaluate as of this date (YYYY-MM-DD) instead of now, e.g. to preview next week.',
    }),
    'force-mail': Flags.boolean({ summary: 'Send the digest even when it is not due.', default: false }),
  };

  static override examples = [
    '<%= config.bin %> web accounts',
    '<%= config.bin %> web accounts --dry-run  # the digest, no mail',
  ];

  protected async execute(ctx: TaskContext): Promise<TaskOutcome<DigestResult>> {
    const cfg = ctx.settings.get(webSettings).accounts;
    if (!cfg.file) throw new ConfigError('no accounts file configured', { keyPath: 'web.accounts.file' });
    const now = this.flags.at ? parseAt(this.flags.at) : ctx.clock.now();
    const digest = new AccountDigest(ctx.files, ctx.mailer);
    const result = await digest.run({ ...cfg, file: cfg.file }, ctx.host, now, this.flags['force-mail']);
    if (result.mail && !result.mail.sent && !result.mail.skipped) {
      throw new UnavailableError(`digest mail not sent: ${result.mail.error}`);
    }
    const invalid = result.buckets.invalid;
    if (invalid.length === 0) return result;
    return partial(
      result,
      invalid.map((i) => `${i.entry}: ${i.reason}`),
      `${invalid.length} bad entr${invalid.length === 1 ? 'y' : 'ies'} in ${cfg.file}`,
    );
  }

  protected summarize(r: DigestResult): string {
    const b = r.buckets;
    const mail = r.mail ? (r.mail.skipped ? 'mail skipped (dry run)' : 'mail sent') : 'no mail due';
    return `accounts: ${b.overdue.length} overdue, ${b.warning.length} warning, ${b.good.length} good; ${mail}`;
  }

  protected override render(r: DigestResult): string[] {
    const b = r.buckets;
    return [
      ...b.overdue.map((e) => `overdue  ${e.account} until ${e.until} (${e.gateways.join(', ')})`),
      ...b.warning.map((e) => `warning  ${e.account} until ${e.until} (${e.gateways.join(', ')})`),
    ];
  }
}

function parseAt(value: string): Date {
  const date = parseDate(value, '%Y-%m-%d');
  if (!date) throw new UsageError(`--at ${value}: expected YYYY-MM-DD`);
  // Noon (as the README documents): mid-day, away from the midnight at which accounts end.
  date.setHours(12);
  return date;
}
