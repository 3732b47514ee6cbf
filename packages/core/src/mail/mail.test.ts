import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { ExitCode } from '../errors/errors.js';
import { FileStore } from '../fs/file-store.js';
import { RootSandbox } from '../fs/root-sandbox.js';
import { TaskRunner, type TaskRunOptions } from '../task/task-runner.js';
import { mailSettings } from './mail-settings.js';
import { Mailer } from './mailer.js';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on loopback that keeps what it receives. */
class SmtpSink {
  readonly mails: Received[] = [];
  private server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, session, callback) => {
      let raw = '';
      stream.on('data', (chunk: Buffer) => {
        raw += chunk.toString();
      });
      stream.on('end', () => {
        this.mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        callback();
      });
    },
  });
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
  async waitFor(count: number): Promise<void> {
    for (let i = 0; i < 200 && this.mails.length < count; i++) await new Promise((r) => setTimeout(r, 50));
  }
}

function decode(raw: string): string {
  // Bodies are quoted-printable: undo soft line breaks and =XX escapes for assertions.
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function runOptions(mail: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'photon-mail-'));
  const config = path.join(root, 'photon.yaml');
  writeFileSync(config, YAML.stringify({ mail, ...extra }));
  const opts: TaskRunOptions = {
    task: 'demo-task',
    argv: ['demo', '--flag'],
    configFiles: [config],
    root,
    dryRun: false,
    lock: false,
    waitSeconds: 0,
    namespaces: [],
    knownNamespaces: [],
    defaultDataDir: '/var/lib/photon',
    env: { HOME: '/root' },
    hostname: 'kaschu',
    logStream: new PassThrough().resume(),
    logLevel: 'info',
    logFormat: 'json',
    journal: true,
  };
  return { root, opts };
}

const KEY =
  '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';

describe('mail through a real SMTP server on loopback', () => {
  const smtp = new SmtpSink();
  beforeAll(() => smtp.start());
  afterAll(() => smtp.stop());

  it('mails the admins when a task fails: subject, log lines, command output, redacted, no settings', async () => {
    const before = smtp.mails.length;
    const { root, opts } = runOptions({
      transport: 'smtp',
      smtp: { host: '127.0.0.1', port: smtp.port, password: 'hunter2-smtp' },
      from: 'photon@kaschu.example',
      to: ['noc@example.org'],
      cc: 'ops@example.org',
      bcc: ['audit@example.org'],
    });
    const { output } = await new TaskRunner().run(
      opts,
      async (ctx) => {
        ctx.logger.info('checking the bird sessions');
        await ctx.shell.run(['sh', '-c', `echo "bird: 3 sessions down"; echo '${KEY}' >&2; exit 3`]);
        return 0;
      },
      () => 'ok',
    );
    expect(output.exitCode).toBe(ExitCode.Failed);
    await smtp.waitFor(before + 1);
    const mail = smtp.mails[before];
    expect(mail.from).toBe('photon@kaschu.example');
    expect(mail.to.sort()).toEqual(['audit@example.org', 'noc@example.org', 'ops@example.org']);
    const text = decode(mail.raw);
    expect(text).toContain('Subject: [photon] kaschu demo-task failed (exit 1)');
    expect(text).toContain('Cc: ops@example.org');
    expect(text).not.toMatch(/^Bcc:/m);
    expect(text).toContain('X-Mailer: photon');
    expect(text).toContain('checking the bird sessions');
    expect(text).toContain('bird: 3 sessions down');
    expect(text).toContain('***');
    expect(text).not.toContain('b3BlbnNzaC1rZXktdjEAAAAA');
    expect(text).not.toContain('hunter2-smtp');
    const journalDir = path.join(root, 'var/lib/photon/runs/demo-task');
    const record = JSON.parse(readFileSync(path.join(journalDir, readdirSync(journalDir)[0]), 'utf8'));
    expect(record.mails).toEqual([
      expect.objectContaining({ ok: true, subject: '[photon] kaschu demo-task failed (exit 1)' }),
    ]);
  });

  it('sends nothing for a successful run unless mail.on is always', async () => {
    const before = smtp.mails.length;
    const base = { transport: 'smtp', smtp: { host: '127.0.0.1', port: smtp.port }, to: 'noc@example.org' };
    await new TaskRunner().run(
      runOptions(base).opts,
      async () => 1,
      () => 'fine',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.mails.length).toBe(before);
    await new TaskRunner().run(
      runOptions({ ...base, on: 'always' }).opts,
      async () => 1,
      () => 'fine',
    );
    await smtp.waitFor(before + 1);
    expect(decode(smtp.mails[before].raw)).toContain('Subject: [photon] kaschu demo-task ok');
  });

  it('delivers through the sendmail transport with Debian msmtp pointed at the SMTP server', async () => {
    const before = smtp.mails.length;
    const root = mkdtempSync(path.join(os.tmpdir(), 'photon-msmtp-'));
    const settings = mailSettings.schema.parse({
      transport: 'sendmail',
      from: 'photon@kaschu.example',
      sendmail: {
        path: '/usr/bin/msmtp',
        args: ['--host=127.0.0.1', `--port=${smtp.port}`, '--auth=off', '--tls=off'],
      },
    });
    const mailer = new Mailer(settings, new FileStore(new RootSandbox(root), { dryRun: false }), {
      host: 'kaschu',
      dryRun: false,
    });
    const result = await mailer.send({
      to: ['noc@example.org'],
      subject: 'exit-vpn accounts',
      text: 'first part',
      parts: ['second part', 'third part'],
    });
    expect(result).toMatchObject({ sent: true, recipients: ['noc@example.org'] });
    await smtp.waitFor(before + 1);
    const mail = smtp.mails[before];
    expect(mail.from).toBe('photon@kaschu.example');
    expect(mail.to).toEqual(['noc@example.org']);
    const text = decode(mail.raw);
    expect(text).toContain('Subject: exit-vpn accounts');
    for (const part of ['first part', 'second part', 'third part']) expect(text).toContain(part);
    expect(text.match(/Content-Type: text\/plain/g)?.length).toBe(3);
  });

  it('writes .eml files into the outbox with the file transport and nothing in dry-run', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'photon-outbox-'));
    const settings = mailSettings.schema.parse({
      transport: 'file',
      outbox: '/var/spool/photon/outbox',
      to: 'a@b.c',
    });
    const send = (dryRun: boolean) =>
      new Mailer(settings, new FileStore(new RootSandbox(root), { dryRun }), { host: 'kaschu', dryRun }).send(
        {
          subject: 'hello',
          text: 'body text',
        },
      );
    expect((await send(true)).skipped).toBe(true);
    const result = await send(false);
    expect(result.file).toMatch(/^\/var\/spool\/photon\/outbox\/.*\.eml$/);
    const outbox = readdirSync(path.join(root, 'var/spool/photon/outbox'));
    expect(outbox).toHaveLength(1);
    const eml = readFileSync(path.join(root, result.file!), 'utf8');
    expect(eml).toContain('Subject: hello');
    expect(eml).toContain('body text');
    expect(eml).toContain('From: photon@kaschu');
  });

  it('a mail that cannot be sent is logged and journaled and keeps the exit code', async () => {
    const closed = new SMTPServer({ logger: false });
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { root, opts } = runOptions({
      transport: 'smtp',
      smtp: { host: '127.0.0.1', port, timeoutSeconds: 5 },
      to: 'noc@example.org',
    });
    const { output } = await new TaskRunner().run(
      opts,
      async () => {
        throw new Error('boom');
      },
      () => 'ok',
    );
    expect(output.exitCode).toBe(ExitCode.Failed);
    const journalDir = path.join(root, 'var/lib/photon/runs/demo-task');
    const record = JSON.parse(readFileSync(path.join(journalDir, readdirSync(journalDir)[0]), 'utf8'));
    expect(record.exitCode).toBe(ExitCode.Failed);
    expect(record.mails).toEqual([
      expect.objectContaining({ ok: false, error: expect.stringMatching(/ECONNREFUSED|connect/i) }),
    ]);
  });
});

describe('smtp transport: STARTTLS with auth, and timeouts', () => {
  it('upgrades with STARTTLS, authenticates and delivers', async () => {
    const mails: { user?: string; secure: boolean; raw: string }[] = [];
    const server = new SMTPServer({
      logger: false,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth(auth, _session, callback) {
        if (auth.username === 'photon' && auth.password === 's3cret') callback(null, { user: auth.username });
        else callback(new Error('bad credentials'));
      },
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => {
          raw += chunk.toString();
        });
        stream.on('end', () => {
          mails.push({ user: session.user as string | undefined, secure: session.secure, raw });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    try {
      const root = mkdtempSync(path.join(os.tmpdir(), 'photon-starttls-'));
      const mailer = (password: string) =>
        new Mailer(
          mailSettings.schema.parse({
            transport: 'smtp',
            to: 'noc@example.org',
            smtp: {
              host: '127.0.0.1',
              port,
              security: 'starttls',
              user: 'photon',
              password,
              allowSelfSigned: true,
            },
          }),
          new FileStore(new RootSandbox(root), { dryRun: false }),
          { host: 'kaschu', dryRun: false },
        );
      expect(await mailer('s3cret').send({ subject: 'tls', text: 'over tls' })).toMatchObject({ sent: true });
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({ user: 'photon', secure: true });
      const refused = await mailer('wrong').send({ subject: 'tls', text: 'x' });
      expect(refused.sent).toBe(false);
      expect(refused.error).toMatch(/auth|credentials|535/i);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('gives up on a server that never greets after smtp.timeoutSeconds', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const root = mkdtempSync(path.join(os.tmpdir(), 'photon-smtp-timeout-'));
      const started = Date.now();
      const result = await new Mailer(
        mailSettings.schema.parse({
          transport: 'smtp',
          to: 'a@b.c',
          smtp: { host: '127.0.0.1', port, timeoutSeconds: 1 },
        }),
        new FileStore(new RootSandbox(root), { dryRun: false }),
        { host: 'kaschu', dryRun: false },
      ).send({ subject: 's', text: 't' });
      expect(result.sent).toBe(false);
      expect(result.error).toMatch(/time|greeting never received/i);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      silent.close();
    }
  });
});

describe('Mailer: recipients, dry-run and refusals', () => {
  /** An SMTP server that refuses one recipient and keeps the envelopes of what it takes. */
  const envelopes: { from: string; to: string[] }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo: (address, _session, callback) =>
      callback(address.address === 'refused@example.org' ? new Error('no such user') : undefined),
    onData: (stream, session, callback) => {
      stream.resume();
      stream.on('end', () => {
        envelopes.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        });
        callback();
      });
    },
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function mailer(settings: Record<string, unknown>, dryRun = false) {
    const { RunChanges } = await import('../journal/change-recorder.js');
    const { createTaskLogger } = await import('../log/logger.js');
    const changes = new RunChanges();
    const logged: unknown[] = [];
    const { logger } = await createTaskLogger({
      level: 'info',
      format: 'json',
      stream: { write: (text: string) => void logged.push(JSON.parse(text).msg) },
    });
    const files = new FileStore(new RootSandbox(mkdtempSync(path.join(os.tmpdir(), 'photon-mailer-'))), {
      dryRun,
    });
    const mail = new Mailer(
      mailSettings.schema.parse({ transport: 'smtp', smtp: { host: '127.0.0.1', port }, ...settings }),
      files,
      {
        host: 'kaschu',
        dryRun,
        logger,
        recorder: changes,
      },
    );
    return { mail, changes, logged };
  }

  it('sends to to, cc and bcc from photon@<host>; the message names recipients over the settings', async () => {
    const { mail, changes } = await mailer({ to: 'settings@example.org', cc: 'cc@example.org' });
    // The message's own recipients replace the settings' (an empty one is dropped).
    const result = await mail.send({
      subject: 's',
      text: 't',
      to: ['noc@example.org', ''],
      bcc: ['bcc@example.org'],
    });
    expect(result).toMatchObject({
      sent: true,
      recipients: ['noc@example.org', 'cc@example.org', 'bcc@example.org'],
      subject: 's',
    });
    expect(envelopes.at(-1)).toEqual({
      from: 'photon@kaschu',
      to: ['noc@example.org', 'cc@example.org', 'bcc@example.org'],
    });
    expect(changes.mails).toEqual([
      {
        to: ['noc@example.org', 'cc@example.org', 'bcc@example.org'],
        subject: 's',
        ok: true,
        error: undefined,
      },
    ]);
  });

  it('a recipient the server refuses makes the mail unsent, naming it', async () => {
    const { mail, changes } = await mailer({
      to: ['noc@example.org', 'refused@example.org'],
      from: 'gw@example.org',
    });
    const result = await mail.send({ subject: 'partly', text: 't' });
    expect(result).toEqual({
      sent: false,
      recipients: ['noc@example.org', 'refused@example.org'],
      subject: 'partly',
      error: 'rejected: refused@example.org',
    });
    expect(changes.mails).toEqual([
      {
        to: ['noc@example.org', 'refused@example.org'],
        subject: 'partly',
        ok: false,
        error: 'rejected: refused@example.org',
      },
    ]);
  });

  it('without recipients nothing is sent (and that is recorded); a dry run logs and records nothing', async () => {
    const none = await mailer({});
    expect(await none.mail.send({ subject: 'x', text: 't' })).toEqual({
      sent: false,
      recipients: [],
      subject: 'x',
      error: 'no recipients',
    });
    expect(none.changes.mails).toEqual([{ to: [], subject: 'x', ok: false, error: 'no recipients' }]);
    const sentBefore = envelopes.length;
    const dry = await mailer({ to: 'noc@example.org' }, true);
    expect(await dry.mail.send({ subject: 'y', text: 't' })).toEqual({
      sent: false,
      recipients: ['noc@example.org'],
      subject: 'y',
      skipped: true,
    });
    expect(dry.changes.mails).toEqual([]);
    expect(dry.logged).toEqual(['dry-run: would send mail']);
    expect(envelopes.length).toBe(sentBefore);
  });
});

describe('Mailer: the security setting decides TLS, and the message it writes', () => {
  /** A loopback server (STARTTLS offered unless disabled, or TLS from the first byte) that notes each session. */
  async function server(options: { secure?: boolean; disabledCommands?: string[] }) {
    const sessions: { secure: boolean; user?: string; password?: string }[] = [];
    const smtp = new SMTPServer({
      logger: false,
      authOptional: true,
      ...options,
      onAuth(auth, session, callback) {
        sessions.push({
          secure: session.secure,
          user: auth.username ?? undefined,
          password: auth.password ?? undefined,
        });
        callback(null, { user: auth.username });
      },
      onData(stream, session, callback) {
        stream.resume();
        stream.on('end', () => {
          sessions.push({ secure: session.secure });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    return {
      sessions,
      port: (smtp.server.address() as AddressInfo).port,
      close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
    };
  }
  const send = (smtp: Record<string, unknown>) =>
    new Mailer(
      mailSettings.schema.parse({
        transport: 'smtp',
        to: 'noc@example.org',
        smtp: { host: '127.0.0.1', ...smtp },
      }),
      new FileStore(new RootSandbox(mkdtempSync(path.join(os.tmpdir(), 'photon-tls-'))), { dryRun: false }),
      { host: 'kaschu', dryRun: false },
    ).send({ subject: 's', text: 't' });

  it('none: stays in plain text although the server offers STARTTLS', async () => {
    const smtp = await server({});
    try {
      expect((await send({ port: smtp.port, security: 'none', allowSelfSigned: true })).sent).toBe(true);
      expect(smtp.sessions).toEqual([{ secure: false }]);
    } finally {
      await smtp.close();
    }
  });

  it('starttls: refuses to send when the server offers no STARTTLS', async () => {
    const smtp = await server({ disabledCommands: ['STARTTLS'] });
    try {
      const result = await send({ port: smtp.port, security: 'starttls', allowSelfSigned: true });
      expect(result.sent).toBe(false);
      expect(result.error).toMatch(/STARTTLS/i);
      expect(smtp.sessions).toEqual([]);
    } finally {
      await smtp.close();
    }
  });

  it('tls: speaks TLS from the first byte and authenticates there; a user without a password sends nothing', async () => {
    const smtp = await server({ secure: true });
    try {
      const tls = { port: smtp.port, security: 'tls', allowSelfSigned: true, user: 'photon' };
      expect((await send({ ...tls, password: 's3cret' })).error).toBeUndefined();
      expect(smtp.sessions).toEqual([{ secure: true, user: 'photon', password: 's3cret' }, { secure: true }]);
      expect(await send(tls)).toMatchObject({ sent: false, error: expect.stringMatching(/credentials/i) });
      expect(smtp.sessions).toHaveLength(2);
    } finally {
      await smtp.close();
    }
  });

  it('file transport: one .eml (mode 0600, LF line ends) with each part an inline text/plain attachment', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'photon-outbox-'));
    const mailer = new Mailer(
      mailSettings.schema.parse({ transport: 'file', outbox: '/var/spool/photon//', to: 'a@b.c' }),
      new FileStore(new RootSandbox(root), { dryRun: false }),
      { host: 'kaschu', dryRun: false },
    );
    const result = await mailer.send({ subject: 'parts', text: 'body', parts: ['first', 'second'] });
    expect(result.file).toMatch(/^\/var\/spool\/photon\/\d{4}(\.\d\d){2}-\d\d(\.\d\d){2}-[0-9a-f]{8}\.eml$/);
    const file = path.join(root, result.file!);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const eml = readFileSync(file, 'utf8');
    expect(eml).not.toContain('\r\n');
    expect(eml).toContain('X-Mailer: photon');
    for (const [index, content] of ['first', 'second'].entries()) {
      const part = eml.split(/\n--/).find((p) => p.includes(`filename=part-${index + 1}.txt`));
      expect(part, `part ${index + 1}`).toBeDefined();
      expect(part).toContain('Content-Type: text/plain; charset=utf-8');
      expect(part).toContain('Content-Disposition: inline');
      expect(part).toContain(content);
    }
  });
});
