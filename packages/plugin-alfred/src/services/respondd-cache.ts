import type { MeshSettings } from '../settings.js';
import type { ResponddData, ResponddSource } from './respondd-responder.js';

/**
 * The node data of each mesh, collected at most once per `ttlMs` however many requests come
 * in (concurrent requests share one collection): a request flood costs no /proc reads or
 * batctl runs. A failed collection is not kept, so the next request tries again.
 */
export class NodeDataCache implements ResponddSource {
  private readonly entries = new Map<string, { at: number; data: Promise<ResponddData> }>();
  private readonly lastAddresses = new Map<string, string[]>();

  constructor(
    private readonly collect: (mesh: MeshSettings) => Promise<ResponddData>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(mesh: MeshSettings): Promise<ResponddData> {
    const now = this.now();
    const entry = this.entries.get(mesh.name);
    if (entry && now - entry.at < this.ttlMs) return entry.data;
    const data = this.collect(mesh).then((d) => {
      const addresses = (d.nodeinfo.network as { addresses?: unknown } | undefined)?.addresses;
      this.lastAddresses.set(mesh.name, Array.isArray(addresses) ? addresses.map(String) : []);
      return d;
    });
    this.entries.set(mesh.name, { at: now, data });
    data.catch(() => {
      if (this.entries.get(mesh.name)?.data === data) this.entries.delete(mesh.name);
    });
    return data;
  }

  addresses(mesh: string): string[] {
    return this.lastAddresses.get(mesh) ?? [];
  }
}
