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

  it('a later mesh’s record of a MAC replaces an earlier one’s; problems keep their MAC', async () => {
    const source = new MeshDataSource(
      client({
        '/run/mz.sock':
          '{ "02:00:00:00:00:01", "{\\"mesh\\": \\"mz\\"}" },\n{ "02:00:00:00:00:02", "{\\"mesh\\": \\"mz\\"}" },\n',
        '/run/wi.sock': '{ "02:00:00:00:00:01", "{\\"mesh\\": \\"wi\\"}" },\n{ "02:00:00:00:00:03", "x" },\n',
      }),
      limits,
    );
    expect(await source.read(meshes, 158)).toEqual({
      nodes: { '02:00:00:00:00:01': { mesh: 'wi' }, '02:00:00:00:00:02': { mesh: 'mz' } },
      problems: [
        { mac: '02:00:00:00:00:03', message: expect.stringMatching(/^mesh wi: 02:00:00:00:00:03: not JSON/) },
      ],
    });
    expect((await source.read([...meshes].reverse(), 158)).nodes['02:00:00:00:00:01']).toEqual({
      mesh: 'mz',
    });
  });

  it('merging a mesh that was not read is a programming error; other client errors are not swallowed', async () => {
    expect(() => mergeMeshReads(meshes, new Map())).toThrow('mesh mz was not read');
    const failing = {
      read: async () => {
        throw new Error('alfred crashed');
      },
    } as unknown as AlfredClient;
    await expect(new MeshDataSource(failing, limits).readEach(meshes, 158)).rejects.toThrow('alfred crashed');
  });

  it('one byte budget for every read of a source; one record over recordBytes is its problem', async () => {
    const record = (mac: string, bytes: number) =>
      `{ "${mac}", "{\\"x\\": \\"${'a'.repeat(bytes - 10)}\\"}" },\n`;
    const source = new MeshDataSource(
      client({
        '/run/mz.sock': record('02:00:00:00:00:01', 600),
        '/run/wi.sock': record('02:00:00:00:00:02', 300),
      }),
      { recordBytes: 500, runBytes: 1000 },
    );
    const [mz] = meshes;
    const wi = meshes[1];
    expect((await source.read([mz], 158)).problems).toEqual([
      { mac: '02:00:00:00:00:01', message: expect.stringMatching(/^mesh mz: 02:00:00:00:00:01: .*500/) },
    ]);
    // 300 bytes a read: the fourth read goes over the run's 1000.
    for (let i = 0; i < 3; i += 1)
      expect(await source.read([wi], 158)).toMatchObject({
        nodes: { '02:00:00:00:00:02': {} },
        problems: [],
      });
    expect(await source.read([wi], 158)).toEqual({
      nodes: {},
      problems: [
        {
          mac: '02:00:00:00:00:02',
          message: expect.stringMatching(/^mesh wi: 02:00:00:00:00:02: .*over the budget/),
        },
      ],
    });
  });

  it('names the known meshes and the key of an unknown one', () => {
    const error = (() => {
      try {
        selectMeshes(meshes, ['wi', 'xx'], 'alfred.zone.meshes');
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error?.message).toBe('alfred.zone.meshes: unknown mesh "xx" (known: mz, wi)');
    expect(() => selectMeshes([], ['mz'], '--mesh')).toThrow('alfred.meshes: no meshes configured');
    expect(selectMeshes(meshes, [], '--mesh')).toBe(meshes);
    expect(selectMeshes(meshes, ['wi', 'mz'], '--mesh').map((m) => m.name)).toEqual(['wi', 'mz']);
  });
});
