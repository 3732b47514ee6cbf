import type { TaskContext } from '@ffphoton/core';
import type { FleetSettings } from '../../settings.js';
import { type FleetSchedule, FleetScheduler } from './fleet-scheduler.js';
import { pinsFileOf, readSchedulePins } from './schedule-pins.js';

/**
 * The fleet schedule every schedule command uses (show, crontab, systemd, pin): with the pins
 * file beside the fleet settings when it exists, stateless without. Pins the fleet cannot use
 * are dropped, each with a warning.
 */
export function pinnedSchedule(
  ctx: Pick<TaskContext, 'settings' | 'files' | 'logger'>,
  fleet: FleetSettings,
): { schedule: FleetSchedule; pinsFile?: string } {
  const pinsFile = pinsFileOf(ctx.settings);
  const pins = pinsFile === undefined ? undefined : readSchedulePins(ctx.files, pinsFile);
  const schedule = new FleetScheduler(fleet, pins).schedule();
  for (const warning of schedule.pins?.warnings ?? []) ctx.logger.warn(`schedule pins: ${warning}`);
  return { schedule, ...(pinsFile === undefined ? {} : { pinsFile }) };
}
