import dgram from 'node:dgram';
import { inflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { alfredSettings, type MeshSettings, meshSchema } from '../settings.js';
import { NodeDataCache } from './respondd-cache.js';
import { encodeResponddAnswer } from './respondd-protocol.js';
import { interfacesOf, prefix64, type ResponddData, ResponddResponder } from './respondd-responder.js';

const cfg = alfredSettings.schema.parse({}).respondd;
const mesh = (name: string, extra: Partial<MeshSettings> = {}) => meshSchema.parse({ name, ...extra });
const dataOf = (hostname: string, id: string): ResponddData => ({
  nodeinfo: { node_id: id, hostname, network: { addresses: [`fd${id.slice(-2)}::1`] } },
  statistics: { node_id: id, uptime: 5 },
  neighbours: { node_id: id, batadv: {} },
});

/** Sends `request` from a fresh socket and returns the answer, or undefined after `waitMs`. */
async function ask(port: number, request: string | Buffer, waitMs = 300): Promise<Buffer | undefined> {
  const socket = dgram.createSocket('udp6');
  await new Promise<void>((resolve) => socket.bind(0, '::1', resolve));
  try {
    return await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), waitMs);
      socket.once('message', (msg) => {
        clearTimeout(timer);
        resolve(msg);
      });
      socket.send(request, port, '::1');
    });
  } finally {
    socket.close();
  }
}

describe('respondd responder on loopback (unicast)', () => {
  let responder: ResponddResponder | undefined;
  afterEach(async () => {
    await responder?.stop();
    responder = undefined;
  });

  const start = async (settings = cfg, collect = async () => dataOf('gw <b>"1"</b>', '02cafe00ff0a')) => {
    let collections = 0;
    const cache = new NodeDataCache(async () => {
      collections += 1;
      return collect();
    }, 60_000);
    responder = new ResponddResponder([mesh('mz')], settings, cache);
    const { port } = await responder.start({ address: '::1', port: 0 });
    return { port, collections: () => collections };
  };

  it('answers GET with raw deflate JSON and a single word with plain JSON', async () => {
    const { port, collections } = await start();
    const multi = await ask(port, 'GET nodeinfo statistics neighbours');
    const answer = JSON.parse(inflateRawSync(multi!).toString());
    expect(answer.nodeinfo).toMatchObject({ node_id: '02cafe00ff0a', hostname: 'gw <b>"1"</b>' });
    expect(answer.statistics).toEqual({ node_id: '02cafe00ff0a', uptime: 5 });
    expect(answer.neighbours).toEqual({ node_id: '02cafe00ff0a', batadv: {} });
    // The hostile host name travels escaped: no raw markup in the datagram.
    expect(inflateRawSync(multi!).toString()).not.toMatch(/[<>]/);
    const single = await ask(port, 'nodeinfo\n');
    expect(JSON.parse(single!.toString())).toMatchObject({ node_id: '02cafe00ff0a' });
    expect(collections()).toBe(1); // cached: two requests, one collection
    expect(responder!.counts).toMatchObject({ requests: 2, answered: 2, malformed: 0 });
  });

  it('gives malformed and oversized requests no answer, and they change nothing', async () => {
    const { port, collections } = await start();
    for (const bad of [
      'GET wifi',
      'x',
      Buffer.alloc(300, 0x41),
      Buffer.from([0, 1, 2, 255]),
      `GET ${'nodeinfo '.repeat(30)}`,
    ])
      expect(await ask(port, bad, 150)).toBeUndefined();
    expect(collections()).toBe(0);
    expect(responder!.counts).toMatchObject({ requests: 5, answered: 0, malformed: 5 });
    // Still serving.
    expect(await ask(port, 'GET nodeinfo')).toBeDefined();
  });

  it('does not send an answer over maxAnswerBytes', async () => {
    const { port } = await start({ ...cfg, maxAnswerBytes: 512 }, async () => ({
      ...dataOf('gw', '02cafe00ff0a'),
      nodeinfo: {
        node_id: '02cafe00ff0a',
        junk: Array.from({ length: 400 }, (_, i) => `${i}-${Math.random()}`),
      },
    }));
    expect(await ask(port, 'GET nodeinfo', 200)).toBeUndefined();
    expect(responder!.counts).toMatchObject({ answered: 0, unanswerable: 1 });
  });

  it('listens on an IPv4 address too (--address 127.0.0.1)', async () => {
    responder = new ResponddResponder(
      [mesh('mz')],
      cfg,
      new NodeDataCache(async () => dataOf('gw4', '02cafe00ff0b'), 1),
    );
    const { port } = await responder.start({ address: '127.0.0.1', port: 0 });
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const answer = await new Promise<Buffer>((resolve) => {
      socket.once('message', resolve);
      socket.send('nodeinfo', port, '127.0.0.1');
    });
    socket.close();
    expect(JSON.parse(answer.toString())).toMatchObject({ node_id: '02cafe00ff0b', hostname: 'gw4' });
  });

  it('limits the answers per source (a burst of twice the rate)', async () => {
    const { port } = await start({ ...cfg, answersPerSecondPerSource: 2 });
    const socket = dgram.createSocket('udp6');
    await new Promise<void>((resolve) => socket.bind(0, '::1', resolve));
    let answers = 0;
    socket.on('message', () => {
      answers += 1;
    });
    for (let i = 0; i < 20; i++) socket.send('GET statistics', port, '::1');
    await new Promise((resolve) => setTimeout(resolve, 400));
    socket.close();
    expect(answers).toBeGreaterThanOrEqual(4);
    expect(answers).toBeLessThanOrEqual(5);
    expect(responder!.counts.rateLimited).toBe(20 - answers);
  });

  it('names the interface it cannot join the group on', async () => {
    const missing = new ResponddResponder(
      [mesh('mz', { responddInterfaces: ['nosuch0'] })],
      cfg,
      new NodeDataCache(async () => dataOf('x', '02cafe00ff0a'), 1),
    );
    await expect(missing.start({ port: 0 })).rejects.toThrow(/cannot join ff02::2:1001 on nosuch0/);
  });

  it('refuses a port already taken with a clear error', async () => {
    const { port } = await start();
    const second = new ResponddResponder(
      [mesh('mz')],
      cfg,
      new NodeDataCache(async () => dataOf('x', '02cafe00ff0a'), 1),
    );
    await expect(second.start({ address: '::1', port })).rejects.toThrow(/cannot listen on \[::1\]:\d+/);
  });
});

describe('which mesh a request is for', () => {
  const meshes = [
    mesh('mz', { bridge: 'mzBR', batman: 'mzBAT' }),
    mesh('wi', { bridge: 'wiBR', batman: 'wiBAT' }),
  ];
  const source = {
    get: async () => dataOf('x', '02cafe00ff0a'),
    addresses: (name: string) => (name === 'wi' ? ['fd56:b4dc:4b1e::1'] : ['fd37:b4dc:4b1e::1']),
  };
  const responder = new ResponddResponder(meshes, cfg, source);

  it('by the interface of a link-local sender, else by the /64 of the sender, else the first', () => {
    expect(responder.meshFor('fe80::1%wiBAT').name).toBe('wi');
    expect(responder.meshFor('fe80::1%mzBR').name).toBe('mz');
    expect(responder.meshFor('fd56:b4dc:4b1e:0:aa::7').name).toBe('wi');
    expect(responder.meshFor('fd37:b4dc:4b1e::99').name).toBe('mz');
    expect(responder.meshFor('2001:db8::1').name).toBe('mz');
    expect(responder.meshFor('192.0.2.1').name).toBe('mz');
  });

  it('joins every group on every mesh interface, none for a unicast address', () => {
    expect(responder.memberships({ port: 1001 })).toEqual([
      { group: 'ff02::2:1001', iface: 'mzBR', mesh: 'mz' },
      { group: 'ff05::2:1001', iface: 'mzBR', mesh: 'mz' },
      { group: 'ff02::2:1001', iface: 'mzBAT', mesh: 'mz' },
      { group: 'ff05::2:1001', iface: 'mzBAT', mesh: 'mz' },
      { group: 'ff02::2:1001', iface: 'wiBR', mesh: 'wi' },
      { group: 'ff05::2:1001', iface: 'wiBR', mesh: 'wi' },
      { group: 'ff02::2:1001', iface: 'wiBAT', mesh: 'wi' },
      { group: 'ff05::2:1001', iface: 'wiBAT', mesh: 'wi' },
    ]);
    expect(responder.memberships({ address: '::1', port: 1001 })).toEqual([]);
  });

  it('prefix64 expands :: forms', () => {
    expect(prefix64('fd37:b4dc:4b1e::1')).toBe('fd37b4dc4b1e0000');
    expect(prefix64('fd37:b4dc:4b1e:0:1::')).toBe('fd37b4dc4b1e0000');
    expect(prefix64('::1')).toBe('0000000000000000');
    expect(prefix64('::ffff:192.0.2.1')).toBeUndefined();
    expect(prefix64('garbage')).toBeUndefined();
  });
});

describe('request handling without a socket (counts, rates, limits)', () => {
  const data = dataOf('gw', '02cafe00ff0a');
  /** A responder over a fixed clock; `log` keeps `LEVEL message` lines. */
  function handler(settings: Partial<typeof cfg> = {}, get: () => Promise<ResponddData> = async () => data) {
    let now = 0;
    const log: string[] = [];
    const logger = {
      debug: (_: unknown, m: string) => log.push(`debug ${m}`),
      warn: (...args: unknown[]) => log.push(`warn ${args.at(-1)}`),
    } as never;
    const responder = new ResponddResponder(
      [mesh('mz')],
      { ...cfg, ...settings },
      { get, addresses: () => [] },
      logger,
      () => now,
    );
    return {
      responder,
      log,
      at: (ms: number) => {
        now = ms;
      },
      send: async (n: number, from = 'fe80::1%bat0', request = 'GET nodeinfo') => {
        for (let i = 0; i < n; i += 1) await responder.handle(Buffer.from(request), from, 4711);
      },
    };
  }

  it('a source gets a burst of twice its rate, then its rate; the tokens are capped at the burst', async () => {
    const h = handler({ answersPerSecondPerSource: 2, answersPerSecond: 1000 });
    await h.send(5);
    expect(h.responder.counts).toEqual({
      requests: 5,
      answered: 4,
      malformed: 0,
      rateLimited: 1,
      unanswerable: 0,
    });
    h.at(499);
    await h.send(1);
    expect(h.responder.counts.answered).toBe(4);
    h.at(999);
    await h.send(1);
    expect(h.responder.counts.answered).toBe(5);
    h.at(60_000);
    await h.send(6);
    expect(h.responder.counts).toMatchObject({ answered: 9, rateLimited: 4 });
  });

  it('one rate for all sources; a source over its own rate does not use it up', async () => {
    const h = handler({ answersPerSecondPerSource: 1, answersPerSecond: 3 });
    await h.send(10, 'fe80::a%bat0');
    await h.send(1, 'fe80::b%bat0');
    await h.send(2, 'fe80::c%bat0');
    expect(h.responder.counts).toEqual({
      requests: 13,
      answered: 3,
      malformed: 0,
      rateLimited: 10,
      unanswerable: 0,
    });
  });

  it('forgets the oldest of more than 4096 sources', async () => {
    const h = handler({ answersPerSecondPerSource: 0.5, answersPerSecond: 1e9 });
    await h.send(1, 'fd00::0');
    await h.send(1, 'fd00::0');
    expect(h.responder.counts.rateLimited).toBe(1);
    for (let i = 1; i <= 4096; i += 1) await h.send(1, `fd00::${i.toString(16)}`);
    // fd00::0 was forgotten: a fresh bucket; fd00::1000 (the newest) is still remembered.
    await h.send(1, 'fd00::0');
    await h.send(1, 'fd00::1000');
    expect(h.responder.counts).toMatchObject({ requests: 4100, answered: 4098, rateLimited: 2 });
  });

  it('an answer of exactly maxAnswerBytes is sent, a longer one is not', async () => {
    const length = encodeResponddAnswer({ kind: 'single', provider: 'statistics' }, data).length;
    const fits = handler({ maxAnswerBytes: length });
    await fits.send(1, 'fe80::1%bat0', 'statistics');
    expect(fits.responder.counts).toMatchObject({ answered: 1, unanswerable: 0 });
    const over = handler({ maxAnswerBytes: length - 1 });
    await over.send(1, 'fe80::1%bat0', 'statistics');
    expect(over.responder.counts).toMatchObject({ answered: 0, unanswerable: 1 });
    expect(over.log).toEqual([
      `warn respondd: the statistics answer of mesh mz has ${length} bytes (maxAnswerBytes ${length - 1}); not sent`,
    ]);
  });

  it('malformed requests are counted and logged at debug; a failed collection is no answer', async () => {
    const h = handler({}, async () => {
      throw new Error('batctl hung');
    });
    await h.send(1, 'fe80::1%bat0', 'GET wifi');
    await h.send(1, 'fe80::2%bat0', 'GET neighbours statistics');
    expect(h.responder.counts).toEqual({
      requests: 2,
      answered: 0,
      malformed: 1,
      rateLimited: 0,
      unanswerable: 1,
    });
    expect(h.log).toEqual([
      'debug respondd: ignored a malformed request',
      'warn respondd: no answer to fe80::2%bat0: batctl hung',
    ]);
  });

  it('stops cleanly when it never started', async () => {
    await expect(handler().responder.stop()).resolves.toBeUndefined();
  });
});

describe('answer forms on loopback', () => {
  let responder: ResponddResponder | undefined;
  afterEach(async () => {
    await responder?.stop();
    responder = undefined;
  });

  it('a single word and a GET of the same provider each get their own form', async () => {
    const data = dataOf('gw', '02cafe00ff0a');
    responder = new ResponddResponder([mesh('mz')], cfg, new NodeDataCache(async () => data, 60_000));
    const { port } = await responder.start({ address: '::1', port: 0 });
    expect(JSON.parse((await ask(port, 'nodeinfo'))!.toString())).toEqual(data.nodeinfo);
    expect(JSON.parse(inflateRawSync((await ask(port, 'GET nodeinfo'))!).toString())).toEqual({
      nodeinfo: data.nodeinfo,
    });
    expect(JSON.parse(inflateRawSync((await ask(port, 'GET nodeinfo statistics'))!).toString())).toEqual({
      nodeinfo: data.nodeinfo,
      statistics: data.statistics,
    });
    expect(JSON.parse((await ask(port, 'statistics'))!.toString())).toEqual(data.statistics);
  });
});

describe('meshes and interfaces', () => {
  it('a scope that is no mesh interface falls back to the sender’s /64', () => {
    const responder = new ResponddResponder(
      [mesh('mz', { bridge: 'mzBR' }), mesh('wi', { responddInterfaces: ['wiX'] })],
      cfg,
      {
        get: async () => dataOf('x', '02cafe00ff0a'),
        addresses: (name) => (name === 'wi' ? ['FD56:B4DC:4B1E::1'] : []),
      },
    );
    expect(responder.meshFor('fd56:b4dc:4b1e::5%eth9').name).toBe('wi');
    expect(responder.meshFor('fe80::5%wiX').name).toBe('wi');
    expect(responder.meshFor('fe80::5%bat0').name).toBe('mz');
    expect(interfacesOf(mesh('a', { bridge: 'br', batman: 'b0' }))).toEqual(['br', 'b0']);
    expect(interfacesOf(mesh('a', { bridge: 'br', responddInterfaces: ['x'] }))).toEqual(['x']);
    expect(prefix64('1:2:3:4:5:6:7:8')).toBe('0001000200030004');
    expect(prefix64('FD56:B4DC::')).toBe('fd56b4dc00000000');
  });
});
