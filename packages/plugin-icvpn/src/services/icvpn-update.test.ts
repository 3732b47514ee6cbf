import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CommandFailedError,
  FileStore,
  GitService,
  gitSettings,
  type Logger,
  type PhotonError,
  RootSandbox,
  Shell,
  ValidationRejectedError,
} from '@ffphoton/core';
import { completeResult, partialOutcome } from '@ffphoton/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IcvpnSettings, icvpnSettings, type OutputSpec, outputSchema } from '../settings.js';
import { TEST_DATA } from '../test-helpers/reference-args.js';
import { IcvpnUpdate, summarizeUpdate } from './icvpn-update.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'icvpn-update-'));
const reloadLog = path.join(tmp, 'reloads.log');
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
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
    const result = completeResult(await updater().run(settings, { outputs: settings.outputs }));
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
    const result = completeResult(await updater().run(settings, { outputs: settings.outputs }));
    expect(result.repositories.map((r) => r.action)).toEqual(['unchanged', 'unchanged']);
    expect(result.outputs.some((o) => o.changed)).toBe(false);
    expect(reloads()).toHaveLength(4);
  });

  it('dry-run validates and reports what it would write, writes and reloads nothing', async () => {
    const elsewhere = path.join(tmp, 'etc-dry');
    const outputs = settings.outputs.map((o) => ({ ...o, target: o.target.replace(etc, elsewhere) }));
    const result = completeResult(await updater(true).run(settings, { outputs }));
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
    const result = completeResult(await updater().run(settings, { outputs: settings.outputs }));
    expect(result.repositories[0].action).toBe('pulled');
    expect(result.outputs.filter((o) => o.changed).map((o) => o.kind)).toEqual(['dns']);
    expect(installed('bind/named.conf.icvpn')).toContain('10.7.1.1; 10.7.1.2; 10.7.1.3;');
    expect(reloads().slice(4)).toEqual(['rndc']);
  });

  it('two peer names alike in their first 32 characters keep their whole names, and bird accepts the file', async () => {
    // mkbgp's 32-character cut would make them one bird protocol ("Symbol already defined", exit 3).
    const file = path.join(meta.work, 'november');
    const text = readFileSync(file, 'utf8').replace(
      'domains: []',
      '  november_backbone_gateway02:\n    ipv4: 10.207.14.2\n    ipv6: fec0::a:cf:e:2\ndomains: []',
    );
    writeFileSync(file, text);
    git(meta.work, 'commit', '-q', '-am', 'november: second gateway');
    git(meta.work, 'push', '-q', 'origin', 'master');
    const count = reloads().length;
    const result = completeResult(await updater().run(settings, { outputs: settings.outputs }));
    expect(result.outputs.find((o) => o.target.endsWith('icvpn_ipv4_peers.conf'))).toMatchObject({
      changed: true,
      validated: 'passed',
    });
    // Only these two differ from mkbgp's output.
    const block = (name: string, address: string) =>
      `\nprotocol bgp icvpn_${name} from ebgp_icvpn {\n    neighbor ${address} as 65014;\n}\n`;
    expect(installed('bird/icvpn_ipv4_peers.conf')).toBe(
      golden('bgp-bird-v4.conf').replace(
        block('november_backbone_gateway0', '10.207.14.1'),
        `${block('november_backbone_gateway01', '10.207.14.1')}\n${block('november_backbone_gateway02', '10.207.14.2')}`,
      ),
    );
    expect(reloads().slice(count).sort()).toEqual(['bird', 'bird6']);
  });

  it('a file bird rejects keeps the old one, installs the rest and exits 3', async () => {
    // Without the wrapper config the template is undefined: the real bird refuses the file.
    const outputs = settings.outputs.map((o) =>
      o.kind === 'bgp' && o.family === 'ipv4' ? { ...o, validate: ['bird', '-p', '-c', '{file}'] } : o,
    );
    const file = path.join(meta.work, 'hotel');
    writeFileSync(file, readFileSync(file, 'utf8').replace('asn: 65008', 'asn: 65108'));
    git(meta.work, 'commit', '-q', '-am', 'hotel: new ASN');
    git(meta.work, 'push', '-q', 'origin', 'master');
    const before = installed('bird/icvpn_ipv4_peers.conf');
    const count = reloads().length;
    const error = await updater()
      .run(settings, { outputs })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationRejectedError);
    expect((error as ValidationRejectedError).exitCode).toBe(3);
    expect((error as ValidationRejectedError).message).toMatch(/icvpn_ipv4_peers\.conf: bird rejected/);
    expect(installed('bird/icvpn_ipv4_peers.conf')).toBe(before);
    expect(installed('bird/icvpn_ipv4_roa.conf')).toMatch(/as +65108; # hotel\n/);
    expect(reloads().slice(count).sort()).toEqual(['bird', 'bird6']);
  });

  it('a DNS-only problem leaves the community out of the DNS output only (exit 5); BGP and ROA keep it', async () => {
    const file = path.join(meta.work, 'Charlie_Sandbox');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  - ffcs\n', '  - ffcs\n  - com\n'));
    git(meta.work, 'commit', '-q', '-am', 'Charlie_Sandbox: claims com');
    git(meta.work, 'push', '-q', 'origin', 'master');
    const { result } = partialOutcome(await updater().run(settings, { outputs: settings.outputs }));
    expect(result.leftOut).toEqual({ Charlie_Sandbox: ['dns'] });
    expect(result.rejected).toEqual([]);
    expect(result.problems).toContain(
      '"Charlie_Sandbox": domains: "com" is a top-level domain (IANA list); it would capture the names of others; left out of dns',
    );
    expect(result.problems.filter((p) => p.includes('left out'))).toHaveLength(1);
    expect(result.outputs.map((o) => o.validated)).toEqual([
      'passed',
      'passed',
      'passed',
      'passed',
      'passed',
      'off',
    ]);
    expect(installed('bird/icvpn_ipv4_peers.conf')).toContain(
      'protocol bgp icvpn_charlie_sb1 from ebgp_icvpn {\n    neighbor 10.207.3.1 as 65003;',
    );
    expect(installed('bird/icvpn_ipv6_roa.conf')).toMatch(
      /roa fd03:c5b0:3::\/48 +max +64 as +65003; # Charlie_Sandbox\n/,
    );
    expect(installed('bind/named.conf.icvpn')).not.toMatch(/Charlie_Sandbox|"com"|ffcs/);
    expect(installed('bind/named.conf.icvpn')).toContain('# bravo');
  });

  it('a target outside the --root sandbox fails the run (exit 2) before anything is pulled or installed', async () => {
    const root = mkdtempSync(path.join(tmp, 'root-'));
    const files = new FileStore(new RootSandbox(root), { dryRun: false });
    const outputs = settings.outputs.map((o, i) => (i === 2 ? { ...o, target: '../../../escape.conf' } : o));
    const error = await new IcvpnUpdate(
      new Shell({ dryRun: false, defaultTimeoutMs: 60_000 }),
      files,
      new GitService(gitSettings.schema.parse({}), files, 'gw1'),
    )
      .run(settings, { outputs })
      .catch((e: unknown) => e);
    expect((error as PhotonError).exitCode).toBe(2);
    expect((error as PhotonError).message).toMatch(/escapes the --root sandbox/);
    expect(readdirSync(root)).toEqual([]);
  });
  it('a bad metanode name loses only its own ConnectTo line (exit 5); the other lines are installed', async () => {
    const dir = path.join(tmp, 'tinc-bad-node');
    cpSync(path.join(TEST_DATA, 'tinc'), dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'metanodes'),
      `evil;node\n${readFileSync(path.join(dir, 'metanodes'), 'utf8')}`,
    );
    const target = path.join(tmp, 'tinc-bad-node.conf');
    const local = { ...settings, pull: false, tinc: { ...settings.tinc, dir, remote: undefined } };
    const tincOutput = settings.outputs.find((o) => o.kind === 'tinc')!;
    const partly = partialOutcome(
      await updater().run(local, { outputs: [{ ...tincOutput, target, reload: false }] }),
    );
    expect(partly.problems).toContain(
      '"tinc": metanodes: node name "evil;node" contains characters outside [A-Za-z0-9_]',
    );
    expect(readFileSync(target, 'utf8')).toBe(
      readFileSync(path.join(TEST_DATA, 'tinc', 'expected-connects.conf'), 'utf8'),
    );
  });
});

describe('icvpn update on local directories (no pull): results, refusals and the summary', () => {
  const local = path.join(tmp, 'local');
  const metaDir = path.join(local, 'meta');
  const tincDir = path.join(local, 'tinc');
  const out = path.join(local, 'out');
  const base = () =>
    icvpnSettings.schema.parse({
      meta: { dir: metaDir },
      tinc: { dir: tincDir },
      pull: false,
      outputs: [],
    });
  const write = (dir: string, files: Record<string, string>) => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.join(dir, 'hosts'), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  };
  const community = (n: number, extra = '') =>
    `asn: ${65000 + n}\nnetworks:\n  ipv4: [10.${n}.0.0/16]\ndomains: [ff${n}]\nnameservers: [10.${n}.0.53]\n${extra}`;
  const outputs = (...kinds: ('dns' | 'roa' | 'tinc')[]): OutputSpec[] =>
    kinds.map((kind) =>
      outputSchema.parse({
        kind,
        target: path.join(out, `${kind}.conf`),
        validate: false,
        reload: ['/bin/sh', '-c', `echo ${kind} >> "$1"`, 'reload', path.join(local, 'reloads.log')],
        ...(kind === 'roa' ? { family: 'ipv4' } : kind === 'dns' ? { format: 'dnsmasq' } : {}),
      }),
    );

  it('--print renders every output without installing, validating or reloading', async () => {
    write(metaDir, { c1: community(1), c2: community(2) });
    const result = completeResult(
      await updater().run(base(), { outputs: outputs('dns', 'roa'), print: true }),
    );
    expect(result).toEqual({
      repositories: [],
      communities: 2,
      rejected: [],
      leftOut: {},
      problems: [],
      outputs: [
        {
          kind: 'dns',
          target: path.join(out, 'dns.conf'),
          entries: 2,
          changed: false,
          validated: 'off',
          content: expect.stringContaining('server=/ff2/10.2.0.53\n'),
        },
        {
          kind: 'roa',
          target: path.join(out, 'roa.conf'),
          entries: 2,
          changed: false,
          validated: 'off',
          content: expect.stringContaining('roa 10.2.0.0/16 max  24 as 65002; # c2\n'),
        },
      ],
      reloads: [],
    });
    expect(existsSync(out)).toBe(false);
    expect(summarizeUpdate(result, false)).toBe('icvpn: 2 communities, 2 output(s), 0 changed, 0 reload(s)');
  });

  it('errors leave values out (exit 5) naming each community and its outputs; problems said once', async () => {
    write(metaDir, {
      c1: community(1),
      c2: community(2, 'nameserver: []\n'),
      c3: community(3).replace('ff3', 'com'),
      c4: community(4).replace('asn: 65004', 'asn: 0'),
      'c 5': community(5),
    });
    const dnsmasq = outputs('dns', 'roa');
    const twice = [...dnsmasq, { ...dnsmasq[0], target: path.join(out, 'dns2.conf') }];
    const partly = partialOutcome(await updater().run(base(), { outputs: twice }));
    expect(partly.message).toBe(
      'entries were left out of 3 communities: "c 5" (bgp, roa, dns), "c3" (dns), "c4" (bgp, roa)',
    );
    const { result } = partly;
    // The outcome's problems are the result's: each once.
    expect(partly.problems).toEqual(result.problems);
    expect(result.problems).toEqual([
      '"c 5": (file name): community name must match [A-Za-z0-9][A-Za-z0-9_-]*; left out of every output',
      '"c2": nameserver: unknown key, did you mean "nameservers"?',
      '"c3": domains: "com" is a top-level domain (IANA list); it would capture the names of others; left out of dns',
      '"c4": asn: ASN 0 is not an integer in 1..4294967295; left out of bgp, roa',
    ]);
    expect(result).toMatchObject({ communities: 4, rejected: ['c 5'] });
    expect(result.outputs.map((o) => [path.basename(o.target), o.entries, o.changed])).toEqual([
      ['dns.conf', 3, true],
      ['roa.conf', 3, true],
      ['dns2.conf', 3, true],
    ]);
    // One reload per distinct command, though two outputs of the kind changed.
    expect(result.reloads).toEqual([outputs('dns')[0].reload, outputs('roa')[0].reload]);
    expect(readFileSync(path.join(local, 'reloads.log'), 'utf8')).toBe('dns\nroa\n');
    expect(summarizeUpdate(result, true)).toBe(
      'icvpn: 4 communities, 3 output(s), 3 would be changed, 2 reload(s), 1 rejected, 2 partly left out',
    );
  });

  it('an output without entries is installed all the same (only an empty ConnectTo list is refused)', async () => {
    write(metaDir, { c1: 'asn: 65001\n' });
    rmSync(out, { recursive: true, force: true });
    const result = completeResult(await updater().run(base(), { outputs: outputs('roa') }));
    expect(result.outputs).toEqual([
      { kind: 'roa', target: path.join(out, 'roa.conf'), entries: 0, changed: true, validated: 'off' },
    ]);
  });

  it('one community left out: the message says "community"', async () => {
    write(metaDir, { c1: community(1), c3: community(3).replace('ff3', 'com') });
    const partly = partialOutcome(await updater().run(base(), { outputs: outputs('dns') }));
    expect(partly.message).toBe('entries were left out of 1 community: "c3" (dns)');
  });

  it('no valid community: nothing is written (exit 1)', async () => {
    write(metaDir, { 'c 1': community(1), c2: 'asn: [' });
    rmSync(out, { recursive: true, force: true });
    const error = (await updater()
      .run(base(), { outputs: outputs('roa') })
      .catch((e: unknown) => e)) as PhotonError;
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe(`no valid community in ${metaDir}; nothing was written`);
    expect(existsSync(path.join(out, 'roa.conf'))).toBe(false);
  });

  it('tinc reads no community file; an empty ConnectTo list keeps the old file (exit 3)', async () => {
    write(metaDir, {});
    write(tincDir, {
      // gw3 has no host file: a warning, not the reason for the refusal below.
      metanodes: 'gw1\ngw2\ngw3\n',
      'hosts/gw1': 'Port = 655\n',
      'hosts/gw2': 'Address = gw2.example.org\n',
    });
    const result = completeResult(await updater().run(base(), { outputs: outputs('tinc') }));
    expect(result.outputs).toEqual([
      { kind: 'tinc', target: path.join(out, 'tinc.conf'), entries: 1, changed: true, validated: 'off' },
    ]);
    expect(result.communities).toBe(0);

    writeFileSync(path.join(tincDir, 'hosts', 'gw2'), '#Address = gw2.example.org\n');
    const empty = (await updater()
      .run(base(), { outputs: outputs('tinc') })
      .catch((e: unknown) => e)) as ValidationRejectedError;
    expect(empty).toBeInstanceOf(ValidationRejectedError);
    expect(empty.message).toBe(
      `${path.join(out, 'tinc.conf')}: no metanode with an Address; the old file was kept`,
    );

    rmSync(path.join(tincDir, 'metanodes'));
    const missing = (await updater()
      .run(base(), { outputs: outputs('tinc') })
      .catch((e: unknown) => e)) as ValidationRejectedError;
    expect(missing.message).toBe(
      `${path.join(out, 'tinc.conf')}: "tinc": metanodes: file is missing; the old file was kept`,
    );
    expect(readFileSync(path.join(out, 'tinc.conf'), 'utf8')).toBe('ConnectTo = gw2\n');
  });

  it('a bad metanode alone: exit 5 without a community to name', async () => {
    write(tincDir, { metanodes: 'gw2\nbad-node\n', 'hosts/gw2': 'Address = gw2.example.org\n' });
    const partly = partialOutcome(await updater().run(base(), { outputs: outputs('tinc') }));
    expect(partly.message).toBe('entries were left out');
    expect(partly.result.leftOut).toEqual({});
  });

  it('pulling: only the repositories the outputs need, none for --print or a given meta directory; no remote: used as it is', async () => {
    write(metaDir, { c1: community(1) });
    write(tincDir, { metanodes: 'gw2\n', 'hosts/gw2': 'Address = gw2.example.org\n' });
    const pulling = { ...base(), pull: true };
    const both = completeResult(await updater().run(pulling, { outputs: outputs('dns', 'tinc') }));
    expect(both.repositories).toEqual([
      { dir: metaDir, action: 'local' },
      { dir: tincDir, action: 'local' },
    ]);
    expect(completeResult(await updater().run(pulling, { outputs: outputs('dns') })).repositories).toEqual([
      { dir: metaDir, action: 'local' },
    ]);
    expect(completeResult(await updater().run(pulling, { outputs: outputs('tinc') })).repositories).toEqual([
      { dir: tincDir, action: 'local' },
    ]);
    expect(
      completeResult(await updater().run(pulling, { outputs: outputs('dns', 'tinc'), print: true }))
        .repositories,
    ).toEqual([]);
    const elsewhere = path.join(local, 'meta-copy');
    write(elsewhere, { c2: community(2) });
    const given = completeResult(
      await updater().run(pulling, { outputs: outputs('dns', 'tinc'), metaDir: elsewhere }),
    );
    expect(given.repositories).toEqual([{ dir: tincDir, action: 'local' }]);
    expect(readFileSync(path.join(out, 'dns.conf'), 'utf8')).toContain('server=/ff2/10.2.0.53');
  });

  it('logs warnings; errors only when a rejected file ends the run (they leave with the exit-5 error otherwise)', async () => {
    write(metaDir, {
      c1: community(1),
      c2: community(2, 'nameserver: []\n'),
      c3: community(3).replace('ff3', 'com'),
    });
    rmSync(out, { recursive: true, force: true });
    const lines: string[] = [];
    const logger = {
      info: () => {},
      warn: (fields: unknown, message: string) => lines.push(`warn ${JSON.stringify(fields)} ${message}`),
      error: (fields: unknown, message: string) => lines.push(`error ${JSON.stringify(fields)} ${message}`),
    } as unknown as Logger;
    const files = new FileStore(new RootSandbox(), { dryRun: false });
    const update = new IcvpnUpdate(
      new Shell({ dryRun: false, defaultTimeoutMs: 60_000 }),
      files,
      new GitService(gitSettings.schema.parse({}), files, 'gw1'),
      logger,
    );
    partialOutcome(await update.run(base(), { outputs: outputs('dns') }));
    expect(lines).toEqual([
      'warn {"community":"c2","key":"nameserver"} "c2": nameserver: unknown key, did you mean "nameservers"?',
    ]);

    lines.length = 0;
    rmSync(out, { recursive: true, force: true });
    const [dns, roa] = outputs('dns', 'roa');
    const rejecting = { ...dns, validate: ['/bin/sh', '-c', 'echo no; exit 1'] };
    const rejected = await update.run(base(), { outputs: [rejecting, roa] }).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(ValidationRejectedError);
    const rejection = `${dns.target}: /bin/sh rejected the generated file, the old file was kept: no`;
    expect((rejected as Error).message).toBe(rejection);
    expect(lines).toEqual([
      `error ${JSON.stringify({ target: dns.target })} ${rejection}`,
      'warn {"community":"c2","key":"nameserver"} "c2": nameserver: unknown key, did you mean "nameservers"?',
      'warn {"community":"c3","key":"domains"} "c3": domains: "com" is a top-level domain (IANA list); it would capture the names of others; left out of dns',
    ]);
    // The ROA output after the rejected one was installed all the same.
    expect(existsSync(roa.target)).toBe(true);
    expect(existsSync(dns.target)).toBe(false);

    const missing = { ...dns, validate: ['photon-no-such-checker', '{file}'] };
    const failed = await update.run(base(), { outputs: [missing] }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(CommandFailedError);
    expect(existsSync(dns.target)).toBe(false);
  });
});
