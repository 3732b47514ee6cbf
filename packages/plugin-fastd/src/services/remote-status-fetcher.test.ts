import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStatusServers } from '../test-helpers/status-servers.js';
import { RemoteStatusFetcher } from './remote-status-fetcher.js';

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
