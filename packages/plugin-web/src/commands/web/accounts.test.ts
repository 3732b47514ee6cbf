import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DigestResult } from '../../services/account-digest.js';
import { runCommand, tempDir, writeSettings } from '../../test-helpers/run-command.js';
import WebAccounts from './accounts.js';

interface Received {
  from: string;
  to: string[];
  body: string;
}

/** Decodes the quoted-printable text nodemailer may use for long lines. */
const unQuote = (raw: string) =>
  raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

describe('photon web accounts (digest received by a real SMTP server on loopback)', () => {
  const dir = tempDir('accounts');
  const root = path.join(dir, 'root');
  const received: Received[] = [];
  let server: SMTPServer;
  let port: number;

  const settingsFor = (accounts: string, smtpPort = port) => {
    const file = `/srv/configs/exitvpn-${Math.random().toString(36).slice(2)}.yaml`;
    mkdirSync(path.join(root, 'srv/configs'), { recursive: true });
    writeFileSync(path.join(root, file), accounts);
    return writeSettings(dir, {
      photon: { hostname: 'gw1', dataDir: '/var/lib/photon' },
      mail: {
        transport: 'smtp',
        from: 'gw1@example.org',
        to: ['admin@example.org'],
        on: 'never',
        smtp: { host: '127.0.0.1', port: smtpPort, timeoutSeconds: 5 },
      },
      web: {
        accounts: { file, cc: ['kontakt@example.org'], footer: 'Update exitvpn.yaml in gateway-configs.' },
      },
    });
  };
  const run = (settings: string, ...flags: string[]) =>
    runCommand<DigestResult>(WebAccounts, [
      '--config',
      settings,
      '--root',
      root,
      '--json',
      '--log-level',
      'error',
      ...flags,
    ]);

  beforeAll(async () => {
    mkdirSync(root);
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let body = '';
        stream.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            body: unQuote(body),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  beforeEach(() => {
    received.length = 0;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const accounts = `
accounts:
  a: &A {login: ffmwu, provider: Rheinland, until: '01.03.2026'}
  c: &C {login: old, provider: Hide, until: '01.01.2026'}
conf: {warndays: 10, digestday: 0, date_format: '%d.%m.%Y'}
gateways: {Kaschu: *A, Wasserfloh: *C}
`;

  it('mails an overdue account on a normal day (the original waited for the digest day)', async () => {
    const r = await run(settingsFor(accounts), '--at', '2026-01-14');
    expect(r.exitCode).toBe(0);
    expect(r.output.result).toMatchObject({ reason: 'attention', mail: { sent: true } });
    expect(received).toHaveLength(1);
    expect(received[0].from).toBe('gw1@example.org');
    expect(received[0].to).toEqual(['admin@example.org', 'kontakt@example.org']);
    expect(received[0].body).toMatch(
      /^Subject: photon account expiry \(gw1\): 1 overdue, 0 warning, 0 invalid/m,
    );
    expect(received[0].body).toContain(
      'OVERDUE:\r\n  - c: Hide / old, until 01.01.2026 (13 day(s) overdue); used by Wasserfloh',
    );
    expect(received[0].body).toContain('Update exitvpn.yaml in gateway-configs.');
  });

  it('sends nothing on a quiet day, the weekly digest on the digest day', async () => {
    const good = accounts.replace("'01.01.2026'", "'01.06.2026'");
    const quiet = await run(settingsFor(good), '--at', '2026-01-14');
    expect(quiet.exitCode).toBe(0);
    expect(quiet.output.result).toMatchObject({ reason: 'none' });
    expect(quiet.output.result?.mail).toBeUndefined();
    const monday = await run(settingsFor(good), '--at', '2026-01-12');
    expect(monday.output.result).toMatchObject({ reason: 'digest-day', mail: { sent: true } });
    expect(received).toHaveLength(1);
    expect(received[0].body).toContain('Weekly account digest (gw1): nothing expires soon.');
    expect(received[0].body).toContain('good:\r\n  - a: Rheinland / ffmwu');
  });

  it('names a bad date in the digest and exits 5', async () => {
    const bad = accounts.replace("'01.03.2026'", "'31.02.2026'");
    const r = await run(settingsFor(bad), '--at', '2026-01-14');
    expect(r.exitCode).toBe(5);
    expect(r.output.error?.message).toMatch(/1 bad entry in \/srv\/configs\/exitvpn-.*\.yaml/);
    expect(received).toHaveLength(1);
    expect(received[0].body).toContain(
      'INVALID ENTRIES (fix the accounts file):\r\n  - a: until "31.02.2026" is not a date in the format %d.%m.%Y',
    );
  });

  it('dry-run sends nothing; an unreachable SMTP server exits 69; no file exits 2', async () => {
    const dry = await run(settingsFor(accounts), '--at', '2026-01-14', '--dry-run');
    expect(dry.exitCode).toBe(0);
    expect(dry.output.result?.mail).toMatchObject({ skipped: true });
    expect(received).toHaveLength(0);
    const closed = await run(settingsFor(accounts, 1), '--at', '2026-01-14');
    expect(closed.exitCode).toBe(69);
    expect(closed.output.error?.message).toMatch(/digest mail not sent: .*ECONNREFUSED/);
    const none = await runCommand<DigestResult>(WebAccounts, [
      '--config',
      writeSettings(dir, { photon: { dataDir: '/var/lib/photon' } }),
      '--root',
      root,
      '--json',
    ]);
    expect(none.exitCode).toBe(2);
    expect(none.output.error?.message).toBe('web.accounts.file: no accounts file configured');
  });
});
