import type { ValidStatusSection } from '../status/status-section.js';
import type { MetricFamily } from './textfile.js';
import { TextfileDirectory } from './textfile.js';

/** The file the plugins' gauges go to. */
export const STATUS_METRICS_NAME = 'photon_status';

/** The gauges of the status sections as metric families, one per name, each sample labelled with the host. */
export function statusMetricFamilies(sections: readonly ValidStatusSection[], host: string): MetricFamily[] {
  const families = new Map<string, MetricFamily>();
  for (const section of sections) {
    for (const gauge of section.gauges ?? []) {
      let family = families.get(gauge.name);
      if (!family) {
        family = { name: gauge.name, help: gauge.help, type: 'gauge', samples: [] };
        families.set(gauge.name, family);
      }
      family.samples.push({ labels: { ...gauge.labels, host }, value: gauge.value });
    }
  }
  return [...families.values()];
}

/** Writes the gauges of the status sections to `<dir>/photon_status.prom`. */
export async function writeStatusMetrics(
  dir: string,
  sections: readonly ValidStatusSection[],
  host: string,
): Promise<string> {
  return new TextfileDirectory(dir).write(STATUS_METRICS_NAME, statusMetricFamilies(sections, host));
}
