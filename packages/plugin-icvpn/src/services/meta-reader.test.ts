import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FileStore, parseYamlDocument, RootSandbox } from '@ffphoton/core';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATA } from '../test-helpers/reference-args.js';
import { syntheticCommunity } from '../test-helpers/synthetic-meta.js';
import { MetaReader, parseCommunity, type RawCommunity } from './meta-reader.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'icvpn-meta-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('MetaReader directory handling', () => {
  it('reads regular files in code point order; skips dot-files, README*, directories; refuses symlinks (even to a community) and FIFOs', async () => {
    const community = (asn: number) => `asn: ${asn}\n`;
    writeFileSync(path.join(dir, 'bravo'), community(2));
    writeFileSync(path.join(dir, 'Alpha'), community(1));
    writeFileSync(path.join(dir, '.hidden'), community(9));
    writeFileSync(path.join(dir, 'README.md'), '# not a community\n');
    mkdirSync(path.join(dir, 'subdir'));
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    // A committed link could point anywhere outside the clone (here: at a community, still refused).
    symlinkSync(path.join(dir, 'bravo'), path.join(dir, 'charlie'));
    symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'));
    writeFileSync(path.join(dir, 'big'), `asn: 3\n#${'x'.repeat(200)}\n`);

    const files: RawCommunity[] = [];
    const problems = await new MetaReader(new FileStore(new RootSandbox(), { dryRun: true }), 100).read(
      dir,
      (file) => files.push(file),
    );
    expect(files.map((f) => [f.name, (f.data as Map<string, unknown>).get('asn')])).toEqual([
      ['Alpha', 1],
      ['bravo', 2],
    ]);
    const refused = (community: string, message: string | RegExp) =>
      expect.objectContaining({ community, key: '(file)', message, leftOut: ['bgp', 'roa', 'dns'] });
    expect(problems).toEqual([
      refused('big', expect.stringMatching(/^file is 209 bytes, more than the limit of 100/)),
      refused('charlie', 'is a symbolic link'),
      refused('dangling', 'is a symbolic link'),
      refused('fifo', 'is not a regular file'),
    ]);
  });
});

describe('MetaReader limits and parse errors', () => {
  const files = new FileStore(new RootSandbox(), { dryRun: true });
  const read = async (name: string, entries: Record<string, string>, limit = 100, exclude?: Set<string>) => {
    const at = path.join(dir, name);
    mkdirSync(at);
    for (const [file, text] of Object.entries(entries)) writeFileSync(path.join(at, file), text);
    const found: RawCommunity[] = [];
    const problems = await new MetaReader(files, limit).read(at, (file) => found.push(file), exclude);
    return {
      found: found.map((f) => f.name),
      problems: problems.map((p) => `${p.community} ${p.key}: ${p.message}`),
    };
  };

  it('a file of exactly the limit is read; one byte more is refused unparsed; excludes match whole names', async () => {
    const exact = `asn: 1\n#${'x'.repeat(91)}\n`;
    expect(Buffer.byteLength(exact)).toBe(100);
    expect(
      await read(
        'limit',
        { exact, over: `${exact} `, alpha: 'asn: 2\n', 'alpha,beta': 'asn: 3\n', README: 'x' },
        100,
        new Set(['alpha']),
      ),
    ).toEqual({
      found: ['alpha,beta', 'exact'],
      problems: ['over (file): file is 101 bytes, more than the limit of 100; not parsed'],
    });
  });

  it('an empty or comment-only file reaches the validator as an empty document', async () => {
    const at = path.join(dir, 'empty');
    mkdirSync(at);
    writeFileSync(path.join(at, 'blank'), '');
    writeFileSync(path.join(at, 'comment'), '# nothing\n');
    const found: RawCommunity[] = [];
    expect(await new MetaReader(files).read(at, (file) => found.push(file))).toEqual([]);
    expect(found).toEqual([
      { name: 'blank', data: null },
      { name: 'comment', data: null },
    ]);
  });

  it('parseCommunity reads every fixture and generated community as the full parser does (Maps, keys of their type)', () => {
    const filesUnder = (at: string): string[] =>
      readdirSync(at).flatMap((name) => {
        const file = path.join(at, name);
        return statSync(file).isDirectory() ? filesUnder(file) : [file];
      });
    const texts = [
      ...['meta', 'meta-linklocal', 'meta-invalid'].flatMap((d) => filesUnder(path.join(TEST_DATA, d))),
    ].map((file) => readFileSync(file, 'utf8'));
    texts.push(...[1, 2, 255, 256, 4095, 9999, 65535].map((i) => syntheticCommunity(i)));
    const unread = () => undefined;
    let read = 0;
    for (const text of texts) {
      const doc = parseYamlDocument(text, { uniqueKeys: true });
      const parsed = parseCommunity('x', text, unread);
      if (doc.errors.length > 0) expect(parsed, text).toBeUndefined();
      else if (parsed) {
        expect(parsed.data, text).toEqual(doc.toJS({ mapAsMap: true }));
        read++;
      }
    }
    expect(read).toBeGreaterThan(20);
  });

  it('parseCommunity: the first YAML error with its line; a duplicate key named; aliases refused by key', () => {
    const failures: string[] = [];
    const fail = (message: string, key = '(file)') => {
      failures.push(`${key}: ${message}`);
      return undefined;
    };
    expect(parseCommunity('a', 'asn: 1\nbgp: [\n', fail)).toBeUndefined();
    expect(parseCommunity('b', 'asn: 1\n  networks: x\nasn: 2\n', fail)).toBeUndefined();
    expect(parseCommunity('c', 'asn: 1\ndomains: [x]\nasn: 2\n', fail)).toBeUndefined();
    expect(parseCommunity('d', 'x: &a [1]\ny: [*a]\nasn: 1\n', fail)).toBeUndefined();
    expect(parseCommunity('e', 'x: &a 1\n', fail)).toEqual({ name: 'e', data: new Map([['x', 1]]) });
    expect(parseCommunity('g', 'bgp:\n  a1: {ipv4: x}\n  a1: {ipv4: y}\n', fail)).toBeUndefined();
    expect(parseCommunity('h', 'empty:\nx: &v [1]\ny: [*v]\n', fail)).toBeUndefined();
    // Refused before the parser sees it (it takes seconds on a few thousand levels).
    expect(parseCommunity('i', `asn: ${'['.repeat(65)}\n`, fail)).toBeUndefined();
    expect(parseCommunity('f', "asn: 1\ndomains: ['a b', {x: 1}]\n", fail)).toEqual({
      name: 'f',
      data: new Map<unknown, unknown>([
        ['asn', 1],
        ['domains', ['a b', new Map([['x', 1]])]],
      ]),
    });
    expect(failures).toEqual([
      '(file): invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1',
      '(file): invalid YAML: Nested mappings are not allowed in compact mappings at line 1, column 6',
      'asn (duplicate key): invalid YAML: Map keys must be unique at line 3, column 1',
      'y: YAML anchors and aliases are not accepted',
      'a1 (duplicate key): invalid YAML: Map keys must be unique at line 3, column 3',
      'y: YAML anchors and aliases are not accepted',
      '(file): nested deeper than 64 levels',
    ]);
  });

  it('files replaced after the directory was listed: gone is skipped, a link, FIFO, directory or socket is refused', async () => {
    const at = path.join(dir, 'race');
    mkdirSync(at);
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) writeFileSync(path.join(at, name), `asn: 1\n`);
    const socket = net.createServer();
    const found: string[] = [];
    const problems = await new MetaReader(files).read(at, (file) => {
      found.push(file.name);
      if (file.name !== 'a') return;
      // Between reading "a" and opening the next file (the reader goes on synchronously).
      for (const name of ['b', 'c', 'd', 'e', 'f']) rmSync(path.join(at, name));
      symlinkSync(path.join(at, 'g'), path.join(at, 'c'));
      execFileSync('mkfifo', [path.join(at, 'd')]);
      mkdirSync(path.join(at, 'e'));
      socket.listen(path.join(at, 'f'));
    });
    socket.close();
    expect(found).toEqual(['a', 'g']);
    expect(problems.map((p) => `${p.community} ${p.key}: ${p.message} (${p.leftOut})`)).toEqual([
      'c (file): is a symbolic link (bgp,roa,dns)',
      'd (file): is not a regular file (bgp,roa,dns)',
      'e (file): is not a regular file (bgp,roa,dns)',
      expect.stringMatching(/^f \(file\): cannot be read: ENXIO: .*\(bgp,roa,dns\)$/),
    ]);
  });

  it('many files: code point order whatever the directory order; a socket is refused; no descriptor left open', async () => {
    const at = path.join(dir, 'many');
    mkdirSync(at);
    const names = Array.from({ length: 40 }, (_, i) => `c${(i * 7919) % 1000}`).concat([
      'B',
      'a',
      'Z9',
      '_x',
      'c',
    ]);
    for (const name of names) writeFileSync(path.join(at, name), 'asn: 1\n');
    const socket = net.createServer();
    await new Promise<void>((resolve) => socket.listen(path.join(at, 'sock'), resolve));
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    const found: string[] = [];
    const problems = await new MetaReader(files).read(at, (file) => found.push(file.name));
    expect(open()).toBe(before);
    await new Promise((resolve) => socket.close(resolve));
    expect(found).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(problems.map((p) => `${p.community}: ${p.message}`)).toEqual(['sock: is not a regular file']);
  });
});
