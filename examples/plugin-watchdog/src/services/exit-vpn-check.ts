import { fillArgvTemplate, type Logger, type ServiceManager, type Shell } from '@ffphoton/core';
import type { WatchdogSettings } from '../settings.js';

export interface ExitVpnResult {
  interface: string;
  up: number;
  targets: number;
  ratio: number;
  connected: boolean;
  /** The batman gateway mode set on every mesh interface. */
  gatewayMode: 'server' | 'off';
  meshInterfaces: string[];
  dhcp: 'started' | 'stopped' | 'unchanged';
}

type ExitVpnSettings = WatchdogSettings['exitvpn'];

/**
 * check_exitvpn_gw.py: ping the targets through the exit VPN; when enough answer, announce
 * this gateway (batman gw_mode server) and make sure DHCP runs, otherwise withdraw it and stop
 * DHCP. The DHCP server is checked once, not once per community as in the script.
 */
export class ExitVpnCheck {
  constructor(
    private readonly shell: Shell,
    private readonly services: ServiceManager,
    private readonly logger: Logger,
  ) {}

  async run(settings: ExitVpnSettings): Promise<ExitVpnResult> {
    const answers = await Promise.all(
      settings.targets.map(async (target) => {
        const argv = fillArgvTemplate(settings.ping, {
          count: String(settings.count),
          interface: settings.interface,
          target,
        });
        return !(
          await this.shell.run(argv, { allowFailure: true, timeoutMs: (settings.count * 2 + 10) * 1000 })
        ).failed;
      }),
    );
    const up = answers.filter(Boolean).length;
    const ratio = settings.targets.length ? up / settings.targets.length : 0;
    const connected = ratio > settings.minRatio;
    this.logger.info(
      { up, targets: settings.targets.length, ratio },
      `exit VPN ${connected ? 'connected' : 'NOT connected'} (${up}/${settings.targets.length})`,
    );
    const gatewayMode = connected ? 'server' : 'off';
    for (const meshif of settings.meshInterfaces) {
      const template = connected ? settings.gwServer : settings.gwOff;
      await this.shell.run(fillArgvTemplate(template, { meshif, bandwidth: settings.bandwidth }), {
        mutates: true,
      });
    }
    return {
      interface: settings.interface,
      up,
      targets: settings.targets.length,
      ratio,
      connected,
      gatewayMode,
      meshInterfaces: settings.meshInterfaces,
      dhcp: await this.ensureDhcp(settings.dhcp, connected),
    };
  }

  /** Through photon's services (photon.services: start, stop, isActive), journaled like a restart. */
  private async ensureDhcp(dhcp: ExitVpnSettings['dhcp'], wanted: boolean): Promise<ExitVpnResult['dhcp']> {
    if ((await this.services.isActive(dhcp.unit)) === wanted) return 'unchanged';
    await (wanted ? this.services.start(dhcp.unit) : this.services.stop(dhcp.unit));
    return wanted ? 'started' : 'stopped';
  }
}
