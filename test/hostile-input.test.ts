import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { photon, sandbox } from './helpers/photon.js';

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
    writeFileSync(
      config,
      [
        'photon: { hostname: kaschu }',
        'mail: { transport: file, to: [noc@example.org], outbox: /var/spool/photon/outbox }',
        'git:',
        '  snapshot:',
        `    repository: { remote: "https://photon:${token}@127.0.0.1:9/configs.git", dir: /var/lib/photon/configs }`,
        '',
      ].join('\n'),
    );
    const common = ['--root', root, '--config', config];
    const runs = [
      await photon(['config', 'show', ...common], { env }),
      await photon(['config', 'show', ...common, '--json'], { env }),
      await photon(['git', 'snapshot', ...common, '--log-level', 'debug', '--json'], { env }),
      await photon(['git', 'snapshot', ...common, '--log-level', 'debug', '--log-file', logFile], { env }),
    ];
    expect(runs.map((r) => r.code)).toEqual([0, 0, 1, 1]);
    const journal = allText(path.join(root, 'var/lib/photon/runs'));
    const outbox = allText(path.join(root, 'var/spool/photon/outbox'));
    const log = readFileSync(logFile, 'utf8');
    // The sinks are there and talk about the remote: a test that greps nothing proves nothing.
    for (const sink of [journal, outbox, log, runs[0].stdout, runs[3].stderr])
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
