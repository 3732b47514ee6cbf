import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commandRunner, writeSettings } from '@ffphoton/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import IcvpnDns from '../commands/icvpn/dns.js';
import IcvpnRoa from '../commands/icvpn/roa.js';
import IcvpnTinc from '../commands/icvpn/tinc.js';
import { TEST_DATA } from '../test-helpers/reference-args.js';
import type { UpdateResult } from './icvpn-update.js';

// Isolated: a run without --root gets a fresh one, so the host's settings are never read.
const runCommand = commandRunner(path.resolve(import.meta.dirname, '../..'));

/** A --root holding copies of the meta and tinc fixtures (the commands resolve every path inside it). */
const root = mkdtempSync(path.join(os.tmpdir(), 'icvpn-command-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const meta = path.join(root, 'meta');
const tinc = path.join(root, 'tinc');
cpSync(path.join(TEST_DATA, 'meta'), meta, { recursive: true });
cpSync(path.join(TEST_DATA, 'tinc'), tinc, { recursive: true });
const golden = (file: string) => readFileSync(path.join(TEST_DATA, 'expected', file), 'utf8');
const config = (icvpn: Record<string, unknown>) => writeSettings(root, { icvpn: { pull: false, ...icvpn } });

describe('the one-output commands (IcvpnOutputCommand)', () => {
  it('--print with a meta directory: the generated text on stdout, nothing pulled or written', async () => {
    const run = await runCommand<UpdateResult>(IcvpnDns, [
      '--root',
      root,
      '--print',
      '-f',
      'bind',
      '-x',
      'alpha',
      meta,
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(golden('dns-bind.conf').replace(/\n$/, ''));
    expect(run.output.result).toMatchObject({
      repositories: [],
      communities: 14,
      outputs: [{ kind: 'dns', target: '-', changed: false, validated: 'off' }],
      reloads: [],
    });
  });

  it('excludes from the settings and from -x (comma lists too) add up', async () => {
    const settings = config({ exclude: ['alpha'] });
    const run = await runCommand<UpdateResult>(IcvpnDns, [
      '--root',
      root,
      '--config',
      settings,
      '--print',
      '--format',
      'dnsmasq',
      '-x',
      'bravo,golf',
      '-x',
      'hotel',
      meta,
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.output.result?.communities).toBe(11);
    const expected = golden('dns-dnsmasq.conf');
    for (const name of ['bravo', 'golf', 'hotel']) expect(expected).toContain(`# ${name}\n`);
    for (const gone of ['bravo', 'golf', 'hotel']) expect(run.stdout).not.toContain(`# ${gone}\n`);
    expect(run.stdout).toContain('# Charlie_Sandbox\n');
  });

  it('--target: one ad-hoc output from the flags, checked by the real validator; --dry-run writes nothing', async () => {
    const target = path.join(root, 'etc', 'adhoc.conf');
    const run = await runCommand<UpdateResult>(IcvpnRoa, [
      '--root',
      root,
      '--config',
      config({}),
      '--dry-run',
      '--family',
      'ipv6',
      '--target',
      target,
      meta,
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.output.result?.outputs).toEqual([
      { kind: 'roa', target, entries: 15, changed: true, validated: 'passed' },
    ]);
    expect(run.output.summary).toBe('icvpn: 15 communities, 1 output(s), 1 would be changed, 1 reload(s)');
    expect(existsSync(target)).toBe(false);
  });

  it('configured outputs: installed and reloaded once; a second run changes nothing', async () => {
    const target = path.join(root, 'etc', 'roa4.conf');
    const reloadLog = path.join(root, 'reloads.log');
    const settings = config({
      exclude: ['alpha'],
      outputs: [
        {
          kind: 'roa',
          family: 'ipv4',
          maxLength: 20,
          target,
          reload: ['/bin/sh', '-c', `echo roa >> ${reloadLog}`],
        },
      ],
    });
    const first = await runCommand<UpdateResult>(IcvpnRoa, ['--root', root, '--config', settings, meta]);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toBe('');
    expect(first.output.summary).toBe('icvpn: 14 communities, 1 output(s), 1 changed, 1 reload(s)');
    expect(readFileSync(target, 'utf8')).toBe(golden('roa-bird-v4-m20.conf'));
    const second = await runCommand<UpdateResult>(IcvpnRoa, ['--root', root, '--config', settings, meta]);
    expect(second.output.result?.outputs).toEqual([
      { kind: 'roa', target, entries: 19, changed: false, validated: 'passed' },
    ]);
    expect(second.output.summary).toBe('icvpn: 14 communities, 1 output(s), 0 changed, 0 reload(s)');
    expect(readFileSync(reloadLog, 'utf8')).toBe('roa\n');
  });

  it('tinc: the directory argument is the tinc checkout (not pulled), not an icvpn-meta directory', async () => {
    const run = await runCommand<UpdateResult>(IcvpnTinc, [
      '--root',
      root,
      '--config',
      config({ nodeName: 'india' }),
      '--print',
      tinc,
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(
      readFileSync(path.join(TEST_DATA, 'tinc', 'expected-connects.conf'), 'utf8').replace(/\n$/, ''),
    );
    expect(run.output.result).toMatchObject({ communities: 0, repositories: [] });
  });

  it('tinc: a directory argument is used as it is, never pulled from the configured remote', async () => {
    const target = path.join(root, 'etc', 'connects.conf');
    // pull is on and a remote is configured (the defaults); --dry-run: nothing written or reloaded.
    const run = await runCommand<UpdateResult>(IcvpnTinc, [
      '--root',
      root,
      '--dry-run',
      '--target',
      target,
      tinc,
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.output.result?.repositories).toEqual([{ dir: tinc, action: 'local' }]);
    expect(run.output.result?.outputs).toEqual([
      { kind: 'tinc', target, entries: 2, changed: true, validated: 'off' },
    ]);
    expect(existsSync(target)).toBe(false);
  });

  it('tinc without a directory argument: the configured checkout', async () => {
    const settings = config({ tinc: { dir: tinc }, nodeName: 'delta1' });
    const run = await runCommand<UpdateResult>(IcvpnTinc, ['--root', root, '--config', settings, '--print']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('ConnectTo = bravo23');
  });
});
