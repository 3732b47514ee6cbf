import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { INPUT_LIMITS } from '../input/limits.js';
import { parseSimpleYaml, type YamlMappings } from './simple-yaml.js';

/** The full parser's reading, as readYaml uses it; undefined when it reports an error. */
function full(text: string, mappings: YamlMappings): unknown {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) return undefined;
  try {
    return doc.toJS({ mapAsMap: mappings === 'maps', maxAliasCount: 0 });
  } catch {
    return undefined;
  }
}

/**
 * The contract: the fast path either declines or returns exactly what the full parser returns,
 * as Maps and as plain objects (objects are compared with their prototypes and key order).
 */
function expectSameOrDeclined(text: string): boolean {
  const fast = parseSimpleYaml(text, 'maps');
  const asObjects = parseSimpleYaml(text, 'objects');
  if (fast === undefined) {
    expect(asObjects, text).toBeUndefined();
    return false;
  }
  const reference = full(text, 'maps');
  expect(reference, `full parser rejected what the fast path accepted:\n${text}`).toBeDefined();
  expect(fast, text).toEqual(reference);
  if (asObjects !== undefined) {
    const objects = full(text, 'objects');
    expect(asObjects, text).toStrictEqual(objects);
    expect(JSON.stringify(asObjects), text).toBe(JSON.stringify(objects));
  }
  return true;
}

/** A community file of icvpn-meta in its usual layout (block style, quotes, comments, sequences at key indentation). */
const COMMUNITY = `# Charlie's community
tech-c:
- charlie-sandbox@example.org
asn: 65003
networks:
  ipv4:
    - 10.3.0.0/16
  ipv6:
    - fd03:c5b0:3::/48
bgp:
  charlie_sb1:
    ipv4: 10.207.3.1
    ipv6: fec0::a:cf:3:1   # the transfer address
domains:
  - ffcs
  - 3.10.in-addr.arpa
nameservers:
  - "10.3.0.53"
delegate:
  65001:
    - 10.1.0.0/24
`;

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
  it('takes a community file in the usual layout itself, with each key of its type', () => {
    expect(expectSameOrDeclined(COMMUNITY)).toBe(true);
    const data = parseSimpleYaml(COMMUNITY, 'maps') as Map<unknown, Map<unknown, unknown>>;
    expect([...data.keys()]).toEqual([
      'tech-c',
      'asn',
      'networks',
      'bgp',
      'domains',
      'nameservers',
      'delegate',
    ]);
    expect([...data.get('delegate')!.keys()]).toEqual([65001]);
    // The same file in flow style is the full parser's.
    expect(parseSimpleYaml('{asn: 65003, domains: [ffcs]}\n', 'maps')).toBeUndefined();
  });

  it('as objects: declines where two keys would become one or a key would set the prototype', () => {
    expect(parseSimpleYaml('1: a\n"1": b\n', 'objects')).toBeUndefined();
    expect(parseSimpleYaml('__proto__: a\n', 'objects')).toBeUndefined();
    expect(parseSimpleYaml('__proto__: a\n', 'maps')).toEqual(new Map([['__proto__', 'a']]));
    expect(parseSimpleYaml('a:\n  1: b\n  c: {}\n', 'objects')).toStrictEqual({ a: { 1: 'b', c: {} } });
  });

  it(`takes documents within the depth limit (${INPUT_LIMITS.maxDepth} levels), declines deeper ones`, () => {
    // `levels` mappings, the innermost holding a sequence: levels + 1 levels of collections.
    const nested = (levels: number) =>
      `${Array.from({ length: levels }, (_, i) => `${' '.repeat(i)}k:`).join('\n')}\n${' '.repeat(levels)}- v\n`;
    expect(expectSameOrDeclined(nested(INPUT_LIMITS.maxDepth - 1))).toBe(true);
    expect(parseSimpleYaml(nested(INPUT_LIMITS.maxDepth), 'maps')).toBeUndefined();
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
