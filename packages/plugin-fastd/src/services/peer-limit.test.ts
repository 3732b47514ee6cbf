import { describe, expect, it } from 'vitest';
import { PeerLimitCalculator } from './peer-limit-calculator.js';
import { findPeerLimitStatements, replacePeerLimit } from './peer-limit-statement.js';
import { judgeRemoteStatus, type RemoteGatewayStatus } from './remote-status-fetcher.js';

const now = new Date('2026-01-01T12:00:00Z');
const epoch = now.getTime() / 1000;
const fresh = (gateway: string, data: Record<string, unknown>): RemoteGatewayStatus => ({
  gateway,
  url: '',
  state: 'fresh',
  data,
});

describe('PeerLimitCalculator', () => {
  it('floors the average and adds (1 + offline) × additional', () => {
    const calc = new PeerLimitCalculator(4, 8, 1000);
    const remotes = [fresh('b', { mz: { peers: 20 } }), fresh('c', { mz: { peers: 11 } })];
    // own 10 + 20 + 11 = 41 over 3 online → 13; one of 4 offline → (1 + 1) × 8 = 16
    expect(calc.compute('mz', 10, remotes)).toEqual({
      instance: 'mz',
      total: 41,
      online: 3,
      offline: 1,
      average: 13,
      gauge: 16,
      limit: 29,
    });
  });

  it('counts a gateway without a valid count for the instance as offline; 0 peers is online', () => {
    const calc = new PeerLimitCalculator(4, 8, 1000);
    const remotes: RemoteGatewayStatus[] = [
      fresh('b', { mz: { peers: 0 } }),
      fresh('c', { wi: { peers: 5 }, mz: { peers: -3 } }),
      { gateway: 'd', url: '', state: 'stale' },
    ];
    expect(calc.compute('mz', 6, remotes)).toMatchObject({
      total: 6,
      online: 2,
      offline: 2,
      average: 3,
      limit: 3 + 24,
    });
  });

  it('refuses remote counts beyond the ceiling or not integers (1e300 passes Number.isInteger)', () => {
    const calc = new PeerLimitCalculator(7, 8, 1000);
    const remotes = [3_000_000_000, 1e300, -1, 7.5, 1001, '5', 1000].map((peers, i) =>
      fresh(`g${i}`, { mz: { peers } }),
    );
    // Only g6 (1000) counts: own 0 + 1000 over 2 online, 5 offline.
    expect(calc.compute('mz', 0, remotes)).toMatchObject({
      total: 1000,
      online: 2,
      offline: 5,
      limit: 500 + 48,
    });
  });

  it('returns undefined when no gateway is online', () => {
    expect(
      new PeerLimitCalculator(2, 8, 1000).compute('mz', undefined, [
        { gateway: 'b', url: '', state: 'unreachable' },
      ]),
    ).toBe(undefined);
  });
});

describe('judgeRemoteStatus', () => {
  it('accepts a fresh object', () => {
    expect(
      judgeRemoteStatus(JSON.stringify({ mz: { peers: 1 }, _timestamp: epoch - 60 }), now, 900),
    ).toMatchObject({
      state: 'fresh',
      ageSeconds: 60,
    });
  });

  it.each([
    ['not JSON', '{"mz": ', 'invalid'],
    ['an array', '[1,2]', 'invalid'],
    ['a string', '"x"', 'invalid'],
    ['no _timestamp', '{"mz": {"peers": 1}}', 'invalid'],
    ['a string _timestamp', '{"_timestamp": "1700000000"}', 'invalid'],
    ['a negative _timestamp', '{"_timestamp": -5}', 'invalid'],
    ['a future _timestamp', JSON.stringify({ _timestamp: epoch + 30 }), 'invalid'],
    ['a stale _timestamp', JSON.stringify({ _timestamp: epoch - 901 }), 'stale'],
  ])('rejects %s', (_what, text, state) => {
    const judged = judgeRemoteStatus(text, now, 900);
    expect(judged.state).toBe(state);
    expect(judged.reason).toBeTruthy();
    expect(judged.data).toBeUndefined();
  });
});

describe('peer limit statement', () => {
  const config = [
    '# peer limit 5; in a comment',
    'interface "peer limit 6;";',
    '#    pe#er limit 123; # the technik-meta defuse trick',
    '/* peer limit 7; */',
    'peer limit 200;  # the live one',
    '',
  ].join('\n');

  it('finds only the active statement (comments and strings are ignored)', () => {
    const found = findPeerLimitStatements(config);
    expect(found.map((s) => s.value)).toEqual([200]);
  });

  it('rewrites only that statement and keeps every other byte', () => {
    const [statement] = findPeerLimitStatements(config);
    const next = replacePeerLimit(config, statement, 42);
    expect(next).toBe(config.replace('peer limit 200;', 'peer limit 42;'));
    expect(next).toContain('# peer limit 5; in a comment');
  });

  it('finds a statement inside a peer group and without a final newline', () => {
    expect(findPeerLimitStatements('peer group "x" {\n  peer   limit 10 ;\n}').map((s) => s.value)).toEqual([
      10,
    ]);
    expect(findPeerLimitStatements('peer limit 3;').map((s) => s.value)).toEqual([3]);
    expect(findPeerLimitStatements('# peer limit 3;')).toEqual([]);
  });

  it('finds a statement fastd refuses (left by an old version) so it can be repaired', () => {
    for (const value of ['7.5e+299', '-1', '2147483648', '99999999999', '1.5'])
      expect(findPeerLimitStatements(`peer limit ${value};\n`)).toEqual([
        { value: undefined, start: 0, end: 12 + value.length },
      ]);
    expect(findPeerLimitStatements('peer limit 2147483647;').map((s) => s.value)).toEqual([2147483647]);
    const [bad] = findPeerLimitStatements('a;\npeer limit 7.5e+299;\nb;\n');
    expect(replacePeerLimit('a;\npeer limit 7.5e+299;\nb;\n', bad, 40)).toBe('a;\npeer limit 40;\nb;\n');
  });
});
