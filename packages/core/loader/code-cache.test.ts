import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';

const codeCache = path.join(import.meta.dirname, 'code-cache.cjs');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A bundle file as scripts/bundle/text.mjs writes it, with enough code for a real code cache. */
function bundle(answer: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'photon-code-cache-'));
  dirs.push(dir);
  const file = path.join(dir, 'b.cjs');
  const helpers = Array.from(
    { length: 200 },
    (_, i) => `function h${i}(x) { return x.map((y) => y * ${i}).join(','); }`,
  );
  writeFileSync(file, `(function () {${helpers.join('\n')}\nreturn h1([1]) && '${answer}';\n})`);
  return file;
}

/** A fresh process that loads `file` and prints what its function returns. */
function run(file: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(
    process.execPath,
    ['-e', `process.stdout.write(require(${JSON.stringify(codeCache)}).loadBundle(process.argv[1])())`, file],
    { encoding: 'utf8' },
  );
}

/** Whether `cache` is a complete cache file: a header whose checksum and length match the bytes after it. */
function intact(cache: string): boolean {
  const bytes = readFileSync(cache);
  const newline = bytes.indexOf(10);
  const header = JSON.parse(bytes.toString('latin1', 0, newline));
  const data = bytes.subarray(newline + 1);
  return header.length === data.length && header.checksum === crc32(data) && data.length > 0;
}

const headerLength = (cache: string) => readFileSync(cache).indexOf(10) + 1;

describe("a bundle's code cache", () => {
  it('is written by the first run and used unchanged by the next', () => {
    const file = bundle('one');
    expect(run(file)).toMatchObject({ status: 0, stdout: 'one' });
    const cache = `${file}.cache`;
    expect(intact(cache)).toBe(true);
    const written = statSync(cache);
    expect(run(file)).toMatchObject({ status: 0, stdout: 'one' });
    expect(statSync(cache)).toMatchObject({ ino: written.ino, mtimeMs: written.mtimeMs });
    // Written through a temporary file that is renamed: none is left.
    expect(readdirSync(path.dirname(file)).sort()).toEqual(['b.cjs', 'b.cjs.cache']);
  });

  const corruptions: [string, (bytes: Buffer, cache: string) => Buffer][] = [
    ['random bytes of the same length', (bytes) => randomBytes(bytes.length)],
    [
      "its header and V8's kept, a garbage body (a fatal V8 error without the checksum)",
      (bytes, cache) => {
        const keep = headerLength(cache) + 64;
        return Buffer.concat([bytes.subarray(0, keep), randomBytes(bytes.length - keep)]);
      },
    ],
    [
      'the first 64 bytes kept, a garbage body',
      (bytes) => Buffer.concat([bytes.subarray(0, 64), randomBytes(bytes.length - 64)]),
    ],
    ['truncated to half', (bytes) => bytes.subarray(0, bytes.length >> 1)],
    ['empty', () => Buffer.alloc(0)],
  ];
  it.each(corruptions)('%s: is ignored, the run works, and the cache is rebuilt', (_, corrupt) => {
    const file = bundle('works');
    const cache = `${file}.cache`;
    expect(run(file).status).toBe(0);
    writeFileSync(cache, corrupt(readFileSync(cache), cache));
    for (let i = 0; i < 2; i += 1)
      expect(run(file)).toMatchObject({ status: 0, stdout: 'works', stderr: '' });
    expect(intact(cache)).toBe(true);
  });

  it('is not used for a source edited to the same length: the new code runs', () => {
    const file = bundle('old');
    expect(run(file).stdout).toBe('old');
    writeFileSync(file, readFileSync(file, 'latin1').replace("'old'", "'new'"), 'latin1');
    expect(run(file)).toMatchObject({ status: 0, stdout: 'new' });
    expect(JSON.parse(readFileSync(`${file}.cache`, 'latin1').split('\n')[0]).source).toMatch(/^\d+:/);
    expect(run(file).stdout).toBe('new');
  });

  it('made under other V8 flags, is rebuilt for these', () => {
    const file = bundle('flags');
    spawnSync(process.execPath, [
      '--stack-size=900',
      '-e',
      `require(${JSON.stringify(codeCache)}).loadBundle(${JSON.stringify(file)})()`,
    ]);
    const header = () => JSON.parse(readFileSync(`${file}.cache`, 'latin1').split('\n')[0]);
    expect(header().flags).toBe('--stack-size=900');
    expect(run(file)).toMatchObject({ status: 0, stdout: 'flags' });
    expect(header().flags).toBe('');
  });
});
