import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { photon, photonBin, repoRoot, sandbox } from './helpers/photon.js';

/** Every file below `dir`, concatenated ('' when there is none). */
function allText(dir: string): string {
  let text = '';
  let names: string[] = [];
  try {
    names = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    return '';
  }
  for (const name of names) {
    try {
      text += readFileSync(path.join(dir, name), 'utf8');
    } catch {}
  }
  return text;
}

describe('hostile input to the built binary', () => {
  it('a token inside a git remote URL appears in nothing photon prints or writes', async () => {
    const token = 'GitTok3n5566secret';
    const { root, env } = sandbox('photon-e2e-hostile-');
    const config = path.join(root, 'photon.yaml');
    const logFile = path.join(root, 'photon.log');
    // A reachable repository next to the unreachable one: `git sync` exits 5 and prints its table.
    const good = path.join(root, 'good.git');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', good]);
    const work = path.join(root, 'work');
    // stdio piped: git's "cloned an empty repository" is noise in a test run.
    execFileSync('git', ['clone', '-q', good, work], { stdio: 'pipe' });
    writeFileSync(path.join(work, 'a'), 'a\n');
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', work, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args]);
    git('add', 'a');
    git('commit', '-qm', 'a');
    git('push', '-q', 'origin', 'HEAD:main');
    writeFileSync(
      config,
      [
        'photon: { hostname: kaschu }',
        'mail: { transport: file, to: [noc@example.org], outbox: /var/spool/photon/outbox }',
        'git:',
        '  snapshot:',
        `    repository: { remote: "https://photon:${token}@127.0.0.1:9/configs.git", dir: /var/lib/photon/configs }`,
        '  repositories:',
        `    - { name: good, remote: ${good}, dir: /srv/good }`,
        `    - { name: bad, remote: "https://photon:${token}@127.0.0.1:9/peers.git", dir: /srv/bad }`,
        '',
      ].join('\n'),
    );
    const common = ['--root', root, '--config', config];
    const runs = [
      await photon(['config', 'show', ...common], { env }),
      await photon(['config', 'show', ...common, '--json'], { env }),
      await photon(['git', 'snapshot', ...common, '--log-level', 'debug', '--json'], { env }),
      await photon(['git', 'snapshot', ...common, '--log-level', 'debug', '--log-file', logFile], { env }),
      await photon(['git', 'sync', ...common], { env }),
      await photon(['git', 'sync', ...common, '--json'], { env }),
    ];
    expect(runs.map((r) => r.code)).toEqual([0, 0, 1, 1, 5, 5]);
    const journal = allText(path.join(root, 'var/lib/photon/runs'));
    const outbox = allText(path.join(root, 'var/spool/photon/outbox'));
    const log = readFileSync(logFile, 'utf8');
    // The sinks are there and talk about the remote: a test that greps nothing proves nothing.
    for (const sink of [journal, outbox, log, runs[0].stdout, runs[3].stderr, runs[4].stderr, runs[5].stdout])
      expect(sink).toContain('127.0.0.1:9');
    expect(runs[0].stdout).toContain('https://photon:***@127.0.0.1:9/configs.git');
    const everything = [...runs.flatMap((r) => [r.stdout, r.stderr]), journal, outbox, log].join('\n');
    expect(everything.split(token).length - 1).toBe(0);
  });

  it('refuses a settings FIFO and /dev/zero at once with exit 2, naming the file', async () => {
    const { root, env } = sandbox('photon-e2e-hostile-');
    const fifo = path.join(root, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    const dir = path.join(root, 'conf');
    mkdirSync(dir);
    execFileSync('mkfifo', [path.join(dir, '10-fifo.yaml')]);
    for (const [arg, shown, what] of [
      [fifo, fifo, 'a FIFO'],
      [dir, path.join(dir, '10-fifo.yaml'), 'a FIFO'],
      ['/dev/zero', '/dev/zero', 'a character device'],
    ]) {
      const run = await photon(['config', 'validate', '--config', arg], { env, timeoutMs: 10_000 });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${shown}: not a regular file (${what})`);
    }
  });
});

/** Settings fragments a hostile or careless author combines (alias bombs, tags, nesting, typos). */
const settingsLine = fc.oneof(
  fc.constantFrom(
    'x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
    'x-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
    'x-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
    'x-d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
    'x-e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
    'photon: {hostname: gw}',
    'photon: {hostname: *e}',
    'photon: {journal: {keep: -1}}',
    'mail: {smtp: {password: hunter2hunter2}}',
    'git: {snapshot: {repository: {remote: "https://u:p4ssw0rd@h/r.git", dir: /srv/c}}}',
    'fastd: !loc_join [conf_dir, 3]',
    'nope: 1',
    'x-s: "unterminated',
  ),
  fc.nat({ max: 5000 }).map((n) => `x-deep: ${'['.repeat(n)}${']'.repeat(n)}`),
  fc.string({ maxLength: 30 }),
);

describe('fuzz: settings files through the built binary', () => {
  it('config validate exits 0 or 2 with a message, never crashes, in bounded time and memory', () => {
    const { root, env } = sandbox('photon-e2e-fuzz-');
    const file = path.join(root, 'fuzz.yaml');
    fc.assert(
      fc.property(fc.array(settingsLine, { maxLength: 8 }), (lines) => {
        writeFileSync(file, `${lines.join('\n')}\n`);
        const run = spawnSync(
          '/usr/bin/time',
          ['-f', '%M', process.execPath, photonBin, 'config', 'validate', '-c', file],
          {
            cwd: repoRoot,
            encoding: 'utf8',
            env: { ...process.env, NODE_ENV: 'production', ...env },
            timeout: 10_000,
          },
        );
        const rssKiB = Number(run.stderr.trim().split('\n').at(-1));
        expect([0, 2]).toContain(run.status);
        expect(run.stderr).not.toMatch(/Maximum call stack|heap out of memory|^\s+at /m);
        if (run.status === 2) expect(run.stderr).toContain('fuzz.yaml');
        expect(rssKiB).toBeLessThan(128 * 1024);
        expect(run.stderr + run.stdout).not.toMatch(/hunter2hunter2|p4ssw0rd/);
      }),
      { numRuns: 12, seed: 16 },
    );
  }, 120_000);
});
