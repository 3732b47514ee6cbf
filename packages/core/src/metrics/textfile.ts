import { promises as fsp } from 'node:fs';
import path from 'node:path';

/** One sample of a metric family: its labels and value. */
export interface MetricSample {
  labels: Record<string, string>;
  value: number;
}

/** A metric family in the Prometheus text exposition format. */
export interface MetricFamily {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: MetricSample[];
}

/** Prometheus metric and label names. */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const escapeLabel = (value: string) =>
  value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
const escapeHelp = (text: string) => text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** The exposition text of these families (HELP, TYPE, one line per sample). */
export function formatMetrics(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    if (!METRIC_NAME.test(family.name)) throw new Error(`invalid metric name "${family.name}"`);
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      const labels = Object.entries(sample.labels).map(([name, value]) => {
        if (!LABEL_NAME.test(name)) throw new Error(`invalid label name "${name}" of ${family.name}`);
        return `${name}="${escapeLabel(value)}"`;
      });
      lines.push(
        `${family.name}${labels.length ? `{${labels.join(',')}}` : ''} ${formatValue(sample.value)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The value of the first sample of `name` in an exposition text (undefined when absent or unreadable). */
export function sampleValue(text: string, name: string): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    return Number.isFinite(value) ? value : undefined;
  }
  return undefined;
}

/**
 * node_exporter's textfile collector directory: each file is replaced atomically (a temp file
 * without the .prom suffix, which the collector ignores, then a rename), so a scrape never reads
 * half a file.
 */
export class TextfileDirectory {
  constructor(private readonly dir: string) {}

  file(name: string): string {
    return path.join(this.dir, `${name.replace(/[^A-Za-z0-9_.-]/g, '-')}.prom`);
  }

  async read(name: string): Promise<string> {
    return fsp.readFile(this.file(name), 'utf8').catch(() => '');
  }

  async write(name: string, families: readonly MetricFamily[]): Promise<string> {
    const file = this.file(name);
    const temp = path.join(this.dir, `.${path.basename(file)}.${process.pid}.tmp`);
    await fsp.mkdir(this.dir, { recursive: true });
    try {
      await fsp.writeFile(temp, formatMetrics(families), { mode: 0o644 });
      await fsp.rename(temp, file);
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw error;
    }
    return file;
  }
}
