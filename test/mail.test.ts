import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photon, sandbox } from './helpers/photon.js';

describe('failure mail of the built binary through Debian msmtp to a real SMTP server', () => {
  const received: { to: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => {
        raw += chunk.toString();
      });
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
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

  it('mails the admins with subject, log lines and the failing command output; exit code unchanged', async () => {
    const { root, env } = sandbox('photon-e2e-mail-');
    const config = path.join(root, 'photon.yaml');
    writeFileSync(
      config,
      [
        'photon: { hostname: kaschu }',
        'mail:',
        '  transport: sendmail',
        '  from: photon@kaschu.example',
        '  to: [noc@example.org]',
        '  sendmail:',
        '    path: /usr/bin/msmtp',
        `    args: [--host=127.0.0.1, --port=${port}, --auth=off, --tls=off]`,
        'git:',
        '  repositories:',
        `    - { name: peers, remote: ${path.join(root, 'peers.git')}, dir: /srv/peers }`,
        '',
      ].join('\n'),
    );
    const run = await photon(['git', 'sync', '--root', root, '--config', config], { env });
    expect(run.code).toBe(69);
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(received).toHaveLength(1);
    expect(received[0].to).toEqual(['noc@example.org']);
    const raw = received[0].raw.replace(/=\r?\n/g, '');
    expect(raw).toContain('Subject: [photon] kaschu git-sync failed (exit 69)');
    expect(raw).toContain('task:     git-sync');
    expect(raw).toMatch(/Last \d+ log lines:/);
    expect(raw).toMatch(/no repository there/);
    expect(raw).not.toMatch(/^mail:/m);
  });

  it('mails once per incident: three failing runs one mail, the recovery one short note; history shows the incident', async () => {
    const before = received.length;
    const { root, env } = sandbox('photon-e2e-incident-');
    const config = path.join(root, 'photon.yaml');
    writeFileSync(
      config,
      [
        'photon: { hostname: kaschu }',
        'mail:',
        '  transport: sendmail',
        '  to: [noc@example.org]',
        '  sendmail:',
        '    path: /usr/bin/msmtp',
        `    args: [--host=127.0.0.1, --port=${port}, --auth=off, --tls=off]`,
        '',
      ].join('\n'),
    );
    const flaky = (program: string) =>
      photon(['exec', '--name', 'flaky', '--root', root, '--config', config, '--', program], { env });
    for (let i = 0; i < 3; i++) expect((await flaky('false')).code).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(received.length - before).toBe(1);
    const open = await photon(['history', '--incidents', '--json', '--root', root, '--config', config], {
      env,
    });
    expect(JSON.parse(open.stdout).result).toMatchObject([{ task: 'flaky', exitCode: 1, failures: 3 }]);
    const table = await photon(['history', '--root', root, '--config', config], { env });
    expect(table.stdout).toMatch(/^Open incidents:/);
    expect((await flaky('true')).code).toBe(0);
    for (let i = 0; i < 100 && received.length - before < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(received.length - before).toBe(2);
    expect(received[before + 1].raw).toContain('Subject: [photon] kaschu flaky recovered');
    const closed = await photon(['history', '--incidents', '--json', '--root', root, '--config', config], {
      env,
    });
    expect(JSON.parse(closed.stdout).result).toEqual([]);
    const runs = JSON.parse(
      (await photon(['history', 'flaky', '--json', '--root', root, '--config', config], { env })).stdout,
    );
    expect(
      runs.result.map((r: { incident?: { decision: string } }) => r.incident?.decision).reverse(),
    ).toEqual(['mailed', 'suppressed', 'suppressed', 'recovered']);
  });
});
