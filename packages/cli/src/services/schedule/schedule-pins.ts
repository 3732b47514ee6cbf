import path from 'node:path';
import {
  ConfigError,
  type FileStore,
  parseYaml,
  parseYamlDocument,
  readYaml,
  readYamlTextIfExists,
  type Settings,
} from '@ffphoton/core';

/** The pins file's name, beside the settings file that lists the fleet's hosts. */
export const PINS_FILE_NAME = 'schedule.pins';

/** One host's pinned weekdays, as read (host spelled as in the file). */
export interface HostPin {
  host: string;
  days: number[];
}

/** The weekdays `photon schedule pin` wrote, per weekday group. */
export interface SchedulePins {
  file: string;
  groups: Map<string, HostPin[]>;
  /** What was dropped while reading (a day outside 0–6 …), each naming file, line and key. */
  warnings: string[];
  /** The line of a key path in the file (the positions are parsed on first use: rarely needed). */
  lineOf(keys: (string | number)[]): number | undefined;
}

/**
 * Where the pins live: `schedule.pins` beside the settings file that lists `fleet.hosts` (else
 * the last one with a `fleet` key), as a task path (`--root` applies). Not `*.yaml`: a
 * `--config` directory reads every `*.yaml` in it as settings. Undefined when the fleet comes
 * from no file (the environment, or no fleet at all).
 */
export function pinsFileOf(settings: Pick<Settings, 'layers'>): string | undefined {
  const fleetOf = (data: Record<string, unknown>) => data.fleet as Record<string, unknown> | undefined;
  const files = settings.layers.filter((layer) => layer.kind !== 'env' && isMapping(fleetOf(layer.data)));
  const layer = files.findLast((l) => Object.hasOwn(fleetOf(l.data) ?? {}, 'hosts')) ?? files.at(-1);
  // Absolute, so that a relative `--config` path cannot point out of a `--root` sandbox.
  return layer && path.join(path.resolve(path.dirname(layer.file)), PINS_FILE_NAME);
}

/** The pins file, read as bounded input (4 MiB); undefined when it does not exist. */
export function readSchedulePins(files: Pick<FileStore, 'resolve'>, file: string): SchedulePins | undefined {
  const text = readYamlTextIfExists(files, file);
  return text === undefined ? undefined : parseSchedulePins(text, file);
}

/**
 * Parses the pins file. A broken file (YAML syntax, a top level or group that is no mapping, an
 * unknown key) is a ConfigError naming file, line and key (exit 2); a broken entry (a day that is
 * no weekday 0–6) only drops itself, with a warning.
 */
export function parseSchedulePins(text: string, file: string): SchedulePins {
  const data = readYaml(text, { source: file }) ?? {};
  let doc: ReturnType<typeof parseYamlDocument> | undefined;
  // The line of the last key itself (of a list item: the item), as the settings loader points.
  const lineOf = (keys: (string | number)[]): number | undefined => {
    doc ??= parseYamlDocument(text);
    const parent = (keys.length > 1 ? doc.getIn(keys.slice(0, -1), true) : doc.contents) as YamlNode;
    const last = keys.at(-1);
    const node =
      typeof last === 'number'
        ? parent?.items?.[last]
        : parent?.items?.find((item) => String(item?.key?.value) === last)?.key;
    return node?.range ? text.slice(0, node.range[0]).split('\n').length : undefined;
  };
  const fail = (detail: string, keys: (string | number)[]) =>
    new ConfigError(detail, { file, line: lineOf(keys) ?? 1, keyPath: keyPathOf(keys) });
  if (!isMapping(data)) throw fail('expected a mapping with the key "weekdays"', []);
  for (const key of Object.keys(data))
    if (key !== 'weekdays') throw fail(`unknown key "${key}" (expected "weekdays")`, [key]);
  const weekdays = data.weekdays ?? {};
  if (!isMapping(weekdays))
    throw fail('expected a mapping of weekday groups to hosts and their weekdays', ['weekdays']);
  const pins: SchedulePins = { file, groups: new Map(), warnings: [], lineOf };
  const warn = (detail: string, keys: (string | number)[]) =>
    pins.warnings.push(ConfigError.format(detail, { file, line: lineOf(keys), keyPath: keyPathOf(keys) }));
  for (const [group, hosts] of Object.entries(weekdays)) {
    const at = ['weekdays', group];
    if (!isMapping(hosts ?? {})) throw fail('expected a mapping of hosts to weekdays', at);
    const entries: HostPin[] = [];
    for (const [host, value] of Object.entries(hosts ?? {})) {
      const listed = Array.isArray(value) ? value : [value];
      const days = listed.filter((day, i) => {
        if (Number.isInteger(day) && day >= 0 && day <= 6) return true;
        const keys = Array.isArray(value) ? [...at, host, i] : [...at, host];
        warn(`${JSON.stringify(day)} is no weekday (0–6, 0 = Sunday); day dropped`, keys);
        return false;
      }) as number[];
      if (days.length) entries.push({ host, days: [...new Set(days)] });
      else if (listed.length === 0) warn('no weekday; pin dropped', [...at, host]);
    }
    pins.groups.set(group, entries);
  }
  return pins;
}

/** A warning about a pin the fleet cannot use (unknown group or host), naming file, line and key. */
export function pinWarning(pins: SchedulePins, detail: string, keys: string[]): string {
  const at = ['weekdays', ...keys];
  return ConfigError.format(detail, { file: pins.file, line: pins.lineOf(at), keyPath: keyPathOf(at) });
}

/** The pins file's text: each weekday group's hosts and their days, in fleet order. */
export function formatSchedulePins(groups: { group: string; days: Map<string, number[]> }[]): string {
  const lines = [
    '# photon schedule pins: the weekdays of every weekday group (0 = Sunday … 6 = Saturday).',
    '# Written by `photon schedule pin`; commit it beside the fleet settings. `schedule show`,',
    '# `crontab` and `systemd` keep these days and place only new hosts; a leaving host moves',
    '# at most one other. Run `photon schedule pin` again after changing fleet.hosts.',
    groups.length ? 'weekdays:' : 'weekdays: {}',
  ];
  for (const { group, days } of groups) {
    lines.push(`  ${yamlKey(group)}:${days.size ? '' : ' {}'}`);
    for (const [host, list] of days) lines.push(`    ${yamlKey(host)}: [${list.join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** A host or group name as a YAML key: plain unless YAML would read it as a number, boolean or null. */
const yamlKey = (name: string) =>
  (/^[A-Za-z][\w.-]*$/.test(name) && !/^(true|false|null)$/i.test(name)) || parseYaml(name) === name
    ? name
    : JSON.stringify(name);

const keyPathOf = (keys: (string | number)[]) =>
  keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('') || undefined;

/** The parts of a `yaml` node the positions need (the package's types are core's, not ours). */
type YamlNode =
  | { items?: ({ key?: { value?: unknown; range?: number[] }; range?: number[] } | undefined)[] }
  | null
  | undefined;

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
