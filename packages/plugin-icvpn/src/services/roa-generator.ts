import { familyOf, type IpFamily } from '@ffphoton/core';
import type { Community } from './community.js';
import { generatedHeader } from './header.js';

export interface RoaOptions {
  family: IpFamily;
  /** Each entry gets max(prefix length, maxLength); mkroa's defaults are 24 (v4) and 64 (v6). */
  maxLength?: number;
  /** Wrap the entries in a table definition (bird 1: `roa table T { … }`). */
  tableName?: string;
  /** `bird` (bird 1 `roa` lines) or `bird2` (`route … max … as …;` lines for a static roa protocol). */
  format: 'bird' | 'bird2';
}

interface RoaEntry {
  prefix: string;
  max: number;
  asn: number;
  comment: string;
}

const DEFAULT_MAX: Record<IpFamily, number> = { ipv4: 24, ipv6: 64 };

const ROA_HEADER = [
  generatedHeader().split('\n').slice(0, 2).join('\n'),
  '# You need to add the surrounding roa table statement yourself.',
  '# So Include it via:',
  '#   roa table icvpn { include "roa.con?" }',
  '# ',
].join('\n');

function prefixLength(prefix: string): number {
  return Number(prefix.slice(prefix.indexOf('/') + 1));
}

/** mkroa's entries: networks sorted as strings, then delegations (file order) under the delegate ASN. */
export function selectRoaEntries(communities: readonly Community[], options: RoaOptions): RoaEntry[] {
  const maxLength = options.maxLength ?? DEFAULT_MAX[options.family];
  const entries: RoaEntry[] = [];
  for (const c of communities) {
    const networks = c.networks?.[options.family];
    if (!networks || c.asn === undefined) continue;
    for (const prefix of [...networks].sort()) {
      entries.push({ prefix, max: Math.max(prefixLength(prefix), maxLength), asn: c.asn, comment: c.name });
    }
    for (const delegation of c.delegate ?? []) {
      for (const prefix of delegation.prefixes) {
        if (familyOf(prefix.slice(0, prefix.indexOf('/'))) !== options.family) continue;
        entries.push({
          prefix,
          max: Math.max(prefixLength(prefix), maxLength),
          asn: delegation.asn,
          comment: `${c.name} (delegation)`,
        });
      }
    }
  }
  return entries;
}

export function renderRoa(communities: readonly Community[], options: RoaOptions): string {
  const entries = selectRoaEntries(communities, options);
  const netWidth = Math.max(0, ...entries.map((e) => e.prefix.length));
  const asnWidth = Math.max(0, ...entries.map((e) => String(e.asn).length));
  const keyword = options.format === 'bird2' ? 'route' : 'roa';
  const lines = entries.map(
    (e) =>
      `${keyword} ${e.prefix.padEnd(netWidth)} max ${String(e.max).padStart(3)} as ${String(e.asn).padStart(asnWidth)}; # ${e.comment}`,
  );
  if (options.tableName === undefined) return `${[ROA_HEADER, ...lines].join('\n')}\n`;
  const indented = lines.map((line) => `\t${line}`);
  if (options.format === 'bird')
    return `${[`roa table ${options.tableName} {`, ...indented, '}'].join('\n')}\n`;
  const table = `${options.family === 'ipv4' ? 'roa4' : 'roa6'}`;
  return `${[
    `${table} table ${options.tableName};`,
    `protocol static ${options.tableName}_static {`,
    `\t${table} { table ${options.tableName}; };`,
    ...indented,
    '}',
  ].join('\n')}\n`;
}
