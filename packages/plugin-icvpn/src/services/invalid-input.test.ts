import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStore, RootSandbox } from '@ffphoton/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DNS_FORMATS } from '../settings.js';
import { TEST_DATA } from '../test-helpers/reference-args.js';
import { renderBgp, selectBgpPeers } from './bgp-generator.js';
import { formatProblem, META_OUTPUTS, type OutputKind } from './community.js';
import { renderDns } from './dns-generator.js';
import { loadCommunities } from './meta-loader.js';
import { renderRoa } from './roa-generator.js';

const files = new FileStore(new RootSandbox(), { dryRun: true });
const INVALID = path.join(TEST_DATA, 'meta-invalid');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'icvpn-invalid-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** huge-file/mallory is built at run time as its README describes (5 MiB are not kept in git). */
function hugeFileCase(): string {
  const dir = path.join(scratch, 'huge-file');
  cpSync(path.join(INVALID, 'huge-file'), dir, { recursive: true });
  const head = readFileSync(path.join(INVALID, 'file-name-with-spaces', 'mallory community'), 'utf8');
  const body = `# ${'x'.repeat(77)}\n`.repeat(65_532);
  const content = `${head}# padding follows\n${body}#${'x'.repeat(47)}\n`;
  writeFileSync(path.join(dir, 'mallory'), content);
  expect(Buffer.byteLength(content)).toBe(5_242_880);
  return dir;
}

/** Every output the generators can write, for the given communities, by kind. */
function allOutputs(communities: Parameters<typeof renderRoa>[0]): Record<OutputKind, string[]> {
  const outputs: Record<OutputKind, string[]> = { bgp: [], roa: [], dns: [] };
  for (const family of ['ipv4', 'ipv6'] as const) {
    for (const format of ['bird', 'bird2', 'quagga'] as const) {
      const options = {
        family,
        format,
        prefix: 'icvpn_',
        defaultTemplate: 'ebgp_icvpn',
        templates: {},
        interface: 'icvpn',
      };
      outputs.bgp.push(renderBgp(selectBgpPeers(communities, options), options, new Set()));
    }
    outputs.roa.push(renderRoa(communities, { family, format: 'bird' }));
    outputs.roa.push(renderRoa(communities, { family, format: 'bird2', tableName: 'roa_icvpn' }));
  }
  for (const format of DNS_FORMATS) outputs.dns.push(renderDns(communities, { format }));
  return outputs;
}

const ALL = META_OUTPUTS;
// The key each refusal names and the outputs it keeps the community (or its bad entry) out of;
// what the reference tools did is in README.md ("Bad input").
const CASES: Record<string, { file: string; key: string; message: RegExp; leftOut: readonly OutputKind[] }> =
  {
    'asn-negative': {
      file: 'mallory',
      key: 'asn',
      message: /-65099.*not an integer in 1\.\.4294967295; left out of bgp, roa$/,
      leftOut: ['bgp', 'roa'],
    },
    'asn-string': {
      file: 'mallory',
      key: 'asn',
      message: /"65099; import all; export all" is not an integer/,
      leftOut: ['bgp', 'roa'],
    },
    'asn-too-large': { file: 'mallory', key: 'asn', message: /4294967296/, leftOut: ['bgp', 'roa'] },
    'bad-yaml': {
      file: 'mallory',
      key: '(file)',
      message: /invalid YAML: .* at line 9, column 11.*; left out of every output$/,
      leftOut: ALL,
    },
    'bgp-outside-transfer-net': {
      file: 'mallory',
      key: 'bgp.mallory1.ipv4',
      message: /outside the transfer network 10.207.0.0\/16; peer mallory1 \(ipv4\) left out of bgp$/m,
      leftOut: ['bgp'],
    },
    'comment-only-file': {
      file: 'mallory',
      key: '(file)',
      message: /top level must be a mapping/,
      leftOut: ALL,
    },
    'domain-injection': {
      file: 'mallory',
      key: 'domains',
      message: /is not a domain name.*; left out of dns$/m,
      leftOut: ['dns'],
    },
    'duplicate-key': {
      file: 'mallory',
      key: 'asn (duplicate key)',
      message: /Map keys must be unique/,
      leftOut: ALL,
    },
    'file-name-with-spaces': {
      file: 'mallory community',
      key: '(file name)',
      message: /community name must match/,
      leftOut: ALL,
    },
    'huge-file': {
      file: 'mallory',
      key: '(file)',
      message: /5242880 bytes, more than the limit of 65536/,
      leftOut: ALL,
    },
    'nameserver-not-ip': {
      file: 'mallory',
      key: 'nameservers',
      message: /"ns1.mallory.example.org" is not an IP address; left out of dns/,
      leftOut: ['dns'],
    },
    'peer-name-dash': {
      file: 'mallory',
      key: 'bgp',
      message: /"mallory-1" contains characters outside.*; peer "mallory-1" left out of bgp$/,
      leftOut: ['bgp'],
    },
    'peer-name-injection': {
      file: 'mallory',
      key: 'bgp',
      message: /"mallory1\\"; protocol evil \{"/,
      leftOut: ['bgp'],
    },
    'peer-name-newline': {
      file: 'mallory',
      key: 'bgp',
      message: /"mallory1\\nprotocol evil" contains characters/,
      leftOut: ['bgp'],
    },
    'yaml-alias-bomb': {
      file: 'mallory',
      key: 'x-b',
      message: /anchors and aliases are not accepted/,
      leftOut: ALL,
    },
  };
/** Hostile text of the fixtures: never in any output. */
const HOSTILE =
  /evil|passwd|import all|mallory-1|-65099|4294967296|example\.org|192\.0\.2\.66|10\.99\.0\.1\b/;

describe('hostile icvpn-meta inputs (meta-invalid/)', () => {
  const reference = JSON.parse(readFileSync(path.join(INVALID, 'reference-behaviour.json'), 'utf8')) as {
    cases: Record<string, unknown>;
  };

  it('covers every case of the fixture', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(reference.cases).sort());
  });

  for (const [name, expected] of Object.entries(CASES)) {
    it(`${name}: keeps ${expected.file} out of ${expected.leftOut.join(', ')} only, naming the key; never emits the hostile value`, async () => {
      const dir = name === 'huge-file' ? hugeFileCase() : path.join(INVALID, name);
      const started = performance.now();
      const result = await loadCommunities(files, dir);
      expect(performance.now() - started).toBeLessThan(2_000);
      const whole = expected.leftOut === ALL;
      expect(result.rejected).toEqual(whole ? [expected.file] : []);
      expect(result.communities.map((c) => c.name)).toEqual(whole ? ['alpha'] : ['alpha', expected.file]);
      const errors = result.problems.filter((p) => p.severity === 'error');
      expect(errors[0]).toMatchObject({ community: expected.file, key: expected.key });
      for (const error of errors) expect(error.leftOut).toEqual(expected.leftOut);
      expect(errors.map(formatProblem).join('\n')).toMatch(expected.message);
      for (const line of errors.map(formatProblem)) expect(line).not.toContain('\n');

      const alphaOnly = allOutputs(
        (await loadCommunities(files, dir, { exclude: new Set([expected.file]) })).communities,
      );
      const outputs = allOutputs(result.communities);
      for (const kind of META_OUTPUTS) {
        if (expected.leftOut.includes(kind)) expect(outputs[kind], kind).toEqual(alphaOnly[kind]);
        else for (const output of outputs[kind]) expect(output, kind).toMatch(/mallory/);
        for (const output of outputs[kind]) {
          expect(output).not.toMatch(HOSTILE);
          expect(output).toContain('alpha');
        }
      }
    });
  }
});
