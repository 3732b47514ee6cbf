import { INPUT_LIMITS, messageOf, parseBoundedJson, type Shell, z } from '@ffphoton/core';
import type { TrafficBar } from './svg-chart.js';

const amount = z.number().nonnegative();
const date = z.looseObject({
  year: z.number().int(),
  month: z.number().int(),
  day: z.number().int().optional(),
});
const entry = z.looseObject({
  date,
  time: z.looseObject({ hour: z.number().int(), minute: z.number().int() }).optional(),
  rx: amount,
  tx: amount,
});
/** The part of vnstat 2's `--json` (jsonversion 2) that photon draws. */
const vnstatJson = z.looseObject({
  jsonversion: z.string(),
  interfaces: z.array(
    z.looseObject({
      name: z.string(),
      traffic: z.looseObject({
        total: z.looseObject({ rx: amount, tx: amount }),
        hour: z.array(entry).default([]),
        day: z.array(entry).default([]),
        month: z.array(entry).default([]),
        top: z.array(entry).default([]),
      }),
    }),
  ),
});
type Entry = z.output<typeof entry>;

export interface InterfaceTraffic {
  name: string;
  total: { rx: number; tx: number };
  hours: TrafficBar[];
  days: TrafficBar[];
  months: TrafficBar[];
  top: TrafficBar[];
}

export interface TrafficReport {
  interfaces: InterfaceTraffic[];
  /** Why an interface (or all of them) is missing from the page. */
  notes: string[];
}

export interface TrafficLimits {
  hours: number;
  days: number;
  months: number;
  topDays: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
const dayLabel = (e: Entry) => `${e.date.year}-${pad(e.date.month)}-${pad(e.date.day ?? 1)}`;
const bar = (label: string) => (e: Entry) => ({ label, rx: e.rx, tx: e.tx });

/** Reads every interface's counters from one `vnstat --json` run. */
export class VnstatReader {
  constructor(
    private readonly shell: Shell,
    private readonly argv: readonly string[],
    private readonly timeoutMs: number,
  ) {}

  async read(wanted: string[], limits: TrafficLimits): Promise<TrafficReport> {
    // nothing configured is a choice, not a problem: no vnstat run, no note
    if (wanted.length === 0) return { interfaces: [], notes: [] };
    const result = await this.shell.run(this.argv, {
      timeoutMs: this.timeoutMs,
      allowFailure: true,
      maxOutputBytes: INPUT_LIMITS.commandOutputBytes,
    });
    const command = this.argv.join(' ');
    if (result.failed) {
      const why = result.timedOut
        ? `timed out after ${Math.round(this.timeoutMs / 1000)} s`
        : result.notStarted
          ? 'could not be started (is vnstat installed?)'
          : `failed (exit ${result.exitCode ?? result.signal})`;
      // vnstat prints its errors on stdout
      const detail = (result.stderr.trim() || result.stdout.trim())
        .split('\n')
        .slice(0, 3)
        .join(' ')
        .slice(0, 300);
      return { interfaces: [], notes: [`${command} ${why}${detail ? `: ${detail}` : ''}`] };
    }
    let parsed: z.output<typeof vnstatJson>;
    try {
      parsed = vnstatJson.parse(parseBoundedJson(result.stdout));
    } catch (error) {
      // A depth refusal says why; a schema or syntax error would only repeat vnstat's output.
      const why = /nested deeper/.test(messageOf(error)) ? ` (${messageOf(error)})` : '';
      return {
        interfaces: [],
        notes: [`${command} printed no vnstat 2 JSON${why}; traffic cannot be shown.`],
      };
    }
    const byName = new Map(parsed.interfaces.map((i) => [i.name, i]));
    const report: TrafficReport = { interfaces: [], notes: [] };
    for (const name of wanted) {
      const found = byName.get(name);
      if (!found) {
        report.notes.push(`Interface ${name} is not in the vnstat database; skipped.`);
        continue;
      }
      const t = found.traffic;
      report.interfaces.push({
        name,
        total: { rx: t.total.rx, tx: t.total.tx },
        hours: t.hour.slice(-limits.hours).map((e) => bar(`${pad(e.time?.hour ?? 0)}h`)(e)),
        days: t.day.slice(-limits.days).map((e) => bar(dayLabel(e).slice(5))(e)),
        months: t.month.slice(-limits.months).map((e) => bar(`${e.date.year}-${pad(e.date.month)}`)(e)),
        top: [...t.top]
          .sort((a, b) => b.rx + b.tx - (a.rx + a.tx))
          .slice(0, limits.topDays)
          .map((e) => bar(dayLabel(e))(e)),
      });
    }
    return report;
  }
}

/** The configured interfaces plus each fastd instance's (from the raw `fastd` settings), without duplicates. */
export function trafficInterfaces(configured: string[], includeFastd: boolean, rawFastd: unknown): string[] {
  const names = [...configured];
  const instances = (rawFastd as { instances?: unknown } | undefined)?.instances;
  if (includeFastd && Array.isArray(instances)) {
    for (const instance of instances) {
      const name = (instance as { interface?: unknown } | null)?.interface;
      if (typeof name === 'string' && name.length > 0) names.push(name);
    }
  }
  return [...new Set(names)];
}
