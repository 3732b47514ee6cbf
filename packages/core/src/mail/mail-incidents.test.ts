import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { CommandFailedError, PhotonError } from '../errors/errors.js';
import { IncidentLog } from '../journal/incidents.js';
import { Journal } from '../journal/journal.js';
import { TaskRunner, type TaskRunOptions } from '../task/task-runner.js';

/** One gateway sandbox whose runs of `task` mail into the file outbox; the clock is ours. */
function gateway(mail: Record<string, unknown> = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'photon-incidents-'));
  const config = path.join(root, 'photon.yaml');
  writeFileSync(
    config,
    YAML.stringify({
      photon: { dataDir: '/var/lib/photon' },
      mail: { transport: 'file', outbox: '/var/spool/photon/outbox', to: 'noc@example.org', ...mail },
    }),
  );
  let now = new Date('2026-12-01T10:00:00.000Z');
  const run = (outcome: 'ok' | Error, extra: Partial<TaskRunOptions> & { task?: string } = {}) => {
    const opts: TaskRunOptions = {
      task: 'alfred-announce',
      argv: ['alfred', 'announce'],
      configFiles: [config],
      root,
      dryRun: false,
      lock: true,
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
      attended: false,
      clock: { now: () => now },
      ...extra,
    };
    return new TaskRunner().run(
      opts,
      async () => {
        if (outcome !== 'ok') throw outcome;
        return 1;
      },
      () => 'announced',
    );
  };
  const outbox = () => {
    const dir = path.join(root, 'var/spool/photon/outbox');
    const names = (() => {
      try {
        return readdirSync(dir).sort();
      } catch {
        return [];
      }
    })();
    // Headers unfolded: a long subject spans lines in the .eml.
    const subject = (eml: string) => eml.replace(/\r?\n[ \t]+/g, ' ').match(/^Subject: (.*?)\r?$/m)?.[1];
    return names.map((name) => subject(readFileSync(path.join(dir, name), 'utf8')));
  };
  const journal = new Journal(path.join(root, 'var/lib/photon/runs'), 100);
  const decisions = async (task = 'alfred-announce') =>
    (await journal.history(task, 100)).reverse().map((r) => r.incident?.decision ?? '-');
  const incidents = new IncidentLog(path.join(root, 'var/lib/photon/incidents'));
  const advance = (minutes: number) => {
    now = new Date(now.getTime() + minutes * 60_000);
  };
  return { run, outbox, decisions, incidents, advance };
}

const socketDown = (pid: number) =>
  new PhotonError(
    `cannot reach /run/alfred.sock (pid ${pid}, at 2026-12-01T10:0${pid % 10}:00Z): ECONNREFUSED`,
  );

describe('failure mail per incident', () => {
  it('mails the first failure, suppresses the same failure again, and mails a short note on recovery', async () => {
    const gw = gateway();
    for (const pid of [101, 202, 303]) {
      await gw.run(socketDown(pid));
      gw.advance(1);
    }
    expect(gw.outbox()).toEqual(['[photon] kaschu alfred-announce failed (exit 1)']);
    expect(await gw.incidents.list()).toMatchObject([{ task: 'alfred-announce', failures: 3, exitCode: 1 }]);
    const { output } = await gw.run('ok');
    expect(output.exitCode).toBe(0);
    expect(gw.outbox()).toHaveLength(2);
    expect(gw.outbox()).toContain('[photon] kaschu alfred-announce recovered');
    expect(await gw.decisions()).toEqual(['mailed', 'suppressed', 'suppressed', 'recovered']);
    expect(await gw.incidents.list()).toEqual([]);
    // A success without an open incident mails nothing.
    await gw.run('ok');
    expect(gw.outbox()).toHaveLength(2);
  });

  it('a different error (or exit code) is a new incident and mails', async () => {
    const gw = gateway();
    await gw.run(socketDown(1));
    await gw.run(
      new CommandFailedError({
        argv: ['batctl', 'meshif'],
        stdout: '',
        stderr: 'no such interface',
        exitCode: 1,
        signal: undefined,
        durationMs: 3,
        timedOut: false,
        failed: true,
        skipped: false,
      }),
    );
    expect(gw.outbox()).toHaveLength(2);
    expect(await gw.decisions()).toEqual(['mailed', 'mailed']);
  });

  it('reminds after mail.reminderHours while the same failure goes on', async () => {
    const gw = gateway({ reminderHours: 24 });
    await gw.run(socketDown(1));
    gw.advance(60);
    await gw.run(socketDown(2));
    gw.advance(23 * 60 + 1);
    await gw.run(socketDown(3));
    gw.advance(1);
    await gw.run(socketDown(4));
    const subjects = gw.outbox();
    expect(subjects).toHaveLength(2);
    expect(subjects).toContain(
      '[photon] kaschu alfred-announce still failing (exit 1) since 2026-12-01T10:00:00.000Z',
    );
    expect(await gw.decisions()).toEqual(['mailed', 'suppressed', 'reminder', 'suppressed']);
  });

  it('mails nothing for a task opted out with mail.tasks, and still tracks its incident', async () => {
    const gw = gateway({ tasks: { 'alfred-announce': 'never' } });
    await gw.run(socketDown(1));
    await gw.run('ok');
    expect(gw.outbox()).toEqual([]);
    expect(await gw.decisions()).toEqual(['mailed', 'recovered']);
  });

  it('mails no failure of a run at a terminal unless mail.attended; the next unattended failure mails', async () => {
    const gw = gateway();
    await gw.run(socketDown(1), { attended: true });
    expect(gw.outbox()).toEqual([]);
    await gw.run(socketDown(2));
    expect(gw.outbox()).toEqual(['[photon] kaschu alfred-announce failed (exit 1)']);
    const watched = gateway({ attended: true });
    await watched.run(socketDown(1), { attended: true });
    expect(watched.outbox()).toHaveLength(1);
  });
});
