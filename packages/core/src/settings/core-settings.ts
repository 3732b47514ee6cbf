import { defineSettings } from './namespace.js';
import { nonEmptyString, positiveNumber, z } from './zod.js';

/** An argv template: `{unit}`, `{signal}` … are replaced per element, never through a shell. */
export const argvTemplate = z.array(nonEmptyString).min(1);

/**
 * The programs argv templates start: each template's first word and, behind `sudo` or `env`,
 * the program those start. Words with a `{placeholder}` are left out (known only at run time).
 */
export function argvPrograms(...argvs: (readonly string[] | false | undefined)[]): string[] {
  const programs = new Set<string>();
  for (const argv of argvs) {
    if (!argv) continue;
    for (let i = 0; i < argv.length && !argv[i].includes('{'); ) {
      programs.add(argv[i]);
      const wrapper = argv[i].split('/').pop();
      if (wrapper !== 'sudo' && wrapper !== 'env') break;
      i += 1;
      // Options (sudo's -u/-g take a value) and env's NAME=value come before the program.
      while (i < argv.length && (argv[i].startsWith('-') || (wrapper === 'env' && argv[i].includes('=')))) {
        i += wrapper === 'sudo' && /^-[ugCDhpRrTU]$/.test(argv[i]) ? 2 : 1;
      }
    }
  }
  return [...programs];
}

export const photonSettings = defineSettings(
  'photon',
  'Runtime: host name, data and lock directories, journal, timeouts, service actions',
  z.strictObject({
    /** Overrides the short host name (gateways are often named differently from their DNS name). */
    hostname: z
      .string()
      .max(63, 'expected a short host name of at most 63 characters')
      .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'expected a short host name')
      .optional(),
    /** Journal and state; default: $PHOTON_DATA_DIR, else ~/.local/share/photon. */
    dataDir: z.string().optional(),
    /** Task locks; default: <dataDir>/locks. */
    lockDir: z.string().optional(),
    journal: z.strictObject({ keep: z.number().int().min(1).default(50) }).prefault({}),
    /** Prometheus: node_exporter's textfile collector directory; each task run rewrites its .prom file there. Off when unset. */
    metrics: z.strictObject({ textfileDir: z.string().optional() }).prefault({}),
    /** Default timeout of an external command. */
    commandTimeoutSeconds: positiveNumber.default(120),
    /** How services are reloaded, restarted, signalled, started, stopped and asked (systemd by default). */
    services: z
      .strictObject({
        reload: argvTemplate.default(['systemctl', 'reload', '{unit}']),
        restart: argvTemplate.default(['systemctl', 'restart', '{unit}']),
        signal: argvTemplate.default(['systemctl', 'kill', '--signal={signal}', '{unit}']),
        start: argvTemplate.default(['systemctl', 'start', '{unit}']),
        stop: argvTemplate.default(['systemctl', 'stop', '{unit}']),
        /** Exits 0 while the unit runs. */
        isActive: argvTemplate.default(['systemctl', 'is-active', '--quiet', '{unit}']),
        sudo: z.boolean().default(false),
      })
      .prefault({}),
  }),
  {
    programs: ({ services: s }) => [
      ...(s.sudo ? ['sudo'] : []),
      ...argvPrograms(s.reload, s.restart, s.signal, s.start, s.stop, s.isActive),
    ],
  },
);
