import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStore, RootSandbox } from '@ffphoton/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DNS_FORMATS } from '../settings.js';
import { TEST_DATA } from '../test-helpers/reference-args.js';
import { renderBgp, selectBgpPeers } from './bgp-generator.js';
import { formatProblem } from './community.js';
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

/** Every output the generators can write, for the given communities. */
function allOutputs(communities: Parameters<typeof renderRoa>[0]): string[] {
  const outputs: string[] = [];
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
      outputs.push(renderBgp(selectBgpPeers(communities, options), options, new Set()));
    }
    outputs.push(renderRoa(communities, { family, format: 'bird' }));
    outputs.push(renderRoa(communities, { family, format: 'bird2', tableName: 'roa_icvpn' }));
  }
  for (const format of DNS_FORMATS) outputs.push(renderDns(communities, { format }));
  return outputs;
}

// The key each rejection names; what the reference tools did is in README.md ("Bad input").
const CASES: Record<string, { file: string; key: string; message: RegExp }> = {
  'asn-negative': { file: 'mallory', key: 'asn', message: /-65099.*not an integer in 1\.\.4294967295/ },
  'asn-string': { file: 'mallory', key: 'asn', message: /"65099; import all; export all" is not an integer/ },
  'asn-too-large': { file: 'mallory', key: 'asn', message: /4294967296/ },
  'bad-yaml': { file: 'mallory', key: '(file)', message: /invalid YAML: .* at line 9, column 11/ },
  'bgp-outside-transfer-net': {
    file: 'mallory',
    key: 'bgp.mallory1.ipv4',
    message: /outside the transfer network/,
  },
  'comment-only-file': { file: 'mallory', key: '(file)', message: /top level must be a mapping/ },
  'domain-injection': { file: 'mallory', key: 'domains', message: /is not a domain name/ },
  'duplicate-key': { file: 'mallory', key: 'asn (duplicate key)', message: /Map keys must be unique/ },
  'file-name-with-spaces': {
    file: 'mallory community',
    key: '(file name)',
    message: /community name must match/,
  },
  'huge-file': { file: 'mallory', key: '(file)', message: /5242880 bytes, more than the limit of 65536/ },
  'nameserver-not-ip': {
    file: 'mallory',
    key: 'nameservers',
    message: /"ns1.mallory.example.org" is not an IP/,
  },
  'peer-name-dash': { file: 'mallory', key: 'bgp', message: /"mallory-1" contains characters outside/ },
  'peer-name-injection': { file: 'mallory', key: 'bgp', message: /"mallory1\\"; protocol evil \{"/ },
  'peer-name-newline': {
    file: 'mallory',
    key: 'bgp',
    message: /"mallory1\\nprotocol evil" contains characters/,
  },
  'yaml-alias-bomb': { file: 'mallory', key: 'x-b', message: /anchors and aliases are not accepted/ },
};

describe('hostile icvpn-meta inputs (meta-invalid/)', () => {
  const reference = JSON.parse(readFileSync(path.join(INVALID, 'reference-behaviour.json'), 'utf8')) as {
    cases: Record<string, unknown>;
  };

  it('covers every case of the fixture', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(reference.cases).sort());
  });

  for (const [name, expected] of Object.entries(CASES)) {
    it(`${name}: rejects ${expected.file} naming the key, keeps alpha, never emits mallory`, async () => {
      const dir = name === 'huge-file' ? hugeFileCase() : path.join(INVALID, name);
      const started = performance.now();
      const result = await loadCommunities(files, dir);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(result.rejected).toEqual([expected.file]);
      expect(result.communities.map((c) => c.name)).toEqual(['alpha']);
      const errors = result.problems.filter((p) => p.severity === 'error');
      expect(errors[0]).toMatchObject({ community: expected.file, key: expected.key });
      expect(errors.map(formatProblem).join('\n')).toMatch(expected.message);
      for (const line of errors.map(formatProblem)) expect(line).not.toContain('\n');

      const alphaOnly = await loadCommunities(files, dir, { exclude: new Set([expected.file]) });
      const outputs = allOutputs(result.communities);
      expect(outputs).toEqual(allOutputs(alphaOnly.communities));
      for (const output of outputs) {
        expect(output).not.toMatch(/mallory|evil|passwd|import all/);
        expect(output).toContain('alpha');
      }
    });
  }
});
