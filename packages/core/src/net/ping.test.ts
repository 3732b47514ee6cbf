import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { Shell } from '../shell/shell.js';
import { Ping, parsePingOutput } from './ping.js';

const shell = new Shell({ dryRun: false, defaultTimeoutMs: 30_000 });

describe('Ping against the real ping and ping6', () => {
  it('pings IPv4 and IPv6 loopback in parallel through lo, with numeric loss and rtt', async () => {
    const summary = await new Ping(shell).probe(['127.0.0.1', '::1'], { count: 2, interface: 'lo' });
    expect(summary).toMatchObject({ up: 2, down: 0, ratio: 1 });
    for (const result of summary.results) {
      expect(result).toMatchObject({ up: true, transmitted: 2, received: 2, lossPercent: 0 });
      expect(result.rtt?.avg).toBeGreaterThanOrEqual(0);
      expect(result.rtt?.max).toBeGreaterThanOrEqual(result.rtt?.min ?? 0);
    }
    expect(summary.results.map((r) => r.host)).toEqual(['127.0.0.1', '::1']);
  });

  it('counts an unreachable host as down within the deadline', async () => {
    // TEST-NET-1 through lo: nothing answers.
    const summary = await new Ping(shell).probe(['127.0.0.1', '192.0.2.1'], {
      count: 1,
      interface: 'lo',
      deadlineSeconds: 1,
    });
    expect(summary).toMatchObject({ up: 1, down: 1, ratio: 0.5 });
    expect(summary.results[1]).toMatchObject({ up: false, received: 0, lossPercent: 100, rtt: undefined });
  });

  it('refuses a host that would be read as an option, and a bad count', async () => {
    await expect(new Ping(shell).probe(['-I eth0'])).rejects.toThrow(ConfigError);
    await expect(new Ping(shell).probe(['127.0.0.1'], { count: 0 })).rejects.toThrow('positive integer');
  });
});

describe('parsePingOutput', () => {
  it('reads busybox and BSD summaries (Photon crashed on busybox)', () => {
    expect(
      parsePingOutput(
        '--- 10.0.0.1 ping statistics ---\n3 packets transmitted, 2 packets received, 33% packet loss\nround-trip min/avg/max = 0.1/0.2/0.4 ms\n',
      ),
    ).toEqual({ transmitted: 3, received: 2, lossPercent: 33, rtt: { min: 0.1, avg: 0.2, max: 0.4 } });
    expect(
      parsePingOutput(
        '2 packets transmitted, 2 packets received, 0.0% packet loss\nround-trip min/avg/max/stddev = 0.05/0.06/0.07/0.01 ms\n',
      ).rtt,
    ).toEqual({ min: 0.05, avg: 0.06, max: 0.07, mdev: 0.01 });
  });
});
