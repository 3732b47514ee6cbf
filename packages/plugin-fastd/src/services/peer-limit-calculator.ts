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
    /** The most peers a gateway can plausibly have: a larger remote count is bad data, not a count. */
    private readonly maxPeers: number,
  ) {}

  compute(
    instance: string,
    ownConnected: number | undefined,
    remotes: RemoteGatewayStatus[],
  ): LimitComputation | undefined {
    const counts = [
      ownConnected,
      ...remotes.map((remote) => remotePeers(remote, instance, this.maxPeers)),
    ].filter((count): count is number => count !== undefined);
    const online = counts.length;
    if (online === 0) return undefined;
    const total = counts.reduce((sum, count) => sum + count, 0);
    const offline = this.gatewayCount - online;
    const average = Math.floor(total / online);
    const gauge = (1 + offline) * this.additional;
    return { instance, total, online, offline, average, gauge, limit: average + gauge };
  }
}

export type RemotePeerCount = { peers: number } | { refused: string } | undefined;

/**
 * A fresh remote's peer count for the instance, `{<instance>: {peers: N}}`: N an integer from 0 to
 * `maxPeers`, anything else (1e300, 3000000000, -1, 7.5) refused with the reason; undefined when the
 * gateway reported nothing for the instance.
 */
export function remotePeerCount(
  remote: RemoteGatewayStatus,
  instance: string,
  maxPeers: number,
): RemotePeerCount {
  if (remote.state !== 'fresh') return undefined;
  const entry = remote.data?.[instance];
  if (typeof entry !== 'object' || entry === null) return undefined;
  const peers = (entry as Record<string, unknown>).peers;
  if (peers === undefined) return undefined;
  // Number.isInteger(1e300) holds: the range is checked as well.
  if (typeof peers === 'number' && Number.isInteger(peers) && peers >= 0 && peers <= maxPeers)
    return { peers };
  return { refused: `peers ${JSON.stringify(peers)} is not a peer count from 0 to ${maxPeers}` };
}

/** The accepted count, undefined when there is none or it was refused (the gateway counts as offline for the instance). */
export function remotePeers(
  remote: RemoteGatewayStatus,
  instance: string,
  maxPeers: number,
): number | undefined {
  const count = remotePeerCount(remote, instance, maxPeers);
  return count && 'peers' in count ? count.peers : undefined;
}
