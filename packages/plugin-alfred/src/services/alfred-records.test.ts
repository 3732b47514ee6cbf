import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ByteBudget } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { decodeAlfredOutput, decodePayload, parseAlfredOutput, unescapeAlfred } from './alfred-records.js';

const data = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-data/alfred');
const fixture = (name: string) => readFileSync(path.join(data, name), 'utf8');

/** Escapes bytes the way alfred's client.c prints them. */
function alfredLine(mac: string, bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `{ "${mac}", "${out}" },`;
}

describe('alfred -r decoding', () => {
  it.each([158, 159])('decodes the real capture of type %i exactly like alfred-json -z', (type) => {
    const decoded = decodeAlfredOutput(fixture(`alfred-r${type}.txt`));
    expect(decoded.problems).toEqual([]);
    expect(decoded.nodes).toEqual(JSON.parse(fixture(`alfred-json-z-r${type}.json`)));
  });

  it('keeps plain JSON, reports a plain string per node', () => {
    const decoded = decodeAlfredOutput(fixture('alfred-r64.txt'));
    expect(Object.keys(decoded.nodes)).toEqual(['02:ca:fe:00:00:0b']);
    expect(decoded.nodes['02:ca:fe:00:00:0b']).toMatchObject({ hostname: 'gw-test-b' });
    expect(decoded.problems).toEqual([
      {
        mac: '02:ca:fe:00:00:0a',
        message: expect.stringMatching(/^02:ca:fe:00:00:0a: not JSON \(and not gzip\): "hello from A\\n"/),
      },
    ]);
  });

  it('unescapes \\xHH, \\" and \\\\ to the original bytes (alfred -r -d versions too)', () => {
    const bytes = Buffer.from([0, 1, 0x1f, 0x8b, 0x22, 0x5c, 0x41, 0x7f, 0xff, 0x0a]);
    const { records } = parseAlfredOutput(
      `${alfredLine('02:00:00:00:00:01', bytes).replace(' },', ', 3 },')}\n`,
    );
    expect(records).toEqual([{ mac: '02:00:00:00:00:01', data: bytes, version: 3 }]);
    for (const tail of [Buffer.from('\\'), Buffer.from('"'), Buffer.from('", 3 },')]) {
      const edge = Buffer.concat([Buffer.from('x'), tail]);
      expect(parseAlfredOutput(alfredLine('02:00:00:00:00:02', edge)).records[0]?.data).toEqual(edge);
    }
    expect(parseAlfredOutput('{ "02:00:00:00:00:03", "abc\\" },').records).toEqual([]);
    // The data is one escaped backslash: the closing quote is not escaped.
    expect(parseAlfredOutput(alfredLine('02:00:00:00:00:04', Buffer.from('\\'))).records).toEqual([
      { mac: '02:00:00:00:00:04', data: Buffer.from('\\') },
    ]);
    expect(parseAlfredOutput('{ "02:00:00:00:00:03", "caf\u00e9" },').problems).toHaveLength(1);
    expect(unescapeAlfred('\\q')).toBeUndefined();
    expect(unescapeAlfred('\\x4')).toBeUndefined();
  });

  it('reports garbage lines, corrupt gzip and non-object JSON per node and keeps the rest', () => {
    const good = gzipSync(Buffer.from('{"node_id":"020000000001"}'));
    const corrupt = Buffer.concat([good.subarray(0, 12), Buffer.from('garbage')]);
    const text = [
      alfredLine('02:00:00:00:00:01', good),
      'this is not alfred output',
      alfredLine('02:00:00:00:00:02', corrupt),
      alfredLine('02:00:00:00:00:03', gzipSync(Buffer.from('[1,2]'))),
      alfredLine('02:00:00:00:00:04', Buffer.from('42')),
      '{ "02:00:00:00:00:05", "bad \\q escape" },',
      '',
    ].join('\n');
    const decoded = decodeAlfredOutput(text);
    expect(decoded.nodes).toEqual({ '02:00:00:00:00:01': { node_id: '020000000001' } });
    expect(decoded.problems.map((p) => p.message)).toEqual([
      'line 2: not an alfred record: "this is not alfred output"',
      expect.stringMatching(/^line 6: not an alfred record/),
      expect.stringMatching(/^02:00:00:00:00:02: gzip data is corrupt/),
      '02:00:00:00:00:03: JSON is not an object: "[1,2]"',
      '02:00:00:00:00:04: JSON is not an object: "42"',
    ]);
    expect(decoded.problems[1].mac).toBe('02:00:00:00:00:05');
  });

  it('decodes many gzip records at once, and record by record around a bad one', () => {
    const mac = (i: number) =>
      `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
    const record = (i: number) => ({
      node_id: mac(i).replaceAll(':', ''),
      hostname: `n${i}`,
      pad: 'x'.repeat(i % 97),
    });
    const lines = Array.from({ length: 600 }, (_, i) => {
      if (i === 300)
        return alfredLine(
          mac(i),
          Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 0, 0]),
        );
      // Two gzip members in one record (gunzip inflates both): the record is their concatenation.
      if (i === 400) return alfredLine(mac(i), Buffer.concat([gzipSync('{"node_id":'), gzipSync('"x"}')]));
      return alfredLine(mac(i), gzipSync(JSON.stringify(record(i))));
    });
    const decoded = decodeAlfredOutput(lines.join('\n'));
    expect(decoded.problems.map((p) => p.mac)).toEqual([mac(300)]);
    expect(Object.keys(decoded.nodes)).toHaveLength(599);
    expect(decoded.nodes[mac(0)]).toEqual(record(0));
    expect(decoded.nodes[mac(299)]).toEqual(record(299));
    expect(decoded.nodes[mac(400)]).toEqual({ node_id: 'x' });
    expect(decoded.nodes[mac(599)]).toEqual(record(599));
  });

  it('refuses a gzip bomb instead of inflating it', () => {
    const bomb = gzipSync(Buffer.alloc(32 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(65_527);
    expect(() => decodePayload(bomb)).toThrow(
      'gzip data decompresses to more than 256 KiB (alfred.limits.recordBytes)',
    );
  });

  it('takes a line only in exactly the record form: every delimiter checked', () => {
    const mac = '02:00:00:00:00:01';
    const records = (line: string) => parseAlfredOutput(line).records;
    // The shortest record: empty data, 28 bytes.
    expect(records(`{ "${mac}", "" },`)).toEqual([{ mac, data: Buffer.alloc(0) }]);
    expect(records(`{ "${mac}", "ab" },`)).toStrictEqual([{ mac, data: Buffer.from('ab') }]);
    // 27 bytes: the quote of `", "` would pass for the closing one.
    expect(records(`{ "${mac}", " },`)).toEqual([]);
    for (const bad of [
      `x "${mac}", "ab" },`,
      `{x"${mac}", "ab" },`,
      `{ x${mac}", "ab" },`,
      `{ "${mac}x, "ab" },`,
      `{ "${mac}",x"ab" },`,
      `{ "${mac}", x"ab" },`,
      `{ "${mac}", "ab"x},`,
      `{ "${mac}", "ab" }x`,
      `{ "${mac}", "ab" x,`,
      `{ "02:00:00:00:00:0G", "ab" },`,
      `{ "02:00:00:00:00:0A", "ab" },`,
      `{ "02-00-00-00-00-01", "ab" },`,
      `{ "${mac}", "" }`,
    ])
      expect(records(bad), bad).toEqual([]);
  });

  it('reads the -d version: digits only, after `", `', () => {
    const mac = '02:00:00:00:00:01';
    const records = (line: string) => parseAlfredOutput(line).records;
    expect(records(`{ "${mac}", "ab", 0 },`)).toEqual([{ mac, data: Buffer.from('ab'), version: 0 }]);
    expect(records(`{ "${mac}", "ab", 9 },`)).toEqual([{ mac, data: Buffer.from('ab'), version: 9 }]);
    expect(records(`{ "${mac}", "", 12 },`)).toEqual([{ mac, data: Buffer.alloc(0), version: 12 }]);
    for (const bad of [
      `{ "${mac}", "ab", / },`,
      `{ "${mac}", "ab", : },`,
      `{ "${mac}", "ab",  },`,
      `{ "${mac}", "ab",3 },`,
      `{ "${mac}", "ab" 3 },`,
      `{ "${mac}", "ab, 3 },`,
      `{ "${mac}", "ab\\", 3 },`,
    ])
      expect(records(bad), bad).toEqual([]);
  });

  it('reports bad lines with their number, MAC (from the start only) and a bounded preview', () => {
    const mac = '02:00:00:00:00:05';
    const line58 = 'y'.repeat(58);
    const line59 = 'y'.repeat(59);
    const { records, problems } = parseAlfredOutput(
      [`{ "${mac}", bad },`, `x{ "${mac}", bad },`, '   \r', line58, line59, ''].join('\n'),
    );
    expect(records).toEqual([]);
    expect(problems).toEqual([
      { mac, message: `line 1: not an alfred record: ${JSON.stringify(`{ "${mac}", bad },`)}` },
      { mac: undefined, message: `line 2: not an alfred record: ${JSON.stringify(`x{ "${mac}", bad },`)}` },
      { mac: undefined, message: `line 4: not an alfred record: "${line58}"` },
      { mac: undefined, message: `line 5: not an alfred record: "${'y'.repeat(56)}...` },
    ]);
  });

  it('a non-ASCII character is never read as a quote or backslash', () => {
    // U+0122 and U+0141 become `"` and `A` when cut to one byte (latin1).
    const { records, problems } = parseAlfredOutput('{ "02:00:00:00:00:01", "{}\u0122 },\n');
    expect(records).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(unescapeAlfred('\u0141')).toBeUndefined();
    expect(unescapeAlfred('ok\u0141')).toBeUndefined();
    expect(unescapeAlfred('\u0141ok')).toBeUndefined();
    expect(unescapeAlfred('\\x41\\"\\\\')).toEqual(Buffer.from('A"\\'));
    expect(unescapeAlfred('\\xg1')).toBeUndefined();
    expect(unescapeAlfred('\\x1g')).toBeUndefined();
    expect(unescapeAlfred('a\\')).toBeUndefined();
    expect(unescapeAlfred('a"')).toBeUndefined();
    expect(unescapeAlfred('')).toEqual(Buffer.alloc(0));
  });

  it('plain records: up to recordBytes, an object only; gzip only with both magic bytes', () => {
    const plain = Buffer.from('{"a":1}');
    expect(decodePayload(plain, { recordBytes: 7 })).toEqual({ a: 1 });
    expect(() => decodePayload(plain, { recordBytes: 6 })).toThrow(
      new Error('record is larger than 6 bytes (alfred.limits.recordBytes)'),
    );
    expect(() => decodePayload(Buffer.from('\u001f{}'))).toThrow(
      new Error('not JSON (and not gzip): "\\u001f{}"'),
    );
    expect(() => decodePayload(Buffer.from([0x1f, 0x8b, 0x00]))).toThrow(/^gzip data is corrupt/);
    for (const [text, shown] of [
      ['null', '"null"'],
      ['"x"', '"\\"x\\""'],
      ['true', '"true"'],
    ])
      expect(() => decodePayload(Buffer.from(text))).toThrow(new Error(`JSON is not an object: ${shown}`));
    const nested = (depth: number) => `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;
    expect(decodePayload(Buffer.from(nested(64)))).toBeTypeOf('object');
    expect(() => decodePayload(Buffer.from(nested(65)))).toThrow(
      new Error('JSON nested deeper than 64 levels'),
    );
  });

  it('the run budget counts every decoded record, and its message names the setting', () => {
    const budget = new ByteBudget(14, 'decompressed records');
    const text = [
      alfredLine('02:00:00:00:00:01', Buffer.from('{"a":1}')),
      alfredLine('02:00:00:00:00:02', gzipSync('{"b":2}')),
      alfredLine('02:00:00:00:00:03', gzipSync('{"c":3}')),
      alfredLine('02:00:00:00:00:04', Buffer.from('{}')),
    ].join('\n');
    expect(decodeAlfredOutput(text, { recordBytes: 1024, budget })).toEqual({
      nodes: { '02:00:00:00:00:01': { a: 1 }, '02:00:00:00:00:02': { b: 2 } },
      problems: [
        {
          mac: '02:00:00:00:00:03',
          message:
            '02:00:00:00:00:03: decompressed records: over the budget of 14 bytes per run (alfred.limits.runBytes)',
        },
        {
          mac: '02:00:00:00:00:04',
          message:
            '02:00:00:00:00:04: decompressed records: over the budget of 14 bytes per run (alfred.limits.runBytes)',
        },
      ],
    });
  });

  it('a gzip record over recordBytes is refused among others; a lying size costs only its record', () => {
    const big = gzipSync(JSON.stringify({ pad: 'x'.repeat(200) }));
    const small = (n: number) => gzipSync(JSON.stringify({ n }));
    const decoded = decodeAlfredOutput(
      [small(1), big, small(3)].map((data, i) => alfredLine(`02:00:00:00:00:0${i + 1}`, data)).join('\n'),
      { recordBytes: 100 },
    );
    expect(decoded).toEqual({
      nodes: { '02:00:00:00:00:01': { n: 1 }, '02:00:00:00:00:03': { n: 3 } },
      problems: [
        {
          mac: '02:00:00:00:00:02',
          message:
            '02:00:00:00:00:02: gzip data decompresses to more than 100 bytes (alfred.limits.recordBytes)',
        },
      ],
    });
    // ISIZE (the last 4 bytes) one larger, then one smaller than the truth.
    for (const delta of [1, -1]) {
      const lying = Buffer.from(small(1));
      lying.writeUInt32LE(lying.readUInt32LE(lying.length - 4) + delta, lying.length - 4);
      const result = decodeAlfredOutput(
        [lying, small(2), small(3)].map((data, i) => alfredLine(`02:00:00:00:00:0${i + 1}`, data)).join('\n'),
      );
      expect(result.nodes, String(delta)).toEqual({
        '02:00:00:00:00:02': { n: 2 },
        '02:00:00:00:00:03': { n: 3 },
      });
      expect(result.problems.map((p) => p.mac)).toEqual(['02:00:00:00:00:01']);
    }
  });
});
