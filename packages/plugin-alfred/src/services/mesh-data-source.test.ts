import { ConfigError, UnavailableError } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { alfredSettings, type MeshSettings } from '../settings.js';
import type { AlfredClient } from './alfred-client.js';
import { MeshDataSource, mergeMeshReads, selectMeshes, unionOfMeshes } from './mesh-data-source.js';

const meshes: MeshSettings[] = alfredSettings.schema.parse({
  meshes: [
    { name: 'mz', socket: '/run/mz.sock' },
    { name: 'wi', socket: '/run/wi.sock' },
  ],
}).meshes;

/** A stand-in for the alfred client: output per socket, or "not running". */
function client(outputs: Record<string, string | undefined>, calls: string[] = []): AlfredClient {
  return {
    read: async (socket: string) => {
      calls.push(socket);
      const out = outputs[socket];
      if (out === undefined) throw new UnavailableError(`alfred socket ${socket} does not exist`);
      return out;
    },
  } as unknown as AlfredClient;
}

const limits = { recordBytes: 64 * 1024, runBytes: 1024 * 1024 };

describe('reading several meshes', () => {
  it('merges the records of every mesh, a mesh that is down is one problem', async () => {
    const source = new MeshDataSource(
      client({ '/run/mz.sock': '{ "02:00:00:00:00:01", "{\\"a\\": 1}" },\n', '/run/wi.sock': undefined }),
      limits,
    );
    const decoded = await source.read(meshes, 158);
    expect(decoded.nodes).toEqual({ '02:00:00:00:00:01': { a: 1 } });
    expect(decoded.problems).toEqual([{ message: 'mesh wi: alfred socket /run/wi.sock does not exist' }]);
  });

  it('is unavailable only when no mesh answers', async () => {
    await expect(new MeshDataSource(client({}), limits).read(meshes, 158)).rejects.toThrow(
      'mesh mz: alfred socket /run/mz.sock does not exist; mesh wi: alfred socket /run/wi.sock does not exist',
    );
  });

  it('reads each mesh once and merges any selection of those reads, each with its own unreachable rule', async () => {
    const calls: string[] = [];
    const source = new MeshDataSource(
      client(
        { '/run/mz.sock': '{ "02:00:00:00:00:01", "{\\"a\\": 1}" },\n', '/run/wi.sock': undefined },
        calls,
      ),
      limits,
    );
    const [mz, wi] = meshes;
    const union = unionOfMeshes([mz], [wi, mz]);
    expect(union.map((m) => m.name)).toEqual(['mz', 'wi']);
    const reads = await source.readEach(union, 158);
    expect(calls).toEqual(['/run/mz.sock', '/run/wi.sock']);
    expect(mergeMeshReads([mz], reads)).toEqual({ nodes: { '02:00:00:00:00:01': { a: 1 } }, problems: [] });
    expect(mergeMeshReads([wi, mz], reads).problems).toEqual([
      { message: 'mesh wi: alfred socket /run/wi.sock does not exist' },
    ]);
    expect(() => mergeMeshReads([wi], reads)).toThrow(UnavailableError);
  });

  it('selects meshes by name and refuses unknown names', () => {
    expect(selectMeshes(meshes, ['wi'], '--mesh').map((m) => m.name)).toEqual(['wi']);
    expect(selectMeshes(meshes, undefined, '--mesh')).toHaveLength(2);
    expect(() => selectMeshes(meshes, ['xx'], '--mesh')).toThrow(ConfigError);
    expect(() => selectMeshes([], undefined, '--mesh')).toThrow('no meshes configured');
  });
});
