import { ConfigError, UnavailableError } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { alfredSettings, type MeshSettings } from '../settings.js';
import type { AlfredClient } from './alfred-client.js';
import { MeshDataSource, selectMeshes } from './mesh-data-source.js';

const meshes: MeshSettings[] = alfredSettings.schema.parse({
  meshes: [
    { name: 'mz', socket: '/run/mz.sock' },
    { name: 'wi', socket: '/run/wi.sock' },
  ],
}).meshes;

/** A stand-in for the alfred client: output per socket, or "not running". */
function client(outputs: Record<string, string | undefined>): AlfredClient {
  return {
    read: async (socket: string) => {
      const out = outputs[socket];
      if (out === undefined) throw new UnavailableError(`alfred socket ${socket} does not exist`);
      return out;
    },
  } as unknown as AlfredClient;
}

describe('reading several meshes', () => {
  it('merges the records of every mesh, a mesh that is down is one problem', async () => {
    const source = new MeshDataSource(
      client({ '/run/mz.sock': '{ "02:00:00:00:00:01", "{\\"a\\": 1}" },\n', '/run/wi.sock': undefined }),
    );
    const decoded = await source.read(meshes, 158);
    expect(decoded.nodes).toEqual({ '02:00:00:00:00:01': { a: 1 } });
    expect(decoded.problems).toEqual([{ message: 'mesh wi: alfred socket /run/wi.sock does not exist' }]);
  });

  it('is unavailable only when no mesh answers', async () => {
    await expect(new MeshDataSource(client({})).read(meshes, 158)).rejects.toThrow(
      'mesh mz: alfred socket /run/mz.sock does not exist; mesh wi: alfred socket /run/wi.sock does not exist',
    );
  });

  it('selects meshes by name and refuses unknown names', () => {
    expect(selectMeshes(meshes, ['wi'], '--mesh').map((m) => m.name)).toEqual(['wi']);
    expect(selectMeshes(meshes, undefined, '--mesh')).toHaveLength(2);
    expect(() => selectMeshes(meshes, ['xx'], '--mesh')).toThrow(ConfigError);
    expect(() => selectMeshes([], undefined, '--mesh')).toThrow('no meshes configured');
  });
});
