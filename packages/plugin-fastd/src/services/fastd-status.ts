import { nonNegativeInt, z } from '@ffphoton/core';

const counter = z.object({ packets: nonNegativeInt, bytes: nonNegativeInt });
const statistics = z.object({ rx: counter, tx: counter }).catchall(counter);

/** A fastd status document (src/status.c, v16+): peers keyed by public key, times in milliseconds. */
export const fastdStatusSchema = z.object({
  uptime: z.number().min(0),
  interface: z.string().optional(),
  statistics: statistics.optional(),
  peers: z.record(
    z.string(),
    z.object({
      name: z.string().nullable(),
      address: z.string(),
      interface: z.string().optional(),
      mtu: z.number().optional(),
      connection: z
        .object({
          established: z.number().min(0),
          method: z.string(),
          statistics: statistics.optional(),
          mac_addresses: z.array(z.string()).optional(),
        })
        .nullable(),
    }),
  ),
});

export type FastdStatus = z.output<typeof fastdStatusSchema>;

export interface StatusSummary {
  uptimeSeconds: number;
  peersKnown: number;
  peersConnected: number;
  rxBytes: number;
  txBytes: number;
}

/** The figures `status` and `limit` use; a peer is connected iff `connection` is not null. */
export function summarizeStatus(status: FastdStatus): StatusSummary {
  const peers = Object.values(status.peers);
  return {
    uptimeSeconds: Math.floor(status.uptime / 1000),
    peersKnown: peers.length,
    peersConnected: peers.filter((peer) => peer.connection !== null).length,
    rxBytes: status.statistics?.rx.bytes ?? 0,
    txBytes: status.statistics?.tx.bytes ?? 0,
  };
}
