import { describe, expect, it } from 'vitest';
import { PeerLimitCalculator, remotePeerCount, remotePeers } from './peer-limit-calculator.js';
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

describe('remotePeerCount', () => {
  it.each([
    ['a count', { mz: { peers: 7 } }, { peers: 7 }],
    ['zero', { mz: { peers: 0 } }, { peers: 0 }],
    ['the ceiling', { mz: { peers: 1000 } }, { peers: 1000 }],
    [
      'one over the ceiling',
      { mz: { peers: 1001 } },
      { refused: 'peers 1001 is not a peer count from 0 to 1000' },
    ],
    ['a negative count', { mz: { peers: -1 } }, { refused: 'peers -1 is not a peer count from 0 to 1000' }],
    ['a fraction', { mz: { peers: 0.5 } }, { refused: 'peers 0.5 is not a peer count from 0 to 1000' }],
    ['a string', { mz: { peers: '5' } }, { refused: 'peers "5" is not a peer count from 0 to 1000' }],
    ['null peers', { mz: { peers: null } }, { refused: 'peers null is not a peer count from 0 to 1000' }],
    ['no peers key', { mz: { uptime: 5 } }, undefined],
    ['no entry', { wi: { peers: 5 } }, undefined],
    ['a null entry', { mz: null }, undefined],
    ['a number entry', { mz: 5 }, undefined],
    ['a string entry', { mz: 'peers' }, undefined],
  ])('%s', (_what, data, expected) => {
    expect(remotePeerCount(fresh('b', data), 'mz', 1000)).toEqual(expected);
    expect(remotePeers(fresh('b', data), 'mz', 1000)).toBe(
      expected && 'peers' in expected ? expected.peers : undefined,
    );
  });

  it('reads nothing from a gateway whose data is not fresh, whatever it holds', () => {
    for (const state of ['stale', 'invalid', 'unreachable'] as const) {
      const remote: RemoteGatewayStatus = { gateway: 'b', url: '', state, data: { mz: { peers: 5 } } };
      expect(remotePeerCount(remote, 'mz', 1000)).toBeUndefined();
    }
    expect(remotePeerCount({ gateway: 'b', url: '', state: 'fresh' }, 'mz', 1000)).toBeUndefined();
  });
});

describe('PeerLimitCalculator, whole results', () => {
  it('counts this gateway alone when no other is online, and floors an odd average', () => {
    expect(new PeerLimitCalculator(3, 5, 1000).compute('mz', 7, [])).toEqual({
      instance: 'mz',
      total: 7,
      online: 1,
      offline: 2,
      average: 7,
      gauge: 15,
      limit: 22,
    });
    // This gateway without a count of its own: the remotes decide.
    expect(
      new PeerLimitCalculator(3, 2, 1000).compute('mz', undefined, [
        fresh('b', { mz: { peers: 4 } }),
        fresh('c', { mz: { peers: 5 } }),
      ]),
    ).toEqual({ instance: 'mz', total: 9, online: 2, offline: 1, average: 4, gauge: 4, limit: 8 });
  });
});

describe('peer limit statement offsets', () => {
  it('needs a word boundary before "peer" and finds every active statement with its offsets', () => {
    expect(findPeerLimitStatements('xpeer limit 5;\npeer_limit 5;\npeer limit5;')).toEqual([]);
    const text = 'a;\npeer limit 5 ;\n"peer limit 6;" peer\tlimit\n7;';
    expect(findPeerLimitStatements(text)).toEqual([
      { value: 5, start: 3, end: 17 },
      { value: 7, start: 34, end: 47 },
    ]);
    expect(text.slice(34, 47)).toBe('peer\tlimit\n7;');
    expect(findPeerLimitStatements('peer limit ;')).toEqual([{ value: undefined, start: 0, end: 12 }]);
    expect(findPeerLimitStatements('peer limit "5";')).toEqual([]);
    expect(findPeerLimitStatements('peer limit 0;')).toEqual([{ value: 0, start: 0, end: 13 }]);
    expect(findPeerLimitStatements('peer limit \t 9  ;')).toEqual([{ value: 9, start: 0, end: 17 }]);
    expect(findPeerLimitStatements('peer limit 0010;')).toEqual([{ value: 10, start: 0, end: 16 }]);
    expect(findPeerLimitStatements('peer limit x5;')).toEqual([{ value: undefined, start: 0, end: 14 }]);
    expect(findPeerLimitStatements('peer limit 5x;')).toEqual([{ value: undefined, start: 0, end: 14 }]);
  });

  it('replaces the statement at its offsets only', () => {
    const text = 'peer limit 1; peer limit 2;';
    const [, second] = findPeerLimitStatements(text);
    expect(replacePeerLimit(text, second, 30)).toBe('peer limit 1; peer limit 30;');
  });
});
