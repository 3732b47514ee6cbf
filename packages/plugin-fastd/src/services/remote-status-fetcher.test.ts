import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStatusServers } from '../test-helpers/status-servers.js';
import { judgeRemoteStatus, RemoteStatusFetcher } from './remote-status-fetcher.js';

// Another gateway's answer is outside data: read no further than a status document can be.
describe('RemoteStatusFetcher bounds', () => {
  const now = new Date();
  const fresh = Math.floor(now.getTime() / 1000);
  let servers: Awaited<ReturnType<typeof startStatusServers>>;
  beforeAll(async () => {
    servers = await startStatusServers({
      ok: JSON.stringify({ gw: { peers: 3 }, _timestamp: fresh }),
      huge: JSON.stringify({ gw: { peers: 3 }, pad: 'x'.repeat(2 * 1024 * 1024), _timestamp: fresh }),
      deep: `{"_timestamp": ${fresh}, "x": ${'['.repeat(5000)}${']'.repeat(5000)}}`,
    });
  });
  afterAll(() => servers.close());

  it('refuses a body over 1 MiB and JSON nested too deep, and still reads a normal one', async () => {
    const fetcher = new RemoteStatusFetcher({
      urlTemplate: servers.urlTemplate,
      timeoutMs: 5_000,
      maxDataAgeSeconds: 900,
      now: () => now,
    });
    const [ok, huge, deep] = await fetcher.fetchAll(['ok', 'huge', 'deep']);
    expect(ok).toMatchObject({ state: 'fresh', data: { gw: { peers: 3 } } });
    expect(huge).toMatchObject({ state: 'invalid', reason: 'larger than 1048576 bytes' });
    expect(deep).toMatchObject({ state: 'invalid', reason: 'JSON nested too deep' });
  });
});

describe('judgeRemoteStatus, whole verdicts at the boundaries', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  const epoch = now.getTime() / 1000;
  const judge = (doc: unknown) => judgeRemoteStatus(JSON.stringify(doc), now, 900);

  it('accepts data exactly as old as allowed, and data of this very second', () => {
    expect(judge({ mz: { peers: 1 }, _timestamp: epoch - 900 })).toEqual({
      state: 'fresh',
      data: { mz: { peers: 1 }, _timestamp: epoch - 900 },
      ageSeconds: 900,
    });
    expect(judge({ _timestamp: epoch })).toEqual({
      state: 'fresh',
      data: { _timestamp: epoch },
      ageSeconds: 0,
    });
  });

  it('calls older data stale, naming its whole seconds', () => {
    expect(judge({ _timestamp: epoch - 900.7 })).toEqual({
      state: 'stale',
      reason: 'data 900 s old (max 900)',
      ageSeconds: expect.closeTo(900.7, 5),
    });
    // 0 is the epoch, not "negative": very stale.
    expect(judge({ _timestamp: 0 })).toEqual({
      state: 'stale',
      reason: `data ${epoch} s old (max 900)`,
      ageSeconds: epoch,
    });
  });

  it('refuses a future timestamp, rounding its distance up', () => {
    expect(judge({ _timestamp: epoch + 30.2 })).toEqual({
      state: 'invalid',
      reason: '_timestamp 31 s in the future',
      ageSeconds: expect.closeTo(-30.2, 5),
    });
  });

  it('names each kind of bad document', () => {
    const cases: [string, string][] = [
      ['{"mz": ', 'not JSON'],
      ['', 'not JSON'],
      [`{"x": ${'['.repeat(100)}${']'.repeat(100)}, "_timestamp": ${epoch}}`, 'JSON nested too deep'],
      ['[1,2]', 'not a JSON object'],
      ['null', 'not a JSON object'],
      ['"x"', 'not a JSON object'],
      ['7', 'not a JSON object'],
      ['{"mz": {"peers": 1}}', 'no numeric _timestamp'],
      ['{"_timestamp": "1700000000"}', 'no numeric _timestamp'],
      ['{"_timestamp": null}', 'no numeric _timestamp'],
      // JSON.parse reads 1e999 as Infinity.
      ['{"_timestamp": 1e999}', 'no numeric _timestamp'],
      ['{"_timestamp": -1e999}', 'no numeric _timestamp'],
      ['{"_timestamp": -5}', 'negative _timestamp'],
      ['{"_timestamp": -0.5}', 'negative _timestamp'],
    ];
    for (const [text, reason] of cases)
      expect({ text, verdict: judgeRemoteStatus(text, now, 900) }).toEqual({
        text,
        verdict: { state: 'invalid', reason },
      });
  });
});

describe('RemoteStatusFetcher against a loopback server', () => {
  const max = 1024 * 1024;
  const now = new Date();
  const stamp = Math.floor(now.getTime() / 1000);
  /** A status document of exactly `size` bytes. */
  const sized = (size: number) => {
    const head = `{"_timestamp": ${stamp}, "pad": "`;
    return `${head}${'x'.repeat(size - head.length - 2)}"}`;
  };
  let base = '';
  let server: http.Server;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const [, kind, size] = req.url?.split('/') ?? [];
      const body = size ? sized(Number(size)) : '';
      if (kind === 'length') res.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body);
      else if (kind === 'chunked') {
        // No content-length: the size is known only while reading.
        res.writeHead(200);
        for (let i = 0; i < body.length; i += 64 * 1024) res.write(body.slice(i, i + 64 * 1024));
        res.end();
      } else if (kind === 'gone') res.writeHead(503).end('down');
      else if (kind === 'empty') res.writeHead(204).end();
      else if (kind === 'blank') res.writeHead(200, { 'content-length': 0 }).end();
      else if (kind === 'announced') {
        // Announces 2 MiB, sends a little and then nothing: refused on the announcement, not waited for.
        res.writeHead(200, { 'content-length': 2 * max });
        res.write('{"_timestamp": 1, ');
      } else if (kind === 'broken') {
        res.writeHead(200, { 'content-length': 1000 });
        res.write('{"_timestamp": 1, ');
        setTimeout(() => res.destroy(), 20);
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  const fetcher = (urlTemplate: string, timeoutMs = 5_000) =>
    new RemoteStatusFetcher({ urlTemplate, timeoutMs, maxDataAgeSeconds: 900, now: () => now });

  it('reads a body of exactly 1 MiB and refuses one byte more, announced or not', async () => {
    const [lengthOk, lengthOver, chunkedOk, chunkedOver] = await fetcher(`${base}/{gateway}`).fetchAll([
      `length/${max}`,
      `length/${max + 1}`,
      `chunked/${max}`,
      `chunked/${max + 1}`,
    ]);
    expect(lengthOk).toMatchObject({ state: 'fresh', ageSeconds: expect.any(Number) });
    expect(chunkedOk).toMatchObject({ state: 'fresh', ageSeconds: expect.any(Number) });
    expect((lengthOk.data as { pad: string }).pad).toHaveLength(
      max - `{"_timestamp": ${stamp}, "pad": "`.length - 2,
    );
    expect(chunkedOk.data).toEqual(lengthOk.data);
    for (const [over, gateway] of [
      [lengthOver, `length/${max + 1}`],
      [chunkedOver, `chunked/${max + 1}`],
    ] as const)
      expect(over).toEqual({
        gateway,
        url: `${base}/${gateway}`,
        state: 'invalid',
        reason: 'larger than 1048576 bytes',
      });
  });

  it('fills the gateway into every place of the URL template', async () => {
    const [result] = await fetcher(`${base}/{gateway}/${max}?from={gateway}`).fetchAll(['length']);
    expect(result).toMatchObject({
      gateway: 'length',
      url: `${base}/length/${max}?from=length`,
      state: 'fresh',
    });
  });

  it('calls a gateway unreachable on an HTTP error, a refused connection and a timeout', async () => {
    const silent = await startStatusServers({ quiet: 'silent' });
    try {
      const [gone, missing] = await fetcher(`${base}/{gateway}`).fetchAll(['gone', 'nothing']);
      expect(gone).toEqual({
        gateway: 'gone',
        url: `${base}/gone`,
        state: 'unreachable',
        reason: 'HTTP 503',
      });
      expect(missing).toMatchObject({ state: 'unreachable', reason: 'HTTP 404' });
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const closedPort = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const [refused] = await fetcher(`http://127.0.0.1:${closedPort}/{gateway}`).fetchAll(['x']);
      expect(refused).toEqual({
        gateway: 'x',
        url: `http://127.0.0.1:${closedPort}/x`,
        state: 'unreachable',
        reason: `connect ECONNREFUSED 127.0.0.1:${closedPort}`,
      });
      const [quiet] = await fetcher(silent.urlTemplate, 200).fetchAll(['quiet']);
      expect(quiet).toMatchObject({ state: 'unreachable', reason: 'no answer within 200 ms' });
      // fetch's own message ("fetch failed", "Failed to parse URL") says less than its cause's.
      const [bad] = await fetcher('not a url {gateway}').fetchAll(['x']);
      expect(bad).toEqual({ gateway: 'x', url: 'not a url x', state: 'unreachable', reason: 'Invalid URL' });
    } finally {
      await silent.close();
    }
  });

  it('reads an answer without a body as a document that is not JSON', async () => {
    const [empty, blank] = await fetcher(`${base}/{gateway}`).fetchAll(['empty', 'blank']);
    expect(empty).toEqual({ gateway: 'empty', url: `${base}/empty`, state: 'invalid', reason: 'not JSON' });
    expect(blank).toEqual({ gateway: 'blank', url: `${base}/blank`, state: 'invalid', reason: 'not JSON' });
  });

  it('refuses an announced oversize body without waiting for it, and names a connection broken off', async () => {
    const [announced, broken] = await fetcher(`${base}/{gateway}`, 3_000).fetchAll(['announced', 'broken']);
    expect(announced).toEqual({
      gateway: 'announced',
      url: `${base}/announced`,
      state: 'invalid',
      reason: 'larger than 1048576 bytes',
    });
    expect(broken).toEqual({
      gateway: 'broken',
      url: `${base}/broken`,
      state: 'unreachable',
      reason: 'other side closed',
    });
  });
});
