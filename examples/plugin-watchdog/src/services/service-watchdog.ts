import { CommandFailedError, type Logger, type ServiceManager, type Shell } from '@ffphoton/core';
import type { WatchdogSettings } from '../settings.js';

export interface ServiceState {
  name: string;
  unit: string;
  /** `up`: the check passed; `restarted`: it failed, the unit was restarted and the check passed again. */
  state: 'up' | 'restarted';
}

/**
 * check_bind_gw.py and check_radvd_gw.py in one: run each check, restart the unit when the
 * check fails, and check again. Unlike the scripts (exit 0 whatever happened), a restart that
 * does not bring the service back fails the run.
 */
export class ServiceWatchdog {
  constructor(
    private readonly shell: Shell,
    private readonly services: ServiceManager,
    private readonly logger: Logger,
  ) {}

  async check(watched: WatchdogSettings['services']): Promise<ServiceState[]> {
    const states: ServiceState[] = [];
    for (const service of watched) {
      const first = await this.shell.run(service.check, { allowFailure: true });
      if (!first.failed) {
        states.push({ name: service.name, unit: service.unit, state: 'up' });
        continue;
      }
      this.logger.warn(
        { service: service.name, output: (first.stderr || first.stdout).trim() },
        `${service.name} is down: restarting ${service.unit}`,
      );
      const restart = await this.services.restart(service.unit);
      if (!restart.skipped) {
        const again = await this.shell.run(service.check, { allowFailure: true });
        if (again.failed) throw new CommandFailedError(again);
      }
      states.push({ name: service.name, unit: service.unit, state: 'restarted' });
    }
    return states;
  }
}
