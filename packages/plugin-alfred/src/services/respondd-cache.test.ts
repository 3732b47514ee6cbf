import { describe, expect, it } from 'vitest';
import { meshSchema } from '../settings.js';
import { NodeDataCache } from './respondd-cache.js';
import type { ResponddData } from './respondd-responder.js';

const mz = meshSchema.parse({ name: 'mz' });
const data = (n: number): ResponddData => ({
  nodeinfo: { node_id: '02cafe00ff0a', n, network: { addresses: ['fd37::1'] } },
  statistics: {},
  neighbours: {},
});

describe('node data cache of the responder', () => {
  it('collects once per ttl, shares one collection between concurrent requests', async () => {
    let now = 1000;
    let collections = 0;
    const cache = new NodeDataCache(
      async () => data(++collections),
      5000,
      () => now,
    );
    const [a, b] = await Promise.all([cache.get(mz), cache.get(mz)]);
    expect(a).toBe(b);
    expect(collections).toBe(1);
    expect(cache.addresses('mz')).toEqual(['fd37::1']);
    now += 4999;
    expect((await cache.get(mz)).nodeinfo.n).toBe(1);
    now += 1;
    expect((await cache.get(mz)).nodeinfo.n).toBe(2);
  });

  it('does not keep a failed collection', async () => {
    let fail = true;
    const cache = new NodeDataCache(async () => {
      if (fail) throw new Error('batctl hung');
      return data(1);
    }, 60_000);
    await expect(cache.get(mz)).rejects.toThrow('batctl hung');
    fail = false;
    expect((await cache.get(mz)).nodeinfo.n).toBe(1);
  });

  it('a failed collection never removes a newer one', async () => {
    let now = 0;
    let collections = 0;
    let failFirst: (error: Error) => void = () => {};
    const cache = new NodeDataCache(
      () => {
        collections += 1;
        if (collections === 1)
          return new Promise<ResponddData>((_, reject) => {
            failFirst = reject;
          });
        return Promise.resolve(data(collections));
      },
      1000,
      () => now,
    );
    const first = cache.get(mz);
    now = 1000;
    expect((await cache.get(mz)).nodeinfo.n).toBe(2);
    failFirst(new Error('batctl hung'));
    await expect(first).rejects.toThrow('batctl hung');
    now = 1500;
    expect((await cache.get(mz)).nodeinfo.n).toBe(2);
    expect(collections).toBe(2);
  });

  it('remembers each mesh’s addresses as strings; none when nodeinfo lists none', async () => {
    const wi = meshSchema.parse({ name: 'wi' });
    const byMesh: Record<string, ResponddData['nodeinfo']> = {
      mz: { network: { addresses: ['fd37::1', 7] } },
      wi: { network: { addresses: 'fd37::2' } },
    };
    const cache = new NodeDataCache(
      async (mesh) => ({ nodeinfo: byMesh[mesh.name], statistics: {}, neighbours: {} }),
      0,
    );
    expect(cache.addresses('mz')).toEqual([]);
    await cache.get(mz);
    await cache.get(wi);
    expect(cache.addresses('mz')).toEqual(['fd37::1', '7']);
    expect(cache.addresses('wi')).toEqual([]);
    byMesh.mz = {};
    await cache.get(mz);
    expect(cache.addresses('mz')).toEqual([]);
  });
});
