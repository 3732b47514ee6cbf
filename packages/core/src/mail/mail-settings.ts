import { defineSettings } from '../settings/namespace.js';
import { nonEmptyString, nonNegativeInt, positiveNumber, z } from '../settings/zod.js';

const addresses = z
  .union([z.string().min(3), z.array(z.string().min(3))])
  .transform((v) => (Array.isArray(v) ? v : [v]));

export const mailSettings = defineSettings(
  'mail',
  'Mail: transport (sendmail, smtp, file), sender, admins, and when failure mails are sent',
  z.strictObject({
    transport: z.enum(['sendmail', 'smtp', 'file']).default('sendmail'),
    /** Envelope and header sender (default: photon@<host>). */
    from: z.string().min(3).optional(),
    /** The admins who get failure mails; without any, no failure mail is sent. */
    to: addresses.default([]),
    cc: addresses.default([]),
    bcc: addresses.default([]),
    /** When a task mails the admins. */
    on: z.enum(['failure', 'always', 'never']).default('failure'),
    /** Per task (e.g. `alfred-announce: never`): overrides `on` for that task. */
    tasks: z.record(nonEmptyString, z.enum(['failure', 'always', 'never'])).default({}),
    /**
     * One mail per incident: the same failure again mails only after this many hours (a reminder);
     * 0 mails every failed run.
     */
    reminderHours: z.number().min(0).default(24),
    /** Also mail failures of runs started at a terminal (stdin and stderr a tty); the admin sees those. */
    attended: z.boolean().default(false),
    /** Log lines of the run quoted in the mail. */
    logLines: nonNegativeInt.default(40),
    sendmail: z
      .strictObject({
        path: nonEmptyString.default('/usr/sbin/sendmail'),
        /** Extra arguments before `-f <from> <recipients>` (e.g. msmtp's `-C file`). */
        args: z.array(z.string()).default([]),
      })
      .prefault({}),
    smtp: z
      .strictObject({
        host: nonEmptyString.default('localhost'),
        port: z.number().int().min(1).max(65535).default(25),
        /** `starttls` upgrades a plain connection (and requires it), `tls` connects with TLS (465). */
        security: z.enum(['none', 'starttls', 'tls']).default('none'),
        user: nonEmptyString.optional(),
        password: nonEmptyString.optional(),
        timeoutSeconds: positiveNumber.default(30),
        /** Accept a self-signed server certificate. */
        allowSelfSigned: z.boolean().default(false),
      })
      .prefault({}),
    /** Directory the `file` transport writes `.eml` files into. */
    outbox: nonEmptyString.default('/var/spool/photon/outbox'),
  }),
  {
    programs: (mail) => (mail.transport === 'sendmail' ? [mail.sendmail.path] : []),
    example: { to: ['admins@example.org'] },
  },
);
export type MailSettings = z.output<typeof mailSettings.schema>;
