import {
  argvPrograms,
  argvTemplate,
  defineSettings,
  nonEmptyString,
  positiveNumber,
  z,
} from '@ffphoton/core';

const absolutePath = z.string().startsWith('/', 'expected an absolute path');

const link = z.strictObject({ href: nonEmptyString, text: nonEmptyString });

/** A command shown on the system page; `title` defaults to the argv joined by spaces. */
const systemCommand = z.strictObject({ title: nonEmptyString.optional(), argv: argvTemplate });

const defaultSystemCommands = [
  ['uptime'],
  ['hostname', '-i'],
  ['df', '-h'],
  ['free', '-h'],
  ['who', '-H'],
].map((argv) => ({ argv }));

export const webSettings = defineSettings(
  'web',
  'The gateway status site (landing, system, traffic pages, health) and the account-expiry digest',
  z.strictObject({
    /** The web server's document root; the site is written here. */
    root: absolutePath.default('/var/www/html'),
    /** Prefix of every page title and header (the original hard-coded "ffmwu"). */
    brand: nonEmptyString.default('Freifunk'),
    /** Page heading after the brand; default: the host name. */
    title: nonEmptyString.optional(),
    /** Extra links on the landing page, always shown. */
    links: z.array(link).default([]),
    /** Links shown only when `href` exists under the web root (firmware mirrors and the like). */
    discover: z.array(link).default([
      { href: 'firmware', text: 'Firmware' },
      { href: '_archive', text: 'Firmware Archive' },
      { href: 'fastd_status.json', text: 'fastd status (JSON)' },
    ]),
    system: z
      .strictObject({
        commands: z.array(systemCommand).default(defaultSystemCommands),
        /** A command still running after this is killed and shown as timed out. */
        timeoutSeconds: positiveNumber.default(10),
      })
      .prefault({}),
    traffic: z
      .strictObject({
        interfaces: z.array(nonEmptyString).default([]),
        /** Add the interface of every instance in the `fastd` settings. */
        includeFastdInterfaces: z.boolean().default(true),
        /** Must print vnstat 2's JSON for all interfaces (add `--config FILE` for another database). */
        vnstat: argvTemplate.default(['vnstat', '--json']),
        timeoutSeconds: positiveNumber.default(30),
        hours: z.number().int().min(1).max(72).default(24),
        days: z.number().int().min(1).max(90).default(30),
        months: z.number().int().min(1).max(36).default(12),
        topDays: z.number().int().min(1).max(31).default(10),
      })
      .prefault({}),
    /** How long one plugin may take to report its `photon:status` section. */
    statusTimeoutSeconds: positiveNumber.default(10),
    accounts: z
      .strictObject({
        /** The accounts YAML (e.g. exitvpn.yaml in the configs repository). */
        file: absolutePath.optional(),
        /** Digest recipients; default: the `mail` settings' recipients. */
        to: z.array(nonEmptyString).default([]),
        cc: z.array(nonEmptyString).default([]),
        subject: nonEmptyString.default('photon account expiry'),
        /** A hint printed at the end of every digest (where to update the file). */
        footer: z.string().optional(),
      })
      .prefault({}),
  }),
  {
    programs: (web) => argvPrograms(web.traffic.vnstat, ...web.system.commands.map((c) => c.argv)),
    example: {
      links: [{ href: 'https://map.freifunk-mwu.de/', text: 'Node map' }],
      traffic: { interfaces: ['eth0'] },
      accounts: { to: ['admin@example.org'], cc: ['kontakt@example.org'] },
    },
  },
);

export type WebSettings = z.output<typeof webSettings.schema>;
