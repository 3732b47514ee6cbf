import { describe, expect, it } from 'vitest';
import { fastdStatusSchema, summarizeStatus } from './fastd-status.js';

const connection = { established: 5, method: 'null' };
const traffic = (rx: number, tx: number) => ({
  rx: { packets: 1, bytes: rx },
  tx: { packets: 1, bytes: tx },
  rx_reordered: { packets: 0, bytes: 0 },
});

describe('summarizeStatus', () => {
  it('counts known and connected peers, whole seconds of uptime, and the traffic', () => {
    const status = fastdStatusSchema.parse({
      uptime: 61_999,
      statistics: traffic(100, 200),
      peers: {
        a: { name: 'a', address: 'any', connection: null },
        b: { name: null, address: '192.0.2.1:1', connection },
        c: { name: 'c', address: 'any', connection: { ...connection, statistics: traffic(7, 8) } },
      },
    });
    expect(summarizeStatus(status)).toEqual({
      uptimeSeconds: 61,
      peersKnown: 3,
      peersConnected: 2,
      rxBytes: 100,
      txBytes: 200,
    });
  });

  it('reads a status without statistics or peers as zero traffic and no peers', () => {
    expect(summarizeStatus(fastdStatusSchema.parse({ uptime: 999, peers: {} }))).toEqual({
      uptimeSeconds: 0,
      peersKnown: 0,
      peersConnected: 0,
      rxBytes: 0,
      txBytes: 0,
    });
  });
});
