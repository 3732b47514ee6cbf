/** What one remote gateway's published status amounted to. */
export interface RemoteGatewayStatus {
  gateway: string;
  url: string;
  state: 'fresh' | 'stale' | 'invalid' | 'unreachable';
  /** Why the data was not accepted. */
  reason?: string;
  /** The published document, when fresh. */
  data?: Record<string, unknown>;
  ageSeconds?: number;
}

export interface RemoteFetchOptions {
  urlTemplate: string;
  timeoutMs: number;
  maxDataAgeSeconds: number;
  now: () => Date;
}

/**
 * Fetches the other gateways' published `fastd_status.json` in parallel, each bounded by
 * the timeout (the original fetched one after the other, so N dead gateways cost N timeouts).
 */
export class RemoteStatusFetcher {
  constructor(private readonly options: RemoteFetchOptions) {}

  fetchAll(gateways: string[]): Promise<RemoteGatewayStatus[]> {
    return Promise.all(gateways.map((gateway) => this.fetchOne(gateway)));
  }

  private async fetchOne(gateway: string): Promise<RemoteGatewayStatus> {
    const url = this.options.urlTemplate.replaceAll('{gateway}', gateway);
    let text: string;
    try {
      // The signal bounds the whole exchange, body included, not just the connect.
      const response = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs) });
      if (!response.ok) return { gateway, url, state: 'unreachable', reason: `HTTP ${response.status}` };
      text = await response.text();
    } catch (error) {
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${this.options.timeoutMs} ms`
          : String((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message);
      return { gateway, url, state: 'unreachable', reason };
    }
    return { gateway, url, ...judgeRemoteStatus(text, this.options.now(), this.options.maxDataAgeSeconds) };
  }
}

/** Accepts a published status only if it is a JSON object with a fresh `_timestamp` (epoch seconds, not in the future). */
export function judgeRemoteStatus(
  text: string,
  now: Date,
  maxDataAgeSeconds: number,
): Pick<RemoteGatewayStatus, 'state' | 'reason' | 'data' | 'ageSeconds'> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { state: 'invalid', reason: 'not JSON' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { state: 'invalid', reason: 'not a JSON object' };
  }
  const timestamp = (data as Record<string, unknown>)._timestamp;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp))
    return { state: 'invalid', reason: 'no numeric _timestamp' };
  if (timestamp < 0) return { state: 'invalid', reason: 'negative _timestamp' };
  const ageSeconds = now.getTime() / 1000 - timestamp;
  if (ageSeconds < 0)
    return { state: 'invalid', reason: `_timestamp ${Math.ceil(-ageSeconds)} s in the future`, ageSeconds };
  if (ageSeconds > maxDataAgeSeconds) {
    return {
      state: 'stale',
      reason: `data ${Math.floor(ageSeconds)} s old (max ${maxDataAgeSeconds})`,
      ageSeconds,
    };
  }
  return { state: 'fresh', data: data as Record<string, unknown>, ageSeconds };
}
