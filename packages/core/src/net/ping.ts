import { ConfigError } from '../errors/errors.js';
import type { Shell } from '../shell/shell.js';
import { familyOf } from './ip.js';

export interface PingOptions {
  /** Echo requests per host (ping -c); default 5. */
  count?: number;
  /** Leave through this interface (ping -I). */
  interface?: string;
  /** Payload bytes (ping -s). */
  packetSize?: number;
  /** Give up on a host after this many seconds in all (ping -w); default count + 5. */
  deadlineSeconds?: number;
  /** The programs; IPv6 addresses use `ping6`. */
  ping?: string;
  ping6?: string;
}

export interface PingResult {
  host: string;
  /** At least one reply came back. */
  up: boolean;
  transmitted: number;
  received: number;
  /** Lost share in percent, 0–100. */
  lossPercent: number;
  /** Round-trip times in ms; undefined without replies. busybox reports no mdev. */
  rtt?: { min: number; avg: number; max: number; mdev?: number };
}

export interface PingSummary {
  results: PingResult[];
  up: number;
  down: number;
  /** up / hosts (0 for no hosts): Photon's `status['ratio']`. */
  ratio: number;
}

const HOST = /^[A-Za-z0-9:][A-Za-z0-9.:%_-]*$/;

/**
 * Successor of Photon's Ping: pings every host in parallel (ping for IPv4 and names, ping6 for
 * IPv6 addresses) with a deadline, and parses loss and rtt as numbers from iputils, BSD and
 * busybox output (Photon never parsed loss on Linux and crashed on busybox).
 */
export class Ping {
  constructor(private readonly shell: Shell) {}

  async probe(hosts: readonly string[], options: PingOptions = {}): Promise<PingSummary> {
    const count = options.count ?? 5;
    if (!Number.isInteger(count) || count < 1)
      throw new ConfigError(`ping count must be a positive integer, not ${count}`);
    if (options.packetSize !== undefined && (!Number.isInteger(options.packetSize) || options.packetSize < 0))
      throw new ConfigError(`ping packet size must be a non-negative integer, not ${options.packetSize}`);
    for (const host of hosts) {
      // An argv element, never a shell word: still, "-I eth0" as a host would be an option.
      if (!HOST.test(host)) throw new ConfigError(`not a host name or address: ${JSON.stringify(host)}`);
    }
    const results = await Promise.all(hosts.map((host) => this.one(host, count, options)));
    const up = results.filter((r) => r.up).length;
    return { results, up, down: results.length - up, ratio: results.length ? up / results.length : 0 };
  }

  private async one(host: string, count: number, options: PingOptions): Promise<PingResult> {
    // core's address parser (net/ip.ts), as everywhere in photon, not a second one from node:net.
    const program =
      familyOf(host.replace(/%.*$/, '')) === 'ipv6' ? (options.ping6 ?? 'ping6') : (options.ping ?? 'ping');
    const deadline = options.deadlineSeconds ?? count + 5;
    const argv = [program, '-n', '-c', String(count), '-w', String(deadline)];
    if (options.interface) argv.push('-I', options.interface);
    if (options.packetSize !== undefined) argv.push('-s', String(options.packetSize));
    argv.push(host);
    const result = await this.shell.run(argv, { allowFailure: true, timeoutMs: (deadline + 5) * 1000 });
    return { host, ...parsePingOutput(result.stdout), up: result.exitCode === 0 };
  }
}

/** Transmitted/received, loss and rtt from the summary of iputils, BSD/macOS or busybox ping. */
export function parsePingOutput(text: string): Omit<PingResult, 'host' | 'up'> {
  const counts = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(text);
  const transmitted = counts ? Number(counts[1]) : 0;
  const received = counts ? Number(counts[2]) : 0;
  const loss = /([\d.]+)% packet loss/.exec(text);
  const lossPercent = loss
    ? Number(loss[1])
    : transmitted
      ? ((transmitted - received) / transmitted) * 100
      : 100;
  // iputils: "rtt min/avg/max/mdev = a/b/c/d ms"; BSD: "round-trip min/avg/max/stddev = …";
  // busybox: "round-trip min/avg/max = a/b/c ms".
  const rtt = /min\/avg\/max(?:\/(?:mdev|stddev))? = ([\d.]+)\/([\d.]+)\/([\d.]+)(?:\/([\d.]+))? ms/.exec(
    text,
  );
  return {
    transmitted,
    received,
    lossPercent,
    rtt: rtt
      ? {
          min: Number(rtt[1]),
          avg: Number(rtt[2]),
          max: Number(rtt[3]),
          ...(rtt[4] !== undefined ? { mdev: Number(rtt[4]) } : {}),
        }
      : undefined,
  };
}
