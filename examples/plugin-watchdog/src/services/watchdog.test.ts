import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommandFailedError, photonSettings, ServiceManager, Shell, silentLogger } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { watchdogSettings } from '../settings.js';
import { ExitVpnCheck } from './exit-vpn-check.js';
import { ServiceWatchdog } from './service-watchdog.js';

const logger = silentLogger;
/** The service templates of photon's settings, these replaced. */
const templates = (services: Record<string, string[]>) => photonSettings.schema.parse({ services }).services;

/** A stand-in for batctl and systemctl that records its argv; `is-active` answers from a state file. */
function recorder() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'photon-watchdog-'));
  const log = path.join(dir, 'calls');
  const state = path.join(dir, 'dhcp-active');
  const bin = path.join(dir, 'record');
  writeFileSync(
    bin,
    `#!/bin/sh\necho "$*" >> ${log}\ncase "$*" in *is-active*) [ -e ${state} ];; *start*) touch ${state};; *stop*) rm -f ${state};; esac\n`,
  );
  chmodSync(bin, 0o755);
  const calls = () => {
    try {
      return readFileSync(log, 'utf8').trim().split('\n');
    } catch {
      return [];
    }
  };
  return { dir, bin, calls, activate: () => writeFileSync(state, '') };
}

const exitvpn = (bin: string, targets: string[]) =>
  watchdogSettings.schema.parse({
    exitvpn: {
      interface: 'lo',
      targets,
      count: 1,
      ping: ['ping', '-n', '-q', '-c', '{count}', '-W', '1', '-I', '{interface}', '{target}'],
      meshInterfaces: ['mzBAT', 'wiBAT'],
      gwServer: [bin, 'batctl', 'meshif', '{meshif}', 'gw_mode', 'server', '{bandwidth}'],
      gwOff: [bin, 'batctl', 'meshif', '{meshif}', 'gw_mode', 'off'],
    },
  }).exitvpn;

/** photon.services answering for the DHCP server through the recording stand-in. */
const dhcpServices = (shell: Shell, bin: string) =>
  new ServiceManager(
    shell,
    templates({
      isActive: [bin, 'is-active', '{unit}'],
      start: [bin, 'start', '{unit}'],
      stop: [bin, 'stop', '{unit}'],
    }),
  );

describe('ExitVpnCheck (real ping on loopback)', () => {
  const shell = new Shell({ dryRun: false, defaultTimeoutMs: 30_000 });

  it('announces the gateway and starts DHCP when enough targets answer', async () => {
    const { bin, calls } = recorder();
    // 2 of 3 answer (192.0.2.1 is TEST-NET, unreachable through lo): 0.67 > 0.6.
    const result = await new ExitVpnCheck(shell, dhcpServices(shell, bin), logger).run(
      exitvpn(bin, ['127.0.0.1', '127.0.0.2', '192.0.2.1']),
    );
    expect(result).toMatchObject({
      up: 2,
      targets: 3,
      connected: true,
      gatewayMode: 'server',
      dhcp: 'started',
    });
    expect(calls()).toEqual([
      'batctl meshif mzBAT gw_mode server 96MBit/96MBit',
      'batctl meshif wiBAT gw_mode server 96MBit/96MBit',
      'is-active isc-dhcp-server',
      'start isc-dhcp-server',
    ]);
  });

  it('withdraws the gateway and stops DHCP at or below the threshold', async () => {
    const { bin, calls, activate } = recorder();
    activate();
    const result = await new ExitVpnCheck(shell, dhcpServices(shell, bin), logger).run(
      exitvpn(bin, ['127.0.0.1', '192.0.2.1', '192.0.2.2']),
    );
    expect(result).toMatchObject({ up: 1, connected: false, gatewayMode: 'off', dhcp: 'stopped' });
    expect(calls()).toEqual([
      'batctl meshif mzBAT gw_mode off',
      'batctl meshif wiBAT gw_mode off',
      'is-active isc-dhcp-server',
      'stop isc-dhcp-server',
    ]);
  });

  it('leaves a running DHCP server alone while connected', async () => {
    const { bin, calls, activate } = recorder();
    activate();
    const result = await new ExitVpnCheck(shell, dhcpServices(shell, bin), logger).run(
      exitvpn(bin, ['127.0.0.1']),
    );
    expect(result.dhcp).toBe('unchanged');
    expect(calls().at(-1)).toBe('is-active isc-dhcp-server');
  });

  it('changes nothing in dry-run', async () => {
    const { bin, calls } = recorder();
    const dry = new Shell({ dryRun: true, defaultTimeoutMs: 30_000 });
    const result = await new ExitVpnCheck(dry, dhcpServices(dry, bin), logger).run(
      exitvpn(bin, ['127.0.0.1']),
    );
    expect(result.connected).toBe(true);
    expect(calls()).toEqual(['is-active isc-dhcp-server']);
  });
});

describe('ServiceWatchdog', () => {
  const shell = new Shell({ dryRun: false, defaultTimeoutMs: 30_000 });

  it('restarts a service whose check fails (real rndc without a running named) and reports the rest as up', async () => {
    const { bin, calls } = recorder();
    // rndc fails (no named, no key); the "restart" makes the second check (a marker file) pass.
    const marker = path.join(os.tmpdir(), `photon-watchdog-bind-${process.pid}`);
    const check = ['sh', '-c', `[ -e ${marker} ] || rndc -s 127.0.0.1 -p 1 status`];
    const restart = [bin, 'restart', '{unit}'];
    const restarting = new ServiceManager(
      shell,
      templates({ reload: restart, restart: ['sh', '-c', `touch ${marker}; ${bin} restart "$0"`, '{unit}'] }),
    );
    const states = await new ServiceWatchdog(shell, restarting, logger).check([
      { name: 'bind', check, unit: 'bind9' },
      { name: 'always-up', check: ['true'], unit: 'up' },
    ]);
    expect(states).toEqual([
      { name: 'bind', unit: 'bind9', state: 'restarted' },
      { name: 'always-up', unit: 'up', state: 'up' },
    ]);
    expect(calls()).toEqual(['restart bind9']);
  });

  it('fails when the restart does not bring the service back', async () => {
    const { bin } = recorder();
    const services = new ServiceManager(shell, templates({ restart: [bin, 'restart', '{unit}'] }));
    await expect(
      new ServiceWatchdog(shell, services, logger).check([
        { name: 'bind', check: ['rndc', '-s', '127.0.0.1', '-p', '1', 'status'], unit: 'bind9' },
      ]),
    ).rejects.toThrow(CommandFailedError);
  });
});
