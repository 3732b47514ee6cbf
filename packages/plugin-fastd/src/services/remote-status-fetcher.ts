import { INPUT_LIMITS, parseBoundedJson } from '@ffphoton/core';

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
      const body = await readBounded(response, INPUT_LIMITS.remoteDocumentBytes);
      if (body === undefined)
        return {
          gateway,
          url,
          state: 'invalid',
          reason: `larger than ${INPUT_LIMITS.remoteDocumentBytes} bytes`,
        };
      text = body;
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
    data = parseBoundedJson(text);
  } catch (error) {
    return {
      state: 'invalid',
      reason: /nested/.test((error as Error).message) ? 'JSON nested too deep' : 'not JSON',
    };
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

/**
 * The body as text, or undefined once it passes `maxBytes`: another gateway's answer is read no
 * further than a status document can be, whatever it claims or sends.
 */
async function readBounded(response: Response, maxBytes: number): Promise<string | undefined> {
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel();
    return undefined;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (let read = await reader?.read(); reader && read && !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
