import { argvPrograms, argvTemplate, defineSettings, isPrefix, z } from '@ffphoton/core';

const ifname = z.string().min(1).max(15);

/** One mesh (community) this host serves: its interfaces, its alfred socket and static node data. */
export const meshSchema = z.strictObject({
  /** Short name used by `--mesh` and in messages (e.g. `mz`). */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'expected a short mesh name such as mz'),
  /** Client bridge (announce.sh `-i`); its addresses are announced as network.addresses. */
  bridge: ifname.optional(),
  /** batman-adv interface (announce.sh `-b`): node_id, network.mac, traffic. */
  batman: ifname.default('bat0'),
  /** fastd VPN interface (mwu fork `-f`): announced as the mesh interface. */
  fastd: ifname.optional(),
  /** The alfred daemon's UNIX socket of this mesh. */
  socket: z.string().min(1).default('/var/run/alfred.sock'),
  /** system.site_code (mwu fork `-s`). */
  siteCode: z.string().min(1).optional(),
  /** system.role; gateways announce `gateway`. */
  role: z.string().min(1).default('gateway'),
  /** Overrides the announced host name (default: photon.hostname, else the short host name). */
  hostname: z.string().min(1).optional(),
  location: z
    .strictObject({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      altitude: z.number().optional(),
    })
    .optional(),
  /** owner.contact. */
  contact: z.string().min(1).optional(),
  /** hardware.model (default: the CPU model from /proc/cpuinfo). */
  hardwareModel: z.string().min(1).optional(),
});

export const alfredSettings = defineSettings(
  'alfred',
  'A.L.F.R.E.D.: meshes to announce, the node DNS zone and the meshviewer nodes.json',
  z.strictObject({
    meshes: z.array(meshSchema).default([]),
    /** The alfred client; `-u SOCK -s TYPE` / `-r TYPE` are appended. */
    command: argvTemplate.default(['alfred']),
    /** Seconds to wait for alfred (a secondary waits up to 10 s for its primary). */
    timeoutSeconds: z.number().positive().default(20),
    announce: z
      .strictObject({
        /** `batctl`; `meshif BAT gwl -n` / `tl -n` are appended for gateway and client counts. */
        batctl: argvTemplate.default(['batctl']),
        /** Prints the fastd version (`fastd v22`). */
        fastdVersion: argvTemplate.default(['fastd', '-v']),
      })
      .prefault({}),
    zone: z
      .strictObject({
        /** Zone origin, e.g. `nodes.ffmz.org`. */
        name: z.string().regex(/^([A-Za-z0-9-]{1,63}\.)*[A-Za-z0-9-]{1,63}\.?$/, 'expected a DNS name'),
        file: z.string().min(1),
        /** Meshes whose alfred is read (default: all). */
        meshes: z.array(z.string()).optional(),
        /** Only addresses inside these prefixes are published (e.g. fd37:b4dc:4b1e::/64). */
        prefixes: z
          .array(z.string().refine(isPrefix, 'expected a prefix such as fd37:b4dc:4b1e::/64'))
          .min(1),
        ttl: z.number().int().positive().default(300),
        nameservers: z.array(z.string().min(1)).min(1),
        soa: z
          .strictObject({
            /** MNAME; default: the first name server. */
            primary: z.string().min(1).optional(),
            /** RNAME in zone-file form (`hostmaster.ffmz.org.`). */
            contact: z.string().min(1).default('hostmaster'),
            refresh: z.number().int().positive().default(3600),
            retry: z.number().int().positive().default(900),
            expire: z.number().int().positive().default(604_800),
            minimum: z.number().int().positive().default(300),
          })
          .prefault({}),
        /** Validator; `ZONE FILE` are appended. */
        checkCommand: argvTemplate.default(['named-checkzone']),
        /** Run after a changed zone was installed; `{zone}` is replaced. */
        reloadCommand: argvTemplate.default(['rndc', 'reload', '{zone}']),
      })
      .optional(),
    nodes: z
      .strictObject({
        /** Meshes whose alfred is read (default: all). */
        meshes: z.array(z.string()).optional(),
        nodesFile: z.string().min(1).default('/var/www/html/data/nodes.json'),
        nodelistFile: z.string().min(1).default('/var/www/html/data/nodelist.json'),
        /** Nodes not seen for this long are dropped (default 14 days). */
        maxAgeSeconds: z.number().positive().default(1_209_600),
        /** Last-seen state, relative to photon's data dir unless absolute. */
        stateFile: z.string().min(1).default('alfred/nodes-state.json'),
      })
      .prefault({}),
  }),
  {
    example: {
      meshes: [
        {
          name: 'mz',
          bridge: 'mzBR',
          batman: 'mzBAT',
          fastd: 'mzVPN',
          socket: '/var/run/alfred-mz.sock',
          siteCode: 'ffmz',
        },
      ],
    },
    programs: (alfred) =>
      argvPrograms(
        alfred.command,
        alfred.announce.batctl,
        alfred.announce.fastdVersion,
        alfred.zone?.checkCommand,
        alfred.zone?.reloadCommand,
      ),
  },
);

export type AlfredSettings = z.output<typeof alfredSettings.schema>;
export type MeshSettings = z.output<typeof meshSchema>;
export type ZoneSettings = NonNullable<AlfredSettings['zone']>;
export type NodesSettings = AlfredSettings['nodes'];
