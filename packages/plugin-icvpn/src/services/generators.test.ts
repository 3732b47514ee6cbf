import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FileStore, RootSandbox } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { type ManifestEntry, optionsFromReferenceArgs, TEST_DATA } from '../test-helpers/reference-args.js';
import { renderBgp, selectBgpPeers } from './bgp-generator.js';
import { renderDns } from './dns-generator.js';
import { parseExcludes } from './exclude-list.js';
import { loadCommunities } from './meta-loader.js';
import { renderRoa } from './roa-generator.js';

const files = new FileStore(new RootSandbox(), { dryRun: true });

async function generate(entry: ManifestEntry, metaDir: string, allowLinkLocal = false): Promise<string> {
  const tool = optionsFromReferenceArgs(entry);
  const { communities, problems } = await loadCommunities(files, metaDir, {
    exclude: parseExcludes(tool.exclude),
    allowLinkLocal,
  });
  expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  if (tool.tool === 'mkbgp')
    return renderBgp(selectBgpPeers(communities, tool.options), tool.options, new Set());
  if (tool.tool === 'mkroa') return renderRoa(communities, tool.options);
  return renderDns(communities, tool.options);
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
