import {
  argvPrograms,
  argvTemplate,
  defineSettings,
  nonEmptyString,
  nonNegativeInt,
  positiveInt,
  positiveNumber,
  z,
} from '@ffphoton/core';

const instanceName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]*$/, 'expected an instance name such as mzvpn-1406');

/** One fastd daemon on this gateway. */
export const fastdInstanceSchema = z.strictObject({
  /** Instance name (`fastd@<name>`), also the key in the published status JSON. */
  name: instanceName,
  /** The TAP interface; `fastd verify` maps fastd's $INTERFACE back to the instance with it. */
  interface: nonEmptyString.max(15),
  /** The file holding the active `peer limit N;` statement (fastd.conf or an included peer_limit.conf). */
  configFile: nonEmptyString,
  /**
   * The configuration fastd starts with, checked by `fastd --verify-config` before `limit` restarts it.
   * Default: fastd.conf beside configFile when it exists, else configFile.
   */
  fastdConfig: nonEmptyString.optional(),
  statusSocket: nonEmptyString,
  /** The `include peers from` directory that sync-keys fills; absent when keys are only checked by `on verify`. */
  peersDir: nonEmptyString.optional(),
  /** The key repository: a read-only mirror cloned to `local`. */
  peersRepo: z
    .strictObject({
      remote: nonEmptyString,
      local: nonEmptyString,
      branch: nonEmptyString.optional(),
    })
    .optional(),
  /** The service unit restarted by `limit` and signalled by `sync-keys`; default `fastd@<name>`. */
  unit: nonEmptyString.optional(),
});

export const fastdSettings = defineSettings(
  'fastd',
  'fastd instances, the distributed peer limit, key sync and the on-verify state',
  z
    .strictObject({
      instances: z.array(fastdInstanceSchema).default([]),
      limit: z
        .strictObject({
          /** Short host names of every gateway of the fleet, this one included. */
          gateways: z.array(nonEmptyString).max(1000).default([]),
          /** URL of a gateway's published status; `{gateway}` is replaced by its short host name. */
          statusUrl: z
            .string()
            .refine((url) => url.includes('{gateway}'), 'must contain {gateway}')
            .default('http://{gateway}/fastd_status.json'),
          /** Where this gateway publishes its own status for the others (served by the web server). */
          localStatusFile: nonEmptyString.default('/var/www/html/fastd_status.json'),
          additional: nonNegativeInt.max(10_000).default(8),
          /** The most peers one gateway can have: a remote count above it is refused as bad data. */
          maxPeers: z.number().int().min(1).max(1_000_000).default(65_535),
          maxDataAgeSeconds: positiveNumber.default(900),
          restartAfterUptimeSeconds: positiveNumber.default(43_200),
          fetchTimeoutMs: positiveInt.default(10_000),
        })
        .prefault({}),
      /** Overrides photon.services.restart for fastd (argv template, `{unit}` is replaced). */
      restartCommand: argvTemplate.optional(),
      /** Overrides photon.services.signal for fastd (argv template, `{unit}` and `{signal}` are replaced). */
      signalCommand: argvTemplate.optional(),
      /** The small precomputed file `fastd verify` reads on every handshake. */
      verifyStateFile: nonEmptyString.default('/var/lib/photon/fastd-verify.json'),
    })
    .superRefine(refuseConflictingClones),
  // The daemon itself, and what restarts or signals it when the services defaults are overridden.
  {
    programs: (fastd) => ['fastd', ...argvPrograms(fastd.restartCommand, fastd.signalCommand)],
    example: {
      instances: [
        {
          name: 'mzvpn-1406',
          interface: 'mzVPN',
          configFile: '/etc/fastd/mzvpn-1406/peer_limit.conf',
          statusSocket: '/var/run/fastd-mzvpn-1406.status',
          peersDir: '/etc/fastd/mzvpn-1406/peers',
          peersRepo: {
            remote: 'https://github.com/freifunk-mwu/peers-ffmz.git',
            local: '/var/lib/photon/clones/peers-ffmz',
          },
        },
      ],
      limit: { gateways: ['lotuswurzel', 'spinat'] },
    },
  },
);

export type FastdSettings = z.output<typeof fastdSettings.schema>;
export type FastdInstance = z.output<typeof fastdInstanceSchema>;

/** sync-keys updates a shared clone once for all its instances: it can mirror only one repository. */
function refuseConflictingClones(cfg: { instances: FastdInstance[] }, ctx: z.RefinementCtx): void {
  const first = new Map<string, number>();
  cfg.instances.forEach((instance, i) => {
    if (!instance.peersRepo) return;
    const { local, remote, branch } = instance.peersRepo;
    const j = first.get(local);
    if (j === undefined) {
      first.set(local, i);
      return;
    }
    const other = cfg.instances[j];
    if (other.peersRepo!.remote === remote && other.peersRepo!.branch === branch) return;
    ctx.addIssue({
      code: 'custom',
      path: ['instances', i, 'peersRepo', 'local'],
      message:
        `instances ${other.name} (fastd.instances[${j}].peersRepo.local) and ${instance.name} ` +
        `(fastd.instances[${i}].peersRepo.local) share the clone ${local} but name different ` +
        'remotes or branches; give them the same remote and branch, or different local directories',
    });
  });
}

/** The unit that restarts or signals an instance. */
export function unitOf(instance: FastdInstance): string {
  return instance.unit ?? `fastd@${instance.name}`;
}
