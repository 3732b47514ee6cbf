import { describe, expect, it } from 'vitest';
import { compareCodePoints, formatProblem, quote } from './community.js';

describe('problem lines', () => {
  it('quote: strings and values as JSON, so control characters and quotes cannot forge a log line', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect([
      quote('a"b\nc'),
      quote(42),
      quote(null),
      quote(undefined),
      quote([1, 'x']),
      quote(new Map([[1, 2]])),
      quote(() => 1),
      quote(Symbol('s')),
      quote(10n),
      quote(cyclic),
    ]).toEqual([
      '"a\\"b\\nc"',
      '42',
      'null',
      'undefined',
      '[1,"x"]',
      '{}',
      '() => 1',
      'Symbol(s)',
      '10',
      '[object Object]',
    ]);
  });

  it('formatProblem: what an error leaves out, narrowed to its part; warnings leave nothing out', () => {
    const base = { community: 'c"1', key: 'k', message: 'm' };
    expect([
      formatProblem({ ...base, severity: 'error', leftOut: ['bgp', 'roa', 'dns'] }),
      formatProblem({ ...base, severity: 'error', leftOut: ['bgp', 'roa', 'dns'], part: 'peer x' }),
      formatProblem({ ...base, severity: 'error', leftOut: ['bgp', 'roa'] }),
      formatProblem({ ...base, severity: 'error', leftOut: ['dns'], part: 'the dnsmasq entries' }),
      formatProblem({ ...base, severity: 'error' }),
      formatProblem({ ...base, severity: 'warning', leftOut: ['dns'] }),
    ]).toEqual([
      '"c\\"1": k: m; left out of every output',
      '"c\\"1": k: m; peer x left out of bgp, roa, dns',
      '"c\\"1": k: m; left out of bgp, roa',
      '"c\\"1": k: m; the dnsmasq entries left out of dns',
      '"c\\"1": k: m',
      '"c\\"1": k: m',
    ]);
  });

  it('compareCodePoints: UTF-16 order within the BMP, code point order beyond it, 0 for equal', () => {
    expect([compareCodePoints('a', 'b'), compareCodePoints('b', 'a'), compareCodePoints('a', 'a')]).toEqual([
      -1, 1, 0,
    ]);
    expect(Math.sign(compareCodePoints('\u{1F600}', '\uFFFD'))).toBe(1);
    expect(Math.sign(compareCodePoints('\uFFFD', '\u{1F600}'))).toBe(-1);
    expect(compareCodePoints('\u{1F600}', '\u{1F600}')).toBe(0);
  });
});
