import {
  argvPrograms,
  argvTemplate,
  defineSettings,
  nonEmptyString,
  nonNegativeInt,
  positiveInt,
  repositorySchema,
  z,
} from '@ffphoton/core';
import { outputCommands } from './services/output-commands.js';

/** mkdns's output formats. Defined here, not in the generator: every photon run loads settings modules. */
export const DNS_FORMATS = ['dnsmasq', 'bind', 'bind-forward', 'unbound', 'pdns'] as const;
export type DnsFormat = (typeof DNS_FORMATS)[number];

/** The largest real community file is about 2 KiB; anything far bigger is refused unread. */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024;

/** A bird symbol / quagga peer-group: these reach the generated files, so a strict set. */
const symbol = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a bird symbol such as ebgp_icvpn');
const family = z.enum(['ipv4', 'ipv6']);

/**
 * What every output shares: where it goes, how it is checked before it replaces the old file,
 * and what is told afterwards. `validate`/`reload` are argv templates (`{file}`: the candidate
 * file, `{config}`: a minimal config that includes it, `{network}`: the tinc network);
 * `false` turns the step off, absent means the default of the kind.
 */
const common = {
  target: nonEmptyString,
  validate: z.union([argvTemplate, z.literal(false)]).optional(),
  reload: z.union([argvTemplate, z.literal(false)]).optional(),
};

export const bgpOutputSchema = z.strictObject({
  kind: z.literal('bgp'),
  ...common,
  family,
  format: z.enum(['bird', 'bird2', 'quagga']).default('bird'),
  prefix: z.union([symbol, z.literal('')]).default('icvpn_'),
  defaultTemplate: symbol.default('ebgp_icvpn'),
  /** community name → template, e.g. `{delta: ebgp_icvpn_as4}` (mkbgp -t). */
  templates: z.record(z.string(), symbol).default({}),
  /** Appended as `%interface` to link-local IPv6 peers (mkbgp -I). */
  interface: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,15}$/)
    .default('icvpn'),
  /** Peers that do not accept TCP 179 within this time are written `passive` (mkbgp -P); 0: no probe. */
  probeTimeoutSeconds: z.number().min(0).max(60).default(0),
});

export const roaOutputSchema = z.strictObject({
  kind: z.literal('roa'),
  ...common,
  family,
  format: z.enum(['bird', 'bird2']).default('bird'),
  /** mkroa -m; default 24 (IPv4) / 64 (IPv6). */
  maxLength: nonNegativeInt.max(128).optional(),
  tableName: symbol.optional(),
});

export const dnsOutputSchema = z.strictObject({
  kind: z.literal('dns'),
  ...common,
  format: z.enum(DNS_FORMATS).default('bind'),
  filter: family.optional(),
});

export const tincOutputSchema = z.strictObject({
  kind: z.literal('tinc'),
  ...common,
  /** `file`: the target holds only the ConnectTo lines (conf.d/connects.conf); `markers`: replace the block between photon's markers in tinc.conf. */
  mode: z.enum(['file', 'markers']).default('file'),
});

export const outputSchema = z.discriminatedUnion('kind', [
  bgpOutputSchema,
  roaOutputSchema,
  dnsOutputSchema,
  tincOutputSchema,
]);

export const icvpnSettings = defineSettings(
  'icvpn',
  'InterCity VPN: icvpn-meta and tinc repositories, generated bird/DNS/tinc files',
  z.strictObject({
    // Core's repository spec; without `remote` the directory is used as it is (never cloned or pulled).
    meta: repositorySchema.prefault({
      remote: 'https://github.com/freifunk/icvpn-meta',
      dir: '/var/lib/photon/icvpn-meta',
    }),
    tinc: repositorySchema
      .extend({
        network: z
          .string()
          .regex(/^[A-Za-z0-9_]+$/)
          .default('icvpn'),
      })
      .prefault({ remote: 'https://github.com/freifunk/icvpn', dir: '/etc/tinc/icvpn' }),
    /** Pull both repositories before generating (clone when missing). */
    pull: z.boolean().default(true),
    /** This gateway's tinc node name: no ConnectTo to itself. */
    nodeName: z
      .string()
      .regex(/^[A-Za-z0-9_]+$/)
      .optional(),
    /** Communities left out of every output (own community); values may be comma lists. */
    exclude: z.array(nonEmptyString).default([]),
    /** Accept link-local (fe80::/10) BGP peers, which icvpn-meta's check rejects. */
    allowLinkLocal: z.boolean().default(false),
    /** Community files above this size are refused unread. */
    maxFileBytes: positiveInt.default(DEFAULT_MAX_FILE_BYTES),
    outputs: z.array(outputSchema).default([]),
  }),
  {
    example: {
      exclude: ['mwu'],
      outputs: [
        {
          kind: 'bgp',
          family: 'ipv4',
          target: '/etc/bird/icvpn_ipv4_peers.conf',
          defaultTemplate: 'ebgp_icvpn',
        },
      ],
    },
    programs: (icvpn) => [
      'git',
      ...argvPrograms(
        ...icvpn.outputs.flatMap((output) => {
          const { validate, reload } = outputCommands(output);
          return [validate, reload];
        }),
      ),
    ],
  },
);

export type IcvpnSettings = z.output<typeof icvpnSettings.schema>;
export type OutputSpec = z.output<typeof outputSchema>;
export type BgpOutput = z.output<typeof bgpOutputSchema>;
export type RoaOutput = z.output<typeof roaOutputSchema>;
export type DnsOutput = z.output<typeof dnsOutputSchema>;
export type TincOutput = z.output<typeof tincOutputSchema>;
