import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { logMessages, photon, repoRoot, sandbox } from './helpers/photon.js';

/**
 * `photon icvpn update` through the built binary: local bare repositories as the icvpn-meta
 * and icvpn remotes, the real validators (bird -p, bird6 -p, named-checkconf), reload
 * commands that append to a log, everything else under --root.
 */
const TEST_DATA = path.join(repoRoot, 'packages/plugin-icvpn/test-data');
const { root, env } = sandbox('photon-e2e-icvpn-');
const remotes = path.join(root, 'remotes');
const config = path.join(root, 'config');
const reloadLog = path.join(root, 'reloads.log');

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/** A bare repository with `source` as its first commit, and a working clone to push changes from. */
function bareRepository(name: string, source: string): { bare: string; work: string } {
  const work = path.join(remotes, `${name}-work`);
  cpSync(source, work, { recursive: true });
  git(work, 'init', '-q', '-b', 'master');
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'initial');
  const bare = path.join(remotes, `${name}.git`);
  git(remotes, 'clone', '-q', '--bare', work, bare);
  git(work, 'remote', 'add', 'origin', bare);
  return { bare, work };
}

function push(work: string, message: string): void {
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', message);
  git(work, 'push', '-q', 'origin', 'master');
}

const reload = (name: string) => ['/bin/sh', '-c', `echo ${name} >> "$1"`, 'reload', reloadLog];
const reloads = () => readFileSync(reloadLog, 'utf8').split('\n').filter(Boolean);
const installed = (file: string) => readFileSync(path.join(root, file), 'utf8');
const golden = (file: string) => readFileSync(path.join(TEST_DATA, 'expected', file), 'utf8');
const update = (...flags: string[]) =>
  photon(['icvpn', 'update', '--root', root, '--config', config, ...flags], { env, timeoutMs: 120_000 });

const TARGETS = {
  bgp4: '/etc/bird/icvpn_ipv4_peers.conf',
  bgp6: '/etc/bird/icvpn_ipv6_peers.conf',
  roa4: '/etc/bird/icvpn_ipv4_roa.conf',
  roa6: '/etc/bird/icvpn_ipv6_roa.conf',
  dns: '/etc/bind/named.conf.icvpn',
  tinc: '/etc/tinc/icvpn/conf.d/connects.conf',
};

let meta: { bare: string; work: string };

beforeAll(() => {
  mkdirSync(remotes, { recursive: true });
  mkdirSync(config, { recursive: true });
  meta = bareRepository('icvpn-meta', path.join(TEST_DATA, 'meta'));
  const tinc = bareRepository('icvpn', path.join(TEST_DATA, 'tinc'));
  writeFileSync(reloadLog, '');
  writeFileSync(
    path.join(config, 'icvpn.yaml'),
    YAML.stringify({
      icvpn: {
        meta: { remote: meta.bare, dir: '/var/lib/photon/icvpn-meta' },
        tinc: { remote: tinc.bare, dir: '/etc/tinc/icvpn' },
        nodeName: 'india',
        exclude: ['alpha'],
        outputs: [
          { kind: 'bgp', family: 'ipv4', target: TARGETS.bgp4, reload: reload('bird') },
          { kind: 'bgp', family: 'ipv6', target: TARGETS.bgp6, reload: reload('bird6') },
          { kind: 'roa', family: 'ipv4', maxLength: 20, target: TARGETS.roa4, reload: reload('bird') },
          { kind: 'roa', family: 'ipv6', maxLength: 64, target: TARGETS.roa6, reload: reload('bird6') },
          { kind: 'dns', format: 'bind', target: TARGETS.dns, reload: reload('rndc') },
          { kind: 'tinc', target: TARGETS.tinc, reload: reload('tinc') },
        ],
      },
    }),
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('photon icvpn update (built binary, bare git remotes, bird -p, named-checkconf)', () => {
  it('first run: clones, validates, installs the reference tools’ output, reloads once per command; --json result', async () => {
    const run = await update('--json');
    expect(run.code, run.stderr).toBe(0);
    const { result } = JSON.parse(run.stdout);
    expect(result.repositories).toEqual([
      expect.objectContaining({
        dir: '/var/lib/photon/icvpn-meta',
        action: 'cloned',
        head: expect.any(String),
      }),
      expect.objectContaining({ dir: '/etc/tinc/icvpn', action: 'cloned' }),
    ]);
    expect(result.communities).toBe(14);
    expect(result.rejected).toEqual([]);
    expect(
      result.outputs.map((o: { changed: boolean; validated: string }) => [o.changed, o.validated]),
    ).toEqual([
      [true, 'passed'],
      [true, 'passed'],
      [true, 'passed'],
      [true, 'passed'],
      [true, 'passed'],
      [true, 'off'],
    ]);
    expect(installed(TARGETS.bgp4)).toBe(golden('bgp-bird-v4.conf'));
    expect(installed(TARGETS.bgp6)).toBe(golden('bgp-bird-v6.conf'));
    expect(installed(TARGETS.roa4)).toBe(golden('roa-bird-v4-m20.conf'));
    expect(installed(TARGETS.roa6)).toBe(golden('roa-bird-v6-m64.conf'));
    expect(installed(TARGETS.dns)).toBe(golden('dns-bind.conf'));
    expect(installed(TARGETS.tinc)).toBe(
      readFileSync(path.join(TEST_DATA, 'tinc/expected-connects.conf'), 'utf8'),
    );
    expect(reloads().sort()).toEqual(['bird', 'bird6', 'rndc', 'tinc']);
    expect(result.reloads).toHaveLength(4);
  });

  it('a second run changes and reloads nothing; its summary is one log line', async () => {
    const run = await update('--log-level', 'info');
    expect(run.code, run.stderr).toBe(0);
    expect(logMessages(run.stderr)).toContain('icvpn: 14 communities, 6 output(s), 0 changed, 0 reload(s)');
    expect(reloads()).toHaveLength(4);
  });

  it('--dry-run pulls, writes and reloads nothing, but reports what it would change', async () => {
    const golf = path.join(meta.work, 'golf');
    writeFileSync(golf, readFileSync(golf, 'utf8').replace('  - 10.7.1.2\n', '  - 10.7.1.2\n  - 10.7.1.3\n'));
    push(meta.work, 'golf: third name server');
    rmSync(path.join(root, TARGETS.roa6));
    const clone = path.join(root, 'var/lib/photon/icvpn-meta');
    const head = git(clone, 'rev-parse', 'HEAD');

    const run = await update('--dry-run', '--json');
    expect(run.code, run.stderr).toBe(0);
    const { result } = JSON.parse(run.stdout);
    expect(result.repositories.map((r: { action: string }) => r.action)).toEqual(['unchanged', 'unchanged']);
    expect(result.outputs.map((o: { changed: boolean }) => o.changed)).toEqual([
      false,
      false,
      false,
      true,
      false,
      false,
    ]);
    expect(result.reloads).toEqual([reload('bird6')]);
    expect(git(clone, 'rev-parse', 'HEAD')).toBe(head);
    expect(existsSync(path.join(root, TARGETS.roa6))).toBe(false);
    expect(installed(TARGETS.dns)).not.toContain('10.7.1.3');
    expect(reloads()).toHaveLength(4);
  });

  it('the real run then pulls, reinstalls what changed and reloads only those services', async () => {
    const run = await update('--json');
    expect(run.code, run.stderr).toBe(0);
    const { result } = JSON.parse(run.stdout);
    expect(result.repositories[0].action).toBe('pulled');
    expect(
      result.outputs.filter((o: { changed: boolean }) => o.changed).map((o: { target: string }) => o.target),
    ).toEqual([TARGETS.roa6, TARGETS.dns]);
    expect(installed(TARGETS.dns)).toContain('10.7.1.1; 10.7.1.2; 10.7.1.3;');
    expect(installed(TARGETS.roa6)).toBe(golden('roa-bird-v6-m64.conf'));
    expect(reloads().slice(4).sort()).toEqual(['bird6', 'rndc']);
  });

  it('a hostile peer upstream: exit 5, named in --json problems; only its BGP session is left out', async () => {
    cpSync(path.join(TEST_DATA, 'meta-invalid/peer-name-injection/mallory'), path.join(meta.work, 'mallory'));
    push(meta.work, 'mallory');
    const bgp4 = installed(TARGETS.bgp4);
    const bgp6 = installed(TARGETS.bgp6);

    const run = await update('--json');
    expect(run.code, run.stderr).toBe(5);
    const output = JSON.parse(run.stdout);
    expect(output.result.rejected).toEqual([]);
    expect(output.result.leftOut).toEqual({ mallory: ['bgp'] });
    expect(output.result.problems).toContainEqual(
      expect.stringMatching(/^"mallory": bgp: peer name .*outside \[A-Za-z0-9_\]; peer .* left out of bgp$/),
    );
    // One log line per problem, naming the outputs (not one per output).
    expect(logMessages(run.stderr).filter((m) => m.startsWith('"mallory": bgp: peer name'))).toHaveLength(1);
    expect(output.result.outputs.every((o: { validated: string }) => o.validated !== 'rejected')).toBe(true);
    expect(installed(TARGETS.bgp4)).toBe(bgp4);
    expect(installed(TARGETS.bgp6)).toBe(bgp6);
    expect(installed(TARGETS.roa4)).toMatch(/roa 10\.99\.0\.0\/16 +max +20 as +65099; # mallory\n/);
    expect(installed(TARGETS.dns)).toContain('zone "ffmallory" {');
    for (const file of Object.values(TARGETS)) expect(installed(file)).not.toMatch(/evil/);
    expect(reloads().slice(6).sort()).toEqual(['bird', 'bird6', 'rndc']);
  });

  it('two peer names alike in their first 32 characters: both installed under their whole names, bird accepts', async () => {
    rmSync(path.join(meta.work, 'mallory'));
    // mkbgp's 32-character cut would make them one bird protocol (in both families), which bird refuses.
    const november = path.join(meta.work, 'november');
    writeFileSync(
      november,
      readFileSync(november, 'utf8')
        .replace(
          'domains: []',
          '  november_backbone_gateway02:\n    ipv4: 10.207.14.2\n    ipv6: fec0::a:cf:e:2\ndomains: [ffnovember]',
        )
        .replace('  - 10.14.0.53\n', '  - 10.14.0.53\n  - 10.14.0.54\n'),
    );
    push(meta.work, 'november: second gateway');

    const run = await update('--json');
    expect(run.code, run.stderr).toBe(0);
    for (const file of [TARGETS.bgp4, TARGETS.bgp6]) {
      expect(installed(file)).toContain('protocol bgp icvpn_november_backbone_gateway01 from ebgp_icvpn {');
      expect(installed(file)).toContain('protocol bgp icvpn_november_backbone_gateway02 from ebgp_icvpn {');
    }
    expect(installed(TARGETS.dns)).toMatch(/zone "ffnovember" \{[^}]*10\.14\.0\.53; 10\.14\.0\.54;/);
    expect(reloads().slice(9).sort()).toEqual(['bird', 'bird6', 'rndc']);
  });

  it('a generated file bird rejects: exit 3, that file kept, the other outputs installed', async () => {
    // Checked without its wrapper config, the peers' template is undefined: the real bird refuses the file.
    const file = path.join(config, 'icvpn.yaml');
    const settings = YAML.parse(readFileSync(file, 'utf8'));
    settings.icvpn.outputs[0].validate = ['bird', '-p', '-c', '{file}'];
    writeFileSync(file, YAML.stringify(settings));
    const hotel = path.join(meta.work, 'hotel');
    writeFileSync(hotel, readFileSync(hotel, 'utf8').replace('asn: 65008', 'asn: 65108'));
    push(meta.work, 'hotel: new ASN');
    const bgp4 = installed(TARGETS.bgp4);

    const run = await update('--json');
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(
      /icvpn_ipv4_peers\.conf: bird rejected the generated file, the old file was kept/,
    );
    expect(JSON.parse(run.stdout)).toMatchObject({ exitCode: 3 });
    expect(installed(TARGETS.bgp4)).toBe(bgp4);
    expect(installed(TARGETS.bgp6)).toMatch(/neighbor fec0::a:cf:8:1 as 65108;/);
    expect(installed(TARGETS.roa4)).toMatch(/as +65108; # hotel\n/);
    expect(reloads().slice(12).sort()).toEqual(['bird', 'bird6']);
  });
});
