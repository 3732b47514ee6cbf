import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { RunChanges } from '../journal/change-recorder.js';
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

describe('Ping options, checks and summaries', () => {
  /** A stand-in ping that answers with a canned iputils summary (exit 1 for hosts named down*). */
  function fakePing() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'photon-ping-'));
    const program = path.join(dir, 'fake-ping');
    writeFileSync(
      program,
      [
        '#!/bin/sh',
        'for last; do :; done',
        'case "$last" in down*) echo "1 packets transmitted, 0 received, 100% packet loss"; exit 1;; esac',
        'echo "4 packets transmitted, 3 received, 25% packet loss, time 3004ms"',
        'echo "rtt min/avg/max/mdev = 0.030/0.040/0.050/0.010 ms"',
      ].join('\n'),
    );
    chmodSync(program, 0o755);
    symlinkSync(program, `${program}6`);
    const changes = new RunChanges();
    const ping = new Ping(new Shell({ dryRun: false, defaultTimeoutMs: 10_000, recorder: changes }));
    return { program, changes, ping };
  }

  it('builds each argv from the options: ping6 for IPv6 (a zone too), -I, -s and the deadline', async () => {
    const { program, changes, ping } = fakePing();
    const summary = await ping.probe(['gw-1.example.org', 'fe80::1%lo', 'down.example.org'], {
      count: 4,
      interface: 'bat0',
      packetSize: 0,
      ping: program,
      ping6: `${program}6`,
    });
    expect(summary).toEqual({
      results: [
        {
          host: 'gw-1.example.org',
          up: true,
          transmitted: 4,
          received: 3,
          lossPercent: 25,
          rtt: { min: 0.03, avg: 0.04, max: 0.05, mdev: 0.01 },
        },
        {
          host: 'fe80::1%lo',
          up: true,
          transmitted: 4,
          received: 3,
          lossPercent: 25,
          rtt: { min: 0.03, avg: 0.04, max: 0.05, mdev: 0.01 },
        },
        {
          host: 'down.example.org',
          up: false,
          transmitted: 1,
          received: 0,
          lossPercent: 100,
          rtt: undefined,
        },
      ],
      up: 2,
      down: 1,
      ratio: 2 / 3,
    });
    // The hosts are pinged in parallel: the commands end in any order.
    const argvs = (from: number) =>
      changes.commands
        .slice(from)
        .map((c) => c.argv)
        .sort((a, b) => String(a.at(-1)).localeCompare(String(b.at(-1))));
    expect(argvs(0)).toEqual([
      [program, '-n', '-c', '4', '-w', '9', '-I', 'bat0', '-s', '0', 'down.example.org'],
      [`${program}6`, '-n', '-c', '4', '-w', '9', '-I', 'bat0', '-s', '0', 'fe80::1%lo'],
      [program, '-n', '-c', '4', '-w', '9', '-I', 'bat0', '-s', '0', 'gw-1.example.org'],
    ]);
    await ping.probe(['10.0.0.1', '2001:db8::1'], {
      count: 1,
      deadlineSeconds: 2,
      ping: program,
      ping6: '/bin/false',
    });
    expect(argvs(3)).toEqual([
      [program, '-n', '-c', '1', '-w', '2', '10.0.0.1'],
      ['/bin/false', '-n', '-c', '1', '-w', '2', '2001:db8::1'],
    ]);
  });

  it('no hosts: nothing up, a ratio of 0', async () => {
    expect(await fakePing().ping.probe([])).toEqual({ results: [], up: 0, down: 0, ratio: 0 });
  });

  it('refuses bad counts, packet sizes and host names before pinging anything', async () => {
    const { ping, changes } = fakePing();
    const refusal = (hosts: string[], options = {}) =>
      ping.probe(hosts, options).then(
        () => 'accepted',
        (error: Error) => error.message,
      );
    expect(
      await Promise.all([
        refusal(['a'], { count: 1.5 }),
        refusal(['a'], { count: -1 }),
        refusal(['a'], { packetSize: -1 }),
        refusal(['a'], { packetSize: 1.5 }),
        refusal(['ok', '']),
        refusal(['two words']),
        refusal(['_x']),
        refusal(['a;b']),
        refusal(['-c1']),
      ]),
    ).toEqual([
      'ping count must be a positive integer, not 1.5',
      'ping count must be a positive integer, not -1',
      'ping packet size must be a non-negative integer, not -1',
      'ping packet size must be a non-negative integer, not 1.5',
      'not a host name or address: ""',
      'not a host name or address: "two words"',
      'not a host name or address: "_x"',
      'not a host name or address: "a;b"',
      'not a host name or address: "-c1"',
    ]);
    expect(changes.commands).toEqual([]);
  });

  it('computes the loss from the counts when no loss line is there; no summary at all is 100 % loss', () => {
    expect(parsePingOutput('4 packets transmitted, 1 received\n')).toEqual({
      transmitted: 4,
      received: 1,
      lossPercent: 75,
      rtt: undefined,
    });
    expect(parsePingOutput('ping: unknown host\n')).toEqual({
      transmitted: 0,
      received: 0,
      lossPercent: 100,
      rtt: undefined,
    });
  });
});
