import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseYamlDocument } from '@ffphoton/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TEST_DATA } from '../test-helpers/reference-args.js';
import { syntheticCommunity } from '../test-helpers/synthetic-meta.js';
import { parseSimpleYaml } from './simple-yaml.js';

/** The full parser's reading, as the meta reader uses it; undefined when it reports an error. */
function full(text: string): unknown {
  const doc = parseYamlDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) return undefined;
  try {
    return doc.toJS({ mapAsMap: true, maxAliasCount: 0 });
  } catch {
    return undefined;
  }
}

/** The contract: the fast path either declines or returns exactly what the full parser returns. */
function expectSameOrDeclined(text: string): boolean {
  const fast = parseSimpleYaml(text);
  if (fast === undefined) return false;
  const reference = full(text);
  expect(reference, `full parser rejected what the fast path accepted:\n${text}`).toBeDefined();
  expect(fast, text).toEqual(reference);
  return true;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

/** The cases below that the fast path takes itself (the rest it leaves to the full parser). */
const TAKEN = [
  'quoted leading zero',
  'comment after value',
  'empty flow collections',
  'empty value',
  'sequence at key indentation',
  'colon in value',
  'single quotes',
  'numeric keys',
  'IPv6 value',
  'indented comment lines',
  'nested mapping',
  'key of dots, slashes and plus signs',
  'trailing blanks and blank lines',
  'a 1000-character key',
  'a 15-digit integer',
  'an empty quoted string',
  'a comment before the first key',
];

describe('fast path YAML reader', () => {
  const fixtures = ['meta', 'meta-linklocal', 'meta-invalid'].flatMap((d) =>
    filesUnder(path.join(TEST_DATA, d)),
  );

  it.each(fixtures.map((f) => [path.relative(TEST_DATA, f), f]))(
    '%s: same result as the full parser',
    (_, file) => {
      expectSameOrDeclined(readFileSync(file, 'utf8'));
    },
  );

  it('takes the usual layout (block style, quotes, comments, sequences at key indentation) itself', () => {
    const block = readdirSync(path.join(TEST_DATA, 'meta'))
      .filter((n) => !n.startsWith('.') && !n.startsWith('README') && n !== 'oscar')
      .map((n) => readFileSync(path.join(TEST_DATA, 'meta', n), 'utf8'));
    expect(block.length).toBe(14);
    expect(block.filter((text) => expectSameOrDeclined(text))).toHaveLength(block.length);
    // oscar is written in flow style: left to the full parser.
    expect(parseSimpleYaml(readFileSync(path.join(TEST_DATA, 'meta', 'oscar'), 'utf8'))).toBeUndefined();
  });

  it('takes every generated community and gives the full parser’s result', () => {
    for (const i of [1, 2, 255, 256, 4095, 9999, 65535])
      expect(expectSameOrDeclined(syntheticCommunity(i))).toBe(true);
  });

  const CASES: [string, string][] = [
    ['leading-zero number', 'a: 0821\n'],
    ['quoted leading zero', 'a: "0821"\n'],
    ['float', 'a: 1.5\n'],
    ['exponent', 'a: 1e3\n'],
    ['hex', 'a: 0x1F\n'],
    ['octal', 'a: 0o17\n'],
    ['infinity', 'a: .inf\n'],
    ['boolean', 'a: true\n'],
    ['null word', 'a: null\n'],
    ['tilde', 'a: ~\n'],
    ['big integer', 'a: 99999999999999999999\n'],
    ['negative', 'a: -5\n'],
    ['comment after value', 'a: b # c\n'],
    ['hash inside scalar', 'a: b#c\n'],
    ['tab indentation', 'a:\n\t- b\n'],
    ['CRLF', 'a: b\r\nc: d\r\n'],
    ['document marker', '---\na: b\n'],
    ['anchor', 'a: &x b\nc: *x\n'],
    ['tag', 'a: !!str 5\n'],
    ['multi-line plain scalar', 'a: b\n  c\n'],
    ['duplicate key', 'a: 1\na: 2\n'],
    ['map in sequence', 'a:\n  - b: c\n'],
    ['nested sequence', 'a:\n  - - b\n'],
    ['flow sequence', 'a: [b, c]\n'],
    ['empty flow collections', 'a: []\nb: {}\n'],
    ['empty value', 'a:\nb: c\n'],
    ['sequence at key indentation', 'a:\n- b\n- c\nd: e\n'],
    ['bad dedent', 'a:\n    b: c\n  d: e\n'],
    ['top-level sequence', '- a\n- b\n'],
    ['scalar document', 'just text\n'],
    ['empty document', ''],
    ['comment only', '# nothing\n'],
    ['colon in value', 'a: b:c\n'],
    ['key ending value', 'a: b:\n'],
    ['escaped quote', 'a: "b\\"c"\n'],
    ['single quotes', "a: 'b c'\n"],
    ['non-ASCII', 'a: bäh\n'],
    ['numeric keys', 'delegate:\n  65001:\n    - 10.1.0.0/24\n'],
    ['IPv6 value', 'ipv6: fec0::a:cf:1:1\n'],
    ['long key', `${'k'.repeat(1100)}: v\n`],
    ['long key, nested', `a:\n  ${'k'.repeat(1030)}: v\n`],
    ['indented comment lines', 'a:\n  # x\n  b: c\n    # y\nd: e\n'],
    ['nested mapping', 'a:\n  b: c\n  d:\n    - e\n    - "f"\ng: h\n'],
    ['key of dots, slashes and plus signs', 'a.b/c+d: v\n'],
    ['trailing blanks and blank lines', 'a: b   \n\n   \nc:   \n  - d  \n'],
    ['a 1000-character key', `${'k'.repeat(1000)}: v\n`],
    ['a 1002-character key', `${'k'.repeat(1002)}: v\n`],
    ['a sequence item without a value', 'a:\n  -\n'],
    ['a sequence item without a blank', 'a:\n  -b\n'],
    ['key without a blank before the value', 'a:b\n'],
    ['first line indented', '  a: b\n'],
    ['a 15-digit integer', 'a: 123456789012345\n'],
    ['a 16-digit integer', 'a: 1234567890123456\n'],
    ['an empty quoted string', 'a: ""\nb: \'\'\n'],
    ['a comment before the first key', '# c\n\na: b\n'],
    ['line without a colon', 'a: b\nc\n'],
  ];

  it.each(CASES)('%s: declines or agrees', (_, text) => {
    expectSameOrDeclined(text);
  });

  it('takes exactly the simple layouts among them, the others go to the full parser', () => {
    const taken = CASES.filter(([, text]) => expectSameOrDeclined(text)).map(([name]) => name);
    expect(taken).toEqual(TAKEN);
  });

  const scalar = fc.constantFrom(
    'a',
    'b-c',
    '10.1.0.0/16',
    'fec0::a:cf:1:1',
    '1.10.in-addr.arpa.',
    'noc@c1.example.org',
    '0821',
    '"0821"',
    "'x y'",
    '12',
    '0',
    '4200000001',
    '-1',
    '1.5',
    'true',
    'null',
    '~',
    '[]',
    '{}',
    '[a]',
    '&a x',
    '*a',
    'a#b',
    'a # c',
    'x:',
    '"a\\tb"',
    '.inf',
    '1e3',
    'a b',
  );
  const key = fc.constantFrom('asn', 'bgp', 'x-a', 'tech-c', '65001', 'a', 'b', '"q"', 'true', '1.0', '? k');

  it('agrees with the full parser on random block documents (indentation, comments, tricky scalars)', () => {
    type Tree = { map: [string, Tree][] } | { seq: string[] } | { scalar: string } | { empty: true };
    const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar.map((v) => ({ scalar: v })),
        fc.array(scalar, { minLength: 1, maxLength: 4 }).map((seq) => ({ seq })),
        fc.constant({ empty: true as const }),
        fc.array(fc.tuple(key, tie('tree')), { minLength: 1, maxLength: 4 }).map((map) => ({ map })),
      ),
    }));
    const style = fc.record({
      step: fc.constantFrom(1, 2, 4),
      seqAtKeyIndent: fc.boolean(),
      comment: fc.constantFrom('', ' # note', '  #x'),
      blank: fc.boolean(),
    });
    function render(
      map: [string, Tree][],
      indent: number,
      s: { step: number; seqAtKeyIndent: boolean; comment: string; blank: boolean },
    ): string[] {
      const pad = ' '.repeat(indent);
      return map.flatMap(([k, v]) => {
        const head = `${pad}${k}:`;
        const lines = (() => {
          if ('scalar' in v) return [`${head} ${v.scalar}${s.comment}`];
          if ('empty' in v) return [head];
          if ('seq' in v) {
            const inner = ' '.repeat(s.seqAtKeyIndent ? indent : indent + s.step);
            return [head, ...v.seq.map((x) => `${inner}- ${x}`)];
          }
          return [head, ...render(v.map, indent + s.step, s)];
        })();
        return s.blank ? [...lines, ''] : lines;
      });
    }
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(key, tree), { minLength: 1, maxLength: 6 }), style, (map, s) => {
        if (expectSameOrDeclined(`${render(map, 0, s).join('\n')}\n`)) accepted++;
      }),
      { numRuns: 2000 },
    );
    // The generator must exercise the accepting side too, or the property proves little.
    expect(accepted).toBeGreaterThan(100);
  });

  it('agrees with the full parser on random line soup', () => {
    const line = fc.oneof(
      fc
        .tuple(fc.nat(6), key, fc.option(scalar, { nil: undefined }))
        .map(([i, k, v]) => `${' '.repeat(i)}${k}:${v === undefined ? '' : ` ${v}`}`),
      fc.tuple(fc.nat(6), scalar).map(([i, v]) => `${' '.repeat(i)}- ${v}`),
      fc
        .tuple(fc.nat(6), fc.constantFrom('# c', '', '-', '---', '\t- a', '  '))
        .map(([i, t]) => `${' '.repeat(i)}${t}`),
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), (lines) => {
        expectSameOrDeclined(`${lines.join('\n')}\n`);
      }),
      { numRuns: 3000 },
    );
  });
});
