import { ConfigError, UnavailableError } from '@ffphoton/core';
import type { MeshSettings } from '../settings.js';
import type { AlfredClient } from './alfred-client.js';
import { type DecodedRecords, decodeAlfredOutput } from './alfred-records.js';

/** The configured meshes named in `names` (all when absent); an unknown name is a ConfigError. */
export function selectMeshes(
  meshes: MeshSettings[],
  names: readonly string[] | undefined,
  key: string,
): MeshSettings[] {
  if (meshes.length === 0) throw new ConfigError('no meshes configured', { keyPath: 'alfred.meshes' });
  if (!names || names.length === 0) return meshes;
  return names.map((name) => {
    const mesh = meshes.find((m) => m.name === name);
    if (!mesh) {
      throw new ConfigError(
        `unknown mesh ${JSON.stringify(name)} (known: ${meshes.map((m) => m.name).join(', ')})`,
        {
          keyPath: key,
        },
      );
    }
    return mesh;
  });
}

/**
 * Reads one alfred data type from the sockets of several meshes and merges the decoded
 * records (keyed by source MAC). An unreachable mesh is a problem as long as one answers.
 */
export class MeshDataSource {
  constructor(private readonly client: AlfredClient) {}

  async read(meshes: MeshSettings[], type: number): Promise<DecodedRecords> {
    // Concurrently: a secondary may wait up to 10 s for its primary on every request.
    const outputs = await Promise.all(
      meshes.map((mesh) =>
        this.client.read(mesh.socket, type).catch((error: unknown) => {
          if (error instanceof UnavailableError) return error;
          throw error;
        }),
      ),
    );
    const merged: DecodedRecords = { nodes: {}, problems: [] };
    const unavailable: string[] = [];
    outputs.forEach((output, index) => {
      const mesh = meshes[index];
      if (output instanceof UnavailableError) {
        unavailable.push(`mesh ${mesh.name}: ${output.message}`);
        return;
      }
      const decoded = decodeAlfredOutput(output);
      Object.assign(merged.nodes, decoded.nodes);
      merged.problems.push(
        ...decoded.problems.map((p) => ({ ...p, message: `mesh ${mesh.name}: ${p.message}` })),
      );
    });
    if (unavailable.length === meshes.length) throw new UnavailableError(unavailable.join('; '));
    merged.problems.push(...unavailable.map((message) => ({ message })));
    return merged;
  }
}
