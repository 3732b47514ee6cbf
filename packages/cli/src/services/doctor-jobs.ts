import { ConfigError, findProgram, messageOf, type SettingsNamespace } from '@ffphoton/core';
import type { DoctorCheck } from './doctor.js';
import type { PlannedJob } from './schedule/fleet-scheduler.js';

/** A photon command found for a job's argv: its id and the settings namespaces it reads. */
export interface FoundCommand {
  id: string;
  namespaces: SettingsNamespace[];
}

export interface JobCheckDeps {
  /** The photon command an argv (after `photon`) starts, plugins included; undefined when none. */
  findCommand: (args: string[]) => Promise<FoundCommand | undefined>;
  /** Validates a namespace (Settings.get); throws ConfigError naming file and key. */
  validate: (ns: SettingsNamespace) => void;
  env: NodeJS.ProcessEnv;
}

/**
 * One check per scheduled job of this host: a photon command must exist (plugins included) and
 * its settings namespaces validate; any other program must be an executable.
 */
export async function jobChecks(jobs: PlannedJob[], deps: JobCheckDeps): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  for (const job of jobs) {
    const check = `job ${job.name}`;
    const [program, ...args] = job.command;
    if (program === 'photon') {
      const shown = `photon ${args.join(' ')}`;
      const found = await deps.findCommand(args);
      if (!found) {
        checks.push({
          check,
          status: 'missing',
          detail: `${shown}: no such photon command (is its plugin installed?)`,
          neededBy: 'fleet',
        });
        continue;
      }
      const invalid = found.namespaces.flatMap((ns) => {
        try {
          deps.validate(ns);
          return [];
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          return [`settings ${ns.name}: ${messageOf(error)}`];
        }
      });
      checks.push(
        invalid.length
          ? { check, status: 'missing', detail: `${shown}: ${invalid.join('; ')}`, neededBy: 'fleet' }
          : { check, status: 'ok', detail: shown, neededBy: 'fleet' },
      );
      continue;
    }
    const found = await findProgram(program, deps.env);
    checks.push({
      check,
      status: found ? 'ok' : 'missing',
      detail: found
        ? `program ${found}`
        : `program ${program}: ${program.includes('/') ? 'not an executable file' : 'not found in PATH, /usr/sbin or /sbin'}`,
      neededBy: 'fleet',
    });
  }
  return checks;
}
