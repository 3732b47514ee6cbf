import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  FileStore,
  GitService,
  gitSettings,
  type PhotonError,
  RootSandbox,
  Shell,
  ValidationRejectedError,
} from '@ffphoton/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IcvpnSettings, icvpnSettings } from '../settings.js';
import { TEST_DATA } from '../test-helpers/reference-args.js';
import { IcvpnUpdate } from './icvpn-update.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'icvpn-update-'));
const reloadLog = path.join(tmp, 'reloads.log');
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], {
    cwd,
    encoding: 'utf8',
  });

/** A bare repository holding `source` as its first commit, plus a working clone to push changes from. */
function bareRepository(name: string, source: string): { bare: string; work: string } {
  const work = path.join(tmp, `${name}-upstream`);
  cpSync(source, work, { recursive: true });
  git(work, 'init', '-q', '-b', 'master');
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'initial');
  const bare = path.join(tmp, `${name}.git`);
  git(tmp, 'clone', '-q', '--bare', work, bare);
  git(work, 'remote', 'add', 'origin', bare);
  return { bare, work };
}

/** Reload commands append their name to a log, so the test can count them. */
const reload = (name: string) => ['/bin/sh', '-c', `echo ${name} >> "$1"`, 'reload', reloadLog];
const reloads = () => readFileSync(reloadLog, 'utf8').split('\n').filter(Boolean);

let settings: IcvpnSettings;
let meta: { bare: string; work: string };
const etc = path.join(tmp, 'etc');

beforeAll(() => {
  meta = bareRepository('icvpn-meta', path.join(TEST_DATA, 'meta'));
  const tinc = bareRepository('icvpn', path.join(TEST_DATA, 'tinc'));
  writeFileSync(reloadLog, '');
  settings = icvpnSettings.schema.parse({
    meta: { remote: meta.bare, dir: path.join(tmp, 'clones', 'icvpn-meta') },
    tinc: { remote: tinc.bare, dir: path.join(tmp, 'clones', 'icvpn') },
    nodeName: 'india',
    exclude: ['alpha'],
    outputs: [
      { kind: 'bgp', family: 'ipv4', target: `${etc}/bird/icvpn_ipv4_peers.conf`, reload: reload('bird') },
      { kind: 'bgp', family: 'ipv6', target: `${etc}/bird/icvpn_ipv6_peers.conf`, reload: reload('bird6') },
      {
        kind: 'roa',
        family: 'ipv4',
        maxLength: 20,
        target: `${etc}/bird/icvpn_ipv4_roa.conf`,
        reload: reload('bird'),
      },
      {
        kind: 'roa',
        family: 'ipv6',
        maxLength: 64,
        target: `${etc}/bird/icvpn_ipv6_roa.conf`,
        reload: reload('bird6'),
      },
      { kind: 'dns', format: 'bind', target: `${etc}/bind/named.conf.icvpn`, reload: reload('rndc') },
      {
        kind: 'tinc',
        target: path.join(tmp, 'clones', 'icvpn', 'conf.d', 'connects.conf'),
        reload: reload('tinc'),
      },
    ],
  });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function updater(dryRun = false): IcvpnUpdate {
  const files = new FileStore(new RootSandbox(), { dryRun });
  return new IcvpnUpdate(
    new Shell({ dryRun, defaultTimeoutMs: 60_000 }),
    files,
    new GitService(gitSettings.schema.parse({}), files, 'gw1'),
  );
}

const golden = (file: string) => readFileSync(path.join(TEST_DATA, 'expected', file), 'utf8');
const installed = (file: string) => readFileSync(path.join(etc, file), 'utf8');

describe('icvpn update with a local bare icvpn-meta remote, bird -p, named-checkconf', () => {
  it('first run clones, validates with the real tools, installs the mkbgp/mkroa/mkdns output and reloads once per command', async () => {
    const result = await updater().run(settings, { outputs: settings.outputs });
    expect(result.repositories.map((r) => r.action)).toEqual(['cloned', 'cloned']);
    expect(result.communities).toBe(14);
    expect(result.outputs.every((o) => o.changed)).toBe(true);
    expect(installed('bird/icvpn_ipv4_peers.conf')).toBe(golden('bgp-bird-v4.conf'));
    expect(installed('bird/icvpn_ipv6_peers.conf')).toBe(golden('bgp-bird-v6.conf'));
    expect(installed('bird/icvpn_ipv4_roa.conf')).toBe(golden('roa-bird-v4-m20.conf'));
    expect(installed('bird/icvpn_ipv6_roa.conf')).toBe(golden('roa-bird-v6-m64.conf'));
    expect(installed('bind/named.conf.icvpn')).toBe(golden('dns-bind.conf'));
    // india is this gateway: the post-merge hook's output without it (it has no Address anyway).
    expect(readFileSync(path.join(tmp, 'clones', 'icvpn', 'conf.d', 'connects.conf'), 'utf8')).toBe(
      readFileSync(path.join(TEST_DATA, 'tinc', 'expected-connects.conf'), 'utf8'),
    );
    expect(reloads().sort()).toEqual(['bird', 'bird6', 'rndc', 'tinc']);
  });

  it('a second run without upstream changes rewrites and reloads nothing', async () => {
    const result = await updater().run(settings, { outputs: settings.outputs });
    expect(result.repositories.map((r) => r.action)).toEqual(['unchanged', 'unchanged']);
    expect(result.outputs.some((o) => o.changed)).toBe(false);
    expect(reloads()).toHaveLength(4);
  });

  it('dry-run validates and reports what it would write, writes and reloads nothing', async () => {
    const elsewhere = path.join(tmp, 'etc-dry');
    const outputs = settings.outputs.map((o) => ({ ...o, target: o.target.replace(etc, elsewhere) }));
    const result = await updater(true).run(settings, { outputs });
    expect(result.outputs.map((o) => o.changed)).toEqual([true, true, true, true, true, false]);
    expect(result.outputs.map((o) => o.validated)).toEqual([
      'passed',
      'passed',
      'passed',
      'passed',
      'passed',
      'off',
    ]);
    expect(existsSync(elsewhere)).toBe(false);
    expect(reloads()).toHaveLength(4);
  });

  it('dry-run without a clone yet fails as unavailable (69) and creates nothing', async () => {
    const fresh = { ...settings, meta: { ...settings.meta, dir: path.join(tmp, 'clones', 'not-yet') } };
    const error = await updater(true)
      .run(fresh, { outputs: settings.outputs.filter((o) => o.kind === 'dns') })
      .catch((e: unknown) => e);
    expect((error as PhotonError).exitCode).toBe(69);
    expect((error as PhotonError).message).toMatch(/not-yet is not cloned yet/);
    expect(existsSync(path.join(tmp, 'clones', 'not-yet'))).toBe(false);
  });

  it('an upstream DNS change reloads only the name server', async () => {
    const file = path.join(meta.work, 'golf');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  - 10.7.1.2\n', '  - 10.7.1.2\n  - 10.7.1.3\n'));
    git(meta.work, 'commit', '-q', '-am', 'golf: third name server');
    git(meta.work, 'push', '-q', 'origin', 'master');
    const result = await updater().run(settings, { outputs: settings.outputs });
    expect(result.repositories[0].action).toBe('pulled');
    expect(result.outputs.filter((o) => o.changed).map((o) => o.kind)).toEqual(['dns']);
    expect(installed('bind/named.conf.icvpn')).toContain('10.7.1.1; 10.7.1.2; 10.7.1.3;');
    expect(reloads().slice(4)).toEqual(['rndc']);
  });

  it('a file bird rejects keeps the old one, installs the rest and exits 3', async () => {
    // Two peers whose names share 26 characters: mkbgp's 32-character cut makes them one bird protocol.
    const file = path.join(meta.work, 'november');
    const text = readFileSync(file, 'utf8').replace(
      'domains: []',
      '  november_backbone_gateway02:\n    ipv4: 10.207.14.2\n    ipv6: fec0::a:cf:e:2\ndomains: []',
    );
    writeFileSync(file, text);
    git(meta.work, 'commit', '-q', '-am', 'november: second gateway');
    git(meta.work, 'push', '-q', 'origin', 'master');
    const before = installed('bird/icvpn_ipv4_peers.conf');
    const error = await updater()
      .run(settings, { outputs: settings.outputs })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationRejectedError);
    expect((error as ValidationRejectedError).exitCode).toBe(3);
    expect((error as ValidationRejectedError).message).toMatch(/icvpn_ipv4_peers\.conf: bird rejected/);
    expect((error as ValidationRejectedError).output).toMatch(
      /icvpn_ipv4_peers\.conf:\d+:\d+ Symbol already defined/,
    );
    expect(installed('bird/icvpn_ipv4_peers.conf')).toBe(before);
    expect(installed('bird/icvpn_ipv4_roa.conf')).toBe(golden('roa-bird-v4-m20.conf'));
    expect(reloads()).toHaveLength(5);
  });
});
