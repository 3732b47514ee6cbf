import { ByteBudget, ConfigError, UnavailableError } from '@ffphoton/core';
import type { AlfredSettings, MeshSettings } from '../settings.js';
import type { AlfredClient } from './alfred-client.js';
import { type DecodedRecords, decodeAlfredOutput, type RecordLimits } from './alfred-records.js';

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

/** Each mesh once, in first-seen order: the meshes of several selections, to be read once. */
export function unionOfMeshes(...selections: MeshSettings[][]): MeshSettings[] {
  const byName = new Map<string, MeshSettings>();
  for (const selection of selections) for (const mesh of selection) byName.set(mesh.name, mesh);
  return [...byName.values()];
}

/** One mesh's decoded records of one data type, or why its alfred did not answer. */
export type MeshRecords = { decoded: DecodedRecords } | { unavailable: string };

/** The per-mesh reads of one data type, by mesh name (see MeshDataSource.readEach). */
export type MeshReads = ReadonlyMap<string, MeshRecords>;

/**
 * The records of the meshes in `meshes` (each must be in `reads`), merged as one source: keyed by
 * source MAC, a later mesh's record replacing an earlier one's, every problem named by its mesh.
 * A mesh whose alfred did not answer is a problem as long as one answered, else UnavailableError.
 */
export function mergeMeshReads(meshes: MeshSettings[], reads: MeshReads): DecodedRecords {
  const merged: DecodedRecords = { nodes: {}, problems: [] };
  const unavailable: string[] = [];
  for (const mesh of meshes) {
    const read = reads.get(mesh.name);
    if (read === undefined) throw new Error(`mesh ${mesh.name} was not read`);
    if ('unavailable' in read) {
      unavailable.push(`mesh ${mesh.name}: ${read.unavailable}`);
      continue;
    }
    // One mesh (the usual case): its records as decoded, no copy of 10,000 keys.
    if (meshes.length === 1) merged.nodes = read.decoded.nodes;
    else Object.assign(merged.nodes, read.decoded.nodes);
    for (const p of read.decoded.problems)
      merged.problems.push({ ...p, message: `mesh ${mesh.name}: ${p.message}` });
  }
  if (unavailable.length === meshes.length) throw new UnavailableError(unavailable.join('; '));
  merged.problems.push(...unavailable.map((message) => ({ message })));
  return merged;
}

/**
 * Reads alfred data types from the sockets of several meshes. `readEach` reads and decodes each
 * mesh once (for callers that merge different selections of the same reads); `read` merges them.
 */
export class MeshDataSource {
  private readonly limits: RecordLimits;

  /** `limits`: alfred.limits; the run budget is shared by every read of this source. */
  constructor(
    private readonly client: AlfredClient,
    limits: AlfredSettings['limits'],
  ) {
    this.limits = {
      recordBytes: limits.recordBytes,
      budget: new ByteBudget(limits.runBytes, 'decompressed records'),
    };
  }

  async read(meshes: MeshSettings[], type: number): Promise<DecodedRecords> {
    return mergeMeshReads(meshes, await this.readEach(meshes, type));
  }

  /** Each mesh's records of `type`, decoded as soon as its alfred answers; only other errors reject. */
  async readEach(meshes: MeshSettings[], type: number): Promise<MeshReads> {
    // Concurrently: a secondary may wait up to 10 s for its primary on every request.
    const reads = await Promise.all(
      meshes.map((mesh) =>
        this.client.read(mesh.socket, type).then(
          (output): MeshRecords => ({ decoded: decodeAlfredOutput(output, this.limits) }),
          (error: unknown): MeshRecords => {
            if (error instanceof UnavailableError) return { unavailable: error.message };
            throw error;
          },
        ),
      ),
    );
    return new Map(meshes.map((mesh, i) => [mesh.name, reads[i]]));
  }
}
