import dgram from 'node:dgram';
import { deflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { queryAddress, queryRespondd } from './respondd-collector.js';

describe('respondd collector targets', () => {
  it('takes addresses as given and an interface name as its ff02::2:1001', () => {
    expect(queryAddress('::1')).toBe('::1');
    expect(queryAddress('ff05::2:1001')).toBe('ff05::2:1001');
    expect(queryAddress('fe80::1%eth0')).toBe('fe80::1%eth0');
    expect(queryAddress('192.0.2.1')).toBe('192.0.2.1');
    expect(queryAddress('mzBR')).toBe('ff02::2:1001%mzBR');
  });

  it('refuses an interface that does not exist instead of asking on the default one', async () => {
    await expect(queryRespondd('nosuch0', 1001, ['nodeinfo'], 200)).rejects.toThrow(/no interface nosuch0/);
    await expect(queryRespondd('ff02::2:1001%nosuch0', 1001, ['nodeinfo'], 200)).rejects.toThrow(
      /no interface nosuch0/,
    );
  });
});

describe('respondd queries against a local responder', () => {
  const sockets: dgram.Socket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  /** A UDP server that answers each request with `answers`, in order; records the requests. */
  async function server(family: 'udp4' | 'udp6', address: string, answers: Buffer[]) {
    const socket = dgram.createSocket(family);
    sockets.push(socket);
    const requests: string[] = [];
    socket.on('message', (msg, rinfo) => {
      requests.push(msg.toString());
      for (const answer of answers) socket.send(answer, rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve) => socket.bind(0, address, resolve));
    return { port: socket.address().port, requests };
  }

  it('a unicast target is done with its first answer; undecodable datagrams are problems', async () => {
    const good = deflateRawSync(JSON.stringify({ nodeinfo: { node_id: '02cafe00ff0a' } }));
    const { port, requests } = await server('udp6', '::1', [Buffer.from('garbage'), good, good]);
    const started = Date.now();
    const result = await queryRespondd('::1', port, ['nodeinfo', 'statistics'], 5_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(requests).toEqual(['GET nodeinfo statistics']);
    expect(result).toEqual({
      target: '::1',
      port,
      answers: [{ from: '::1', data: { nodeinfo: { node_id: '02cafe00ff0a' } } }],
      problems: ['::1: an answer of 7 bytes did not decode'],
    });
  });

  it('asks an IPv4 target over IPv4; no answer ends with the timeout and nothing', async () => {
    const { port, requests } = await server('udp4', '127.0.0.1', [Buffer.from('{"statistics":{}}')]);
    expect(await queryRespondd('127.0.0.1', port, ['statistics'], 2_000)).toEqual({
      target: '127.0.0.1',
      port,
      answers: [{ from: '127.0.0.1', data: { statistics: {} } }],
      problems: [],
    });
    expect(requests).toEqual(['GET statistics']);
    const silent = await server('udp6', '::1', []);
    const started = Date.now();
    expect((await queryRespondd('::1', silent.port, ['nodeinfo'], 200)).answers).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('a multicast group is listened to for the whole time; a scope with a slash is refused', async () => {
    await expect(queryRespondd('ff02::2:1001%lo/x', 1001, ['nodeinfo'], 100)).rejects.toThrow(
      'respondd query: no interface lo/x (target ff02::2:1001%lo/x)',
    );
    const started = Date.now();
    const result = await queryRespondd('ff02::2:1001%lo', 9, ['nodeinfo'], 300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(result).toMatchObject({ target: 'ff02::2:1001%lo', answers: [] });
  });
});
