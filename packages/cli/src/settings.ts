import {
  argvPrograms,
  argvTemplate,
  defineSettings,
  nonEmptyString,
  nonNegativeInt,
  positiveInt,
  z,
} from '@ffphoton/core';

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'expected letters, digits, "_", "." or "-"');

const fleetHost = z.strictObject({
  /** The host name as `photon.hostname` (or the system) reports it; matched case-insensitively. */
  name,
  /** Roles such as `gw` and `srv`; jobs select hosts by role. */
  roles: z.array(name).default([]),
});

const fleetJob = z.strictObject({
  name,
  description: z.string().optional(),
  /** `all`, a role, or a list of host names. */
  hosts: z.union([name, z.array(name).min(1)]).default('all'),
  /** `["photon", "icvpn", "tinc"]` runs a photon task; anything else runs through `photon exec`. */
  command: argvTemplate,
  /**
   * `every 5m`, `every 2h`, `hourly`, `daily`, `weekly`, a cron expression (`U` as weekday = spread),
   * or `always`: a long-running service (a systemd unit restarted on failure; not in the crontab).
   */
  cadence: nonEmptyString,
  /** Time of day (`HH:MM`) for `daily` and `weekly`; minute (`:MM`) for `hourly`. */
  at: z
    .string()
    .regex(/^(\d{1,2})?:\d{2}$/, 'expected HH:MM or :MM')
    .optional(),
  spread: z.enum(['none', 'minute', 'weekday']).default('none'),
  /** Weekday jobs of one group share their days (the documentation's `U` for tinc, bird and bind). */
  group: name.optional(),
  /** Timeout of a non-photon program run through `photon exec`. */
  timeoutSeconds: positiveInt.optional(),
});

export type FleetHostSettings = z.output<typeof fleetHost>;
export type FleetJobSettings = z.output<typeof fleetJob>;

export const fleetSettings = defineSettings(
  'fleet',
  'The gateway fleet: hosts with roles and the jobs scheduled across them',
  z.strictObject({
    /** This host: a name in `hosts` or its index; default: found by host name. */
    self: z.union([name, nonNegativeInt]).optional(),
    hosts: z.array(fleetHost).default([]),
    jobs: z.array(fleetJob).default([]),
    /** How cron and systemd start photon, e.g. ["env", "PHOTON_DATA_DIR=/var/lib/photon", "/usr/local/bin/photon"]. */
    photon: argvTemplate.default(['photon']),
    /** Each job appends its JSON log to `<logDir>/<job>.log` (`$HOME` is expanded by cron's shell). */
    logDir: nonEmptyString.default('$HOME/.cronlog'),
    /** The crontab program (`-l` reads, `-` writes). */
    crontab: argvTemplate.default(['crontab']),
    /** `User=` of the generated systemd services (none: the unit manager's user). */
    systemdUser: name.optional(),
  }),
  // A job's own command runs only on its hosts (`photon schedule show` says which); not checked here.
  {
    programs: (fleet) => argvPrograms(fleet.photon, fleet.crontab),
    example: {
      hosts: [{ name: 'kaschu', roles: ['gw'] }],
      jobs: [
        { name: 'fastd-limit', hosts: 'gw', command: ['photon', 'fastd', 'limit'], cadence: 'every 5m' },
      ],
    },
  },
);

export type FleetSettings = z.output<typeof fleetSettings.schema>;

export const selfupgradeSettings = defineSettings(
  'selfupgrade',
  'photon selfupgrade: packages to update from npm and repositories to pull',
  z.strictObject({
    /** Run without a terminal (from cron); off, because an automatic upgrade of root's cron tool is risky. */
    allowUnattended: z.boolean().default(false),
    /** The npm program. */
    npm: argvTemplate.default(['npm']),
    /** Packages installed globally with `npm install -g <pkg>@<tag>`. */
    packages: z.array(nonEmptyString).default(['@ffphoton/cli']),
    /** The dist-tag or version to install (`next` for pre-releases). */
    tag: nonEmptyString.default('latest'),
    /** Updates the community plugins installed with `photon plugins install` (default: this photon's `plugins update`). */
    pluginsUpdate: argvTemplate.optional(),
    /** git working trees to pull (fetch with tags, fast-forward only, with the `git` settings), e.g. a clone of your community's scripts. */
    repositories: z.array(nonEmptyString).default([]),
  }),
  {
    programs: (upgrade) => argvPrograms(upgrade.npm, upgrade.pluginsUpdate),
    example: { repositories: ['/home/admin/clones/backend-scripts'] },
  },
);

export type SelfupgradeSettings = z.output<typeof selfupgradeSettings.schema>;
