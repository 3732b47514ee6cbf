import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStore, RootSandbox } from '@ffphoton/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type ManifestEntry, optionsFromReferenceArgs, TEST_DATA } from '../test-helpers/reference-args.js';
import { renderBgp, selectBgpPeers } from './bgp-generator.js';
import { formatProblem } from './community.js';
import { dnsmasqRefusals, renderDns } from './dns-generator.js';
import { parseExcludes } from './exclude-list.js';
import { loadCommunities } from './meta-loader.js';
import { renderRoa } from './roa-generator.js';

const files = new FileStore(new RootSandbox(), { dryRun: true });

/** What `entry`'s reference tool call becomes in photon, on `metaDir`; `refusals` says whether errors are expected. */
async function generate(
  entry: ManifestEntry,
  metaDir: string,
  allowLinkLocal = false,
  refusals: 'none' | 'expected' = 'none',
): Promise<string> {
  const tool = optionsFromReferenceArgs(entry);
  const { communities, problems } = await loadCommunities(files, metaDir, {
    exclude: parseExcludes(tool.exclude),
    allowLinkLocal,
  });
  if (refusals === 'none') expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  if (tool.tool === 'mkbgp')
    return renderBgp(selectBgpPeers(communities, tool.options), tool.options, new Set());
  if (tool.tool === 'mkroa') return renderRoa(communities, tool.options);
  // As the dns output does: dnsmasq cannot take an RFC 2317 name (see dnsmasqRefusals).
  const usable = tool.options.format === 'dnsmasq' ? dnsmasqRefusals(communities).communities : communities;
  return renderDns(usable, tool.options);
}

function manifest(dir: string): ManifestEntry[] {
  return JSON.parse(readFileSync(path.join(TEST_DATA, dir, 'manifest.json'), 'utf8')) as ManifestEntry[];
}

describe('golden files of mkbgp, mkroa and mkdns', () => {
  for (const entry of manifest('expected')) {
    if (entry.file === 'bgp-bird-v4-exclude-comma.conf') continue;
    it(`${entry.file} (${entry.tool} ${entry.args.join(' ')})`, async () => {
      const golden = readFileSync(path.join(TEST_DATA, 'expected', entry.file), 'utf8');
      expect(await generate(entry, path.join(TEST_DATA, 'meta'))).toBe(golden);
    });
  }

  it('treats -x alpha,bravo as two excludes (mkbgp excluded nothing)', async () => {
    const entry = manifest('expected').find((e) => e.file === 'bgp-bird-v4-exclude-comma.conf')!;
    const output = await generate(entry, path.join(TEST_DATA, 'meta'));
    expect(output).toBe(
      readFileSync(path.join(TEST_DATA, 'expected', 'bgp-bird-v4-exclude-two.conf'), 'utf8'),
    );
    expect(output).not.toBe(readFileSync(path.join(TEST_DATA, 'expected', entry.file), 'utf8'));
  });

  for (const entry of manifest('expected-linklocal')) {
    it(`link-local ${entry.file} (${entry.args.join(' ')})`, async () => {
      const golden = readFileSync(path.join(TEST_DATA, 'expected-linklocal', entry.file), 'utf8');
      expect(await generate(entry, path.join(TEST_DATA, 'meta-linklocal'), true)).toBe(golden);
    });
  }

  it('leaves the link-local session out unless link-local peers are allowed, as check does', async () => {
    const result = await loadCommunities(files, path.join(TEST_DATA, 'meta-linklocal'));
    expect(result.rejected).toEqual([]);
    expect(result.problems[0]).toMatchObject({
      community: 'papa',
      key: 'bgp.papa1.ipv6',
      severity: 'error',
      leftOut: ['bgp'],
      part: 'peer papa1 (ipv6)',
    });
  });
});

const scratch = mkdtempSync(path.join(os.tmpdir(), 'icvpn-shapes-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * meta-shapes-unsafe/ in a scratch copy whose `mallory` is a symbolic link made now: a copy of
 * the checkout (Stryker's sandbox, an archive) may have turned the committed link into a file.
 */
function unsafeShapesCopy(): string {
  const copy = path.join(scratch, 'meta-shapes-unsafe');
  cpSync(path.join(TEST_DATA, 'meta-shapes-unsafe'), copy, {
    recursive: true,
    filter: (from) => path.basename(from) !== 'mallory',
  });
  symlinkSync(
    path.join(TEST_DATA, 'meta-invalid', 'domain-injection', 'mallory'),
    path.join(copy, 'mallory'),
  );
  return copy;
}
const UNSAFE_SHAPES = unsafeShapesCopy();

/** Runs a real validator on `content`; returns its exit status and output. */
function validate(name: string, content: string, argv: (file: string) => string[]): string {
  const file = path.join(scratch, name);
  writeFileSync(file, content);
  const [program, ...args] = argv(file);
  try {
    return execFileSync(program, args, { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const { stdout, stderr } = error as { stdout: string; stderr: string };
    throw new Error(`${program} rejected ${name}: ${stdout}${stderr}`);
  }
}

const BIRD_WRAPPER = (file: string, templates = ['ebgp_icvpn']) =>
  `router id 192.0.2.1;\nprotocol device {}\n${templates.map((t) => `template bgp ${t} { local as 64512; }\n`).join('')}include "${file}";\n`;

/** The real tool for each golden file of the shapes, where one is installed on the CI machine. */
function realValidator(entry: ManifestEntry): ((file: string) => string[]) | undefined {
  const family = entry.args.includes('-4') ? 'bird' : 'bird6';
  const wrapped = (body: (file: string) => string) => (file: string) => {
    writeFileSync(`${file}.wrapper`, body(file));
    return [family, '-p', '-c', `${file}.wrapper`];
  };
  if (entry.tool === 'mkbgp' && entry.args.includes('-p') && !entry.args.includes('quagga'))
    return wrapped((file) => BIRD_WRAPPER(file, ['ebgp_icvpn', 'ebgp_icvpn_as4', 'ebgp_sandbox']));
  if (entry.tool === 'mkroa' && entry.args.includes('--bird-table-name'))
    return wrapped((file) => `router id 192.0.2.1;\nprotocol device {}\ninclude "${file}";\n`);
  if (entry.tool === 'mkroa')
    return wrapped(
      (file) => `router id 192.0.2.1;\nprotocol device {}\nroa table icvpn {\ninclude "${file}";\n}\n`,
    );
  if (entry.args.includes('bind') || entry.args.includes('bind-forward'))
    return (file) => ['named-checkconf', file];
  if (entry.args.includes('unbound')) return (file) => ['unbound-checkconf', file];
  return undefined;
}

describe('the registry as it really is (test-data/meta-shapes): every golden argument set', () => {
  for (const entry of manifest('expected')) {
    if (entry.file === 'bgp-bird-v4-exclude-comma.conf') continue;
    it(`${entry.file}: byte-identical to the expected file, accepted by the real tool`, async () => {
      const output = await generate(entry, path.join(TEST_DATA, 'meta-shapes'));
      expect(output).toBe(readFileSync(path.join(TEST_DATA, 'expected-shapes', entry.file), 'utf8'));
      const argv = realValidator(entry);
      if (argv) validate(entry.file, output, argv);
    });
  }

  it('accepts every shape (check would too); nested networks and a low-bits mismatch are warnings', async () => {
    const result = await loadCommunities(files, path.join(TEST_DATA, 'meta-shapes'));
    expect(result.communities.map((c) => c.name)).toEqual(['romeo', 'sierra', 'tango', 'victor', 'whiskey']);
    expect(result.problems.map(formatProblem)).toEqual([
      '"whiskey": networks.ipv4: "172.22.8.0/22" lies within the community\'s own "172.20.0.0/14"',
      '"whiskey": networks.ipv6: "fd42:d42:25::/48" lies within the community\'s own "fd42:d42::/32"',
      '"whiskey": bgp.whiskey1: IPv4 and IPv6 transfer addresses do not match',
    ]);
    expect(result.problems.every((p) => p.severity === 'warning')).toBe(true);
  });

  it('leaves the RFC 2317 community out of dnsmasq only ("/" separates its domains)', async () => {
    const { communities } = await loadCommunities(files, path.join(TEST_DATA, 'meta-shapes'));
    const { problems } = dnsmasqRefusals(communities);
    expect(problems.map(formatProblem)).toEqual([
      '"sierra": domains: "128/18.24.10.in-addr.arpa" cannot be written for dnsmasq, which separates domains by "/"; the dnsmasq entries left out of dns',
    ]);
    expect(readFileSync(path.join(TEST_DATA, 'expected-shapes', 'dns-bind.conf'), 'utf8')).toContain(
      'zone "128/18.24.10.in-addr.arpa" {',
    );
  });
});

describe('unsafe shapes (test-data/meta-shapes-unsafe): refused narrowly, with file, key and reason', () => {
  // expected-shapes-unsafe/ is the reference's output with each refused community excluded from the
  // outputs its refusal names (test-data/meta-shapes/README.md), so nothing else may change.
  for (const entry of manifest('expected')) {
    it(`${entry.file}: the reference's output without the refused values`, async () => {
      const output = await generate(entry, UNSAFE_SHAPES, false, 'expected');
      expect(output).toBe(readFileSync(path.join(TEST_DATA, 'expected-shapes-unsafe', entry.file), 'utf8'));
    });
  }

  it('refuses the symlink everywhere, TLD and reverse-tree captures from dns only; the rest stays', async () => {
    const result = await loadCommunities(files, UNSAFE_SHAPES);
    expect(result.rejected).toEqual(['mallory']);
    expect(result.problems.map(formatProblem)).toEqual([
      '"mallory": (file): is a symbolic link; left out of every output',
      '"xray": domains: reverse zone "10.in-addr.arpa" lies outside the community\'s own networks',
      '"yankee": domains: "com" is a top-level domain (IANA list); it would capture the names of others; left out of dns',
      '"zulu": domains: "in-addr.arpa" is a whole reverse tree; it would capture the names of others; left out of dns',
      '"xray": domains: reverse zone "10.in-addr.arpa" reaches network 10.23.0.0/16 of "tango"; left out of dns',
    ]);
    const bgpOptions = {
      family: 'ipv4',
      format: 'bird',
      prefix: 'icvpn_',
      defaultTemplate: 'ebgp_icvpn',
      templates: {},
      interface: 'icvpn',
    } as const;
    const bgp = renderBgp(selectBgpPeers(result.communities, bgpOptions), bgpOptions, new Set());
    expect(bgp).toContain('protocol bgp icvpn_yankee1 from ebgp_icvpn {');
    const roa = renderRoa(result.communities, { family: 'ipv4', format: 'bird', maxLength: 24 });
    expect(roa).toMatch(/roa 10\.26\.0\.0\/16 max {2}24 as 65026; # yankee/);
    const dns = renderDns(result.communities, { format: 'bind' });
    expect(dns).not.toMatch(
      /yankee|xray|zulu|mallory|"com"|in-addr\.arpa" \{\n {4}type static-stub;\n {4}server-addresses \{ 10\.28/,
    );
    expect(dns).toContain('zone "fftango" {');
    validate('unsafe-bgp.conf', bgp, (file) => {
      writeFileSync(`${file}.wrapper`, BIRD_WRAPPER(file));
      return ['bird', '-p', '-c', `${file}.wrapper`];
    });
    validate('unsafe-bind.conf', dns, (file) => ['named-checkconf', file]);
  });

  it('two peers alike in the first 32 characters of their bird names keep their whole names', async () => {
    const result = await loadCommunities(files, UNSAFE_SHAPES);
    const options = {
      family: 'ipv4',
      format: 'bird',
      prefix: 'icvpn_',
      defaultTemplate: 'ebgp_icvpn',
      templates: {},
      interface: 'icvpn',
    } as const;
    const problems: Parameters<typeof selectBgpPeers>[2] = [];
    const names = selectBgpPeers(result.communities, options, problems).map((p) => p.name);
    expect(names).toEqual([
      'icvpn_tango1',
      'icvpn_xray_backbone_gateway_north1',
      'icvpn_xray_backbone_gateway_north2',
      'icvpn_yankee1',
    ]);
    expect(problems).toEqual([]);
    // A prefix that makes the whole names longer than bird's 64 characters: those peers are left out.
    const long = { ...options, prefix: `icvpn_${'x'.repeat(30)}_` };
    const refused = selectBgpPeers(result.communities, long, problems).map((p) => p.name);
    // All four collide after the cut; tango1 and yankee1 fit in 64 characters, xray's do not.
    expect(refused).toEqual([`${long.prefix}tango1`, `${long.prefix}yankee1`]);
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /^"xray": bgp: protocol name icvpn_x+_xray_backbone_gateway_north1 collides .*; peer icvpn_x+_xray_backbone_gateway_north1 \(ipv4\) left out of bgp$/,
      ),
      expect.stringMatching(/north2 \(ipv4\) left out of bgp$/),
    ]);
  });
});
