import {
  argvPrograms,
  argvTemplate,
  defineSettings,
  isPrefix,
  nonEmptyString,
  positiveInt,
  positiveNumber,
  z,
} from '@ffphoton/core';

const ifname = nonEmptyString.max(15);

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
  socket: nonEmptyString.default('/var/run/alfred.sock'),
  /** system.site_code (mwu fork `-s`). */
  siteCode: nonEmptyString.optional(),
  /** system.role; gateways announce `gateway`. */
  role: nonEmptyString.default('gateway'),
  /** Overrides the announced host name (default: photon.hostname, else the short host name). */
  hostname: nonEmptyString.optional(),
  location: z
    .strictObject({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      altitude: z.number().optional(),
    })
    .optional(),
  /** owner.contact. */
  contact: nonEmptyString.optional(),
  /** hardware.model (default: the CPU model from /proc/cpuinfo). */
  hardwareModel: nonEmptyString.optional(),
  /** Interfaces on which `respondd serve` joins the multicast groups (default: bridge and batman). */
  responddInterfaces: z.array(ifname).min(1).optional(),
});

export const alfredSettings = defineSettings(
  'alfred',
  'A.L.F.R.E.D.: meshes to announce, the node DNS zone and the meshviewer nodes.json',
  z.strictObject({
    meshes: z.array(meshSchema).default([]),
    /** The alfred client; `-u SOCK -s TYPE` / `-r TYPE` are appended. */
    command: argvTemplate.default(['alfred']),
    /** Seconds to wait for alfred (a secondary waits up to 10 s for its primary). */
    timeoutSeconds: positiveNumber.default(20),
    /**
     * What one node may send: records are written by anyone on the mesh. A Gluon node's record
     * inflates to 1–3 KiB; a larger one is refused as that node's problem (exit 5).
     */
    limits: z
      .strictObject({
        /** Decompressed bytes of one record. */
        recordBytes: z
          .number()
          .int()
          .positive()
          .default(256 * 1024),
        /** Decompressed bytes of all records of one run (every mesh and data type). */
        runBytes: z
          .number()
          .int()
          .positive()
          .default(64 * 1024 * 1024),
      })
      .prefault({}),
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
        file: nonEmptyString,
        /** Meshes whose alfred is read (default: all). */
        meshes: z.array(z.string()).optional(),
        /** Only addresses inside these prefixes are published (e.g. fd37:b4dc:4b1e::/64). */
        prefixes: z
          .array(z.string().refine(isPrefix, 'expected a prefix such as fd37:b4dc:4b1e::/64'))
          .min(1),
        ttl: positiveInt.default(300),
        nameservers: z.array(nonEmptyString).min(1),
        soa: z
          .strictObject({
            /** MNAME; default: the first name server. */
            primary: nonEmptyString.optional(),
            /** RNAME in zone-file form (`hostmaster.ffmz.org.`). */
            contact: nonEmptyString.default('hostmaster'),
            refresh: positiveInt.default(3600),
            retry: positiveInt.default(900),
            expire: positiveInt.default(604_800),
            minimum: positiveInt.default(300),
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
        nodesFile: nonEmptyString.default('/var/www/html/data/nodes.json'),
        nodelistFile: nonEmptyString.default('/var/www/html/data/nodelist.json'),
        /** Nodes not seen for this long are dropped (default 14 days). */
        maxAgeSeconds: positiveNumber.default(1_209_600),
        /** Last-seen state, relative to photon's data dir unless absolute. */
        stateFile: nonEmptyString.default('alfred/nodes-state.json'),
        /**
         * Most bytes nodes.json may have (10,000 real nodes take ~5 MB); beyond it the nodes
         * seen longest ago, then the biggest, are left out and reported (exit 5).
         */
        maxBytes: z
          .number()
          .int()
          .positive()
          .default(32 * 1024 * 1024),
      })
      .prefault({}),
    respondd: z
      .strictObject({
        /** UDP port of requests and answers (Gluon, mesh-announce and yanic use 1001). */
        port: z.number().int().min(1).max(65_535).default(1001),
        /** Multicast groups joined on every mesh's interfaces. */
        groups: z
          .array(z.string().regex(/^ff[0-9a-f]{2}:[0-9a-f:]+$/i, 'expected an IPv6 multicast group'))
          .default(['ff02::2:1001', 'ff05::2:1001']),
        /** Requests longer than this are ignored (a real one is under 40 bytes). */
        maxRequestBytes: z.number().int().min(16).max(1400).default(256),
        /** Answers longer than this are not sent (one UDP datagram). */
        maxAnswerBytes: z.number().int().min(512).max(65_507).default(65_000),
        /** Answers per second to one source address (a burst of twice as many). */
        answersPerSecondPerSource: positiveNumber.default(10),
        /** Answers per second in all (bounds the CPU a request flood costs). */
        answersPerSecond: positiveNumber.default(200),
        /** How long collected node data is reused for answers (statistics change slowly). */
        cacheSeconds: z.number().min(0).max(300).default(5),
      })
      .prefault({}),
    map: z
      .strictObject({
        /** Where `photon map` gets the node data: respondd queries, or alfred (158/159/160). */
        source: z.enum(['respondd', 'alfred']).default('respondd'),
        /** respondd: addresses, groups or interfaces asked (an interface: its ff02::2:1001). */
        targets: z.array(nonEmptyString).min(1).default(['ff05::2:1001']),
        /** respondd: seconds to collect answers. */
        timeoutSeconds: z.number().int().min(1).max(60).default(5),
        /** alfred: meshes whose alfred is read (default: all). */
        meshes: z.array(z.string()).optional(),
        meshviewerFile: nonEmptyString.default('/var/www/html/data/meshviewer.json'),
        graphFile: nonEmptyString.default('/var/www/html/data/graph.json'),
        /** nodes.json v2 for older maps (not written unless set: `alfred nodes` may own it). */
        nodesFile: nonEmptyString.optional(),
        /** Nodes not seen for this long are dropped (default 14 days). */
        maxAgeSeconds: positiveNumber.default(1_209_600),
        /** First/last seen of every node, relative to photon's data dir unless absolute. */
        stateFile: nonEmptyString.default('map/nodes-state.json'),
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
export type ResponddSettings = AlfredSettings['respondd'];
export type MapSettings = AlfredSettings['map'];
