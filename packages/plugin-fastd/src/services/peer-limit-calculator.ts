import type { RemoteGatewayStatus } from './remote-status-fetcher.js';

export interface LimitComputation {
  instance: string;
  /** Connected peers summed over the online gateways. */
  total: number;
  online: number;
  offline: number;
  average: number;
  gauge: number;
  limit: number;
}

/**
 * The limit of limit_fastd_peers_gw: `average = floor(total / online)`,
 * `limit = average + (1 + offline) × additional`, where a gateway is online for an
 * instance when it reported a peer count for it (this gateway: its own socket).
 */
export class PeerLimitCalculator {
  constructor(
    private readonly gatewayCount: number,
    private readonly additional: number,
  ) {}

  compute(
    instance: string,
    ownConnected: number | undefined,
    remotes: RemoteGatewayStatus[],
  ): LimitComputation | undefined {
    const counts = [ownConnected, ...remotes.map((remote) => remotePeers(remote, instance))].filter(
      (count): count is number => count !== undefined,
    );
    const online = counts.length;
    if (online === 0) return undefined;
    const total = counts.reduce((sum, count) => sum + count, 0);
    const offline = this.gatewayCount - online;
    const average = Math.floor(total / online);
    const gauge = (1 + offline) * this.additional;
    return { instance, total, online, offline, average, gauge, limit: average + gauge };
  }
}

/** A fresh remote's peer count for the instance: `{<instance>: {peers: N}}`, N a non-negative integer. */
export function remotePeers(remote: RemoteGatewayStatus, instance: string): number | undefined {
  if (remote.state !== 'fresh') return undefined;
  const entry = remote.data?.[instance];
  if (typeof entry !== 'object' || entry === null) return undefined;
  const peers = (entry as Record<string, unknown>).peers;
  return typeof peers === 'number' && Number.isInteger(peers) && peers >= 0 ? peers : undefined;
}
