import { ConfigError, TaskCommand, type TaskContext } from '@ffphoton/core';
import { ExitVpnCheck, type ExitVpnResult } from '#src/services/exit-vpn-check.js';
import { watchdogSettings } from '#src/settings.js';

export default class WatchdogExitVpn extends TaskCommand<typeof WatchdogExitVpn, ExitVpnResult> {
  static override summary =
    'Ping through the exit VPN; announce this gateway and run DHCP only while it works.';
  static override description =
    'Exit 0 after setting the gateway mode (server or off) and DHCP, 1 when batctl or the DHCP service fails, 2 for bad settings.';
  static override settings = [watchdogSettings];

  static override examples = [
    '<%= config.bin %> watchdog exitvpn',
    '<%= config.bin %> watchdog exitvpn --dry-run',
  ];

  protected async execute(ctx: TaskContext): Promise<ExitVpnResult> {
    const settings = ctx.settings.get(watchdogSettings).exitvpn;
    if (settings.targets.length === 0)
      throw new ConfigError('no ping targets configured', { keyPath: 'watchdog.exitvpn.targets' });
    return new ExitVpnCheck(ctx.shell, ctx.services, ctx.logger).run(settings);
  }

  protected summarize(r: ExitVpnResult): string {
    return `exit VPN ${r.connected ? 'up' : 'down'} (${r.up}/${r.targets}): gw_mode ${r.gatewayMode} on ${r.meshInterfaces.join(', ')}, DHCP ${r.dhcp}`;
  }
}
