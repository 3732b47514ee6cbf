import type { Transporter } from 'nodemailer';
import { messageOf } from '../errors/errors.js';
import type { FileStore } from '../fs/file-store.js';
import { formatTimestamp } from '../host/clock.js';
import type { ChangeRecorder } from '../journal/change-recorder.js';
import type { Logger } from '../log/logger.js';
import { randomHex } from '../text/random-hex.js';
import type { MailSettings } from './mail-settings.js';

/** Photon's mail fields; every `parts` entry becomes its own text/plain part. */
export interface MailMessage {
  to?: string | string[];
  cc?: string | string[];
  bcc?: string | string[];
  from?: string;
  subject: string;
  text: string;
  parts?: string[];
}

export interface MailResult {
  sent: boolean;
  /** Envelope recipients (to + cc + bcc). */
  recipients: string[];
  subject: string;
  messageId?: string;
  /** Path of the .eml written by the `file` transport. */
  file?: string;
  skipped?: boolean;
  error?: string;
}

/**
 * Sends mail through the transport chosen in settings; nodemailer loads on the first send.
 * `send` never throws: a failure is in the result (and recorded), as Photon's mailer never aborted.
 */
export class Mailer {
  constructor(
    private readonly settings: MailSettings,
    private readonly files: FileStore,
    private readonly options: { host: string; dryRun: boolean; logger?: Logger; recorder?: ChangeRecorder },
  ) {}

  async send(message: MailMessage): Promise<MailResult> {
    const to = list(message.to ?? this.settings.to);
    const cc = list(message.cc ?? this.settings.cc);
    const bcc = list(message.bcc ?? this.settings.bcc);
    const recipients = [...to, ...cc, ...bcc];
    const result: MailResult = { sent: false, recipients, subject: message.subject };
    const record = (r: MailResult) => {
      this.options.recorder?.recordMail({ to: recipients, subject: r.subject, ok: r.sent, error: r.error });
      return r;
    };
    if (recipients.length === 0) return record({ ...result, error: 'no recipients' });
    if (this.options.dryRun) {
      this.options.logger?.info({ to: recipients, subject: message.subject }, 'dry-run: would send mail');
      return { ...result, skipped: true };
    }
    const mail = {
      from: message.from ?? this.settings.from ?? `photon@${this.options.host}`,
      to,
      cc,
      bcc,
      subject: message.subject,
      text: message.text,
      headers: { 'X-Mailer': 'photon' },
      attachments: (message.parts ?? []).map((content, index) => ({
        filename: `part-${index + 1}.txt`,
        content,
        contentType: 'text/plain; charset=utf-8',
        contentDisposition: 'inline' as const,
        contentTransferEncoding: 'quoted-printable' as const,
      })),
    };
    try {
      if (this.settings.transport === 'file') {
        const file = await this.writeToOutbox(mail);
        return record({ ...result, sent: true, file });
      }
      const info = await (await this.transport(mail.from)).sendMail(mail);
      const rejected = (info.rejected ?? []).map(String);
      if (rejected.length > 0) return record({ ...result, error: `rejected: ${rejected.join(', ')}` });
      return record({ ...result, sent: true, messageId: info.messageId });
    } catch (error) {
      return record({ ...result, error: messageOf(error) });
    }
  }

  private async writeToOutbox(mail: Record<string, unknown>): Promise<string> {
    const nodemailer = await import('nodemailer');
    const info = await nodemailer
      .createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
      .sendMail(mail);
    const name = `${formatTimestamp(new Date())}-${randomHex(4)}.eml`;
    const file = `${this.settings.outbox.replace(/\/+$/, '')}/${name}`;
    await this.files.writeAtomic(file, info.message as Buffer, { mode: 0o600 }, 'create');
    return file;
  }

  private async transport(from: string): Promise<Transporter> {
    const nodemailer = await import('nodemailer');
    const { transport, sendmail, smtp } = this.settings;
    if (transport === 'sendmail') {
      return nodemailer.createTransport({
        sendmail: true,
        path: sendmail.path,
        newline: 'unix',
        // With `args` nodemailer drops its own `-f`; keep the envelope sender.
        args: [...sendmail.args, '-f', from],
      });
    }
    const timeout = smtp.timeoutSeconds * 1000;
    return nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.security === 'tls',
      requireTLS: smtp.security === 'starttls',
      ignoreTLS: smtp.security === 'none',
      auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      tls: { rejectUnauthorized: !smtp.allowSelfSigned },
    });
  }
}

function list(value: string | string[]): string[] {
  return (Array.isArray(value) ? value : [value]).filter(Boolean);
}
