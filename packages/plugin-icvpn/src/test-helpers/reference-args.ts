import path from 'node:path';
import type { BgpOptions } from '../services/bgp-generator.js';
import type { DnsOptions } from '../services/dns-generator.js';
import type { RoaOptions } from '../services/roa-generator.js';
import type { DnsFormat } from '../settings.js';

export const TEST_DATA = path.resolve(import.meta.dirname, '../../test-data');

export interface ManifestEntry {
  file: string;
  tool: 'mkbgp' | 'mkroa' | 'mkdns';
  args: string[];
}

export type ToolOptions =
  | { tool: 'mkbgp'; options: BgpOptions; exclude: string[]; probeSeconds: number }
  | { tool: 'mkroa'; options: RoaOptions; exclude: string[] }
  | { tool: 'mkdns'; options: DnsOptions; exclude: string[] };

/** Translates a reference tool's argv (from a golden manifest) into this package's options. */
export function optionsFromReferenceArgs(entry: ManifestEntry): ToolOptions {
  const args = [...entry.args];
  const exclude: string[] = [];
  const templates: Record<string, string> = {};
  let family: 'ipv4' | 'ipv6' = 'ipv6';
  let format: string | undefined;
  const bgp: Partial<BgpOptions> = { prefix: '', interface: 'icvpn' };
  let probeSeconds = 3;
  let maxLength: number | undefined;
  let tableName: string | undefined;
  let filter: 'ipv4' | 'ipv6' | undefined;
  while (args.length > 0) {
    const arg = args.shift()!;
    const value = () => args.shift()!;
    switch (arg) {
      case '-4':
        family = 'ipv4';
        break;
      case '-6':
        family = 'ipv6';
        break;
      case '-f':
        format = value();
        break;
      case '-s':
        value();
        break;
      case '-x':
        exclude.push(value());
        break;
      case '-p':
        bgp.prefix = value();
        break;
      case '-d':
        bgp.defaultTemplate = value();
        break;
      case '-t': {
        const [community, template] = value().split(':');
        templates[community] = template;
        break;
      }
      case '-I':
        bgp.interface = value();
        break;
      case '-P':
        probeSeconds = Number(value());
        break;
      case '-m':
        maxLength = Number(value());
        break;
      case '--bird-table-name':
        tableName = value();
        break;
      case '--filter':
        filter = value() === 'v4' ? 'ipv4' : 'ipv6';
        break;
      default:
        throw new Error(`unknown reference argument ${arg}`);
    }
  }
  if (entry.tool === 'mkbgp') {
    const options = {
      ...bgp,
      family,
      templates,
      format: (format ?? 'bird') as BgpOptions['format'],
    } as BgpOptions;
    return { tool: 'mkbgp', options, exclude, probeSeconds };
  }
  if (entry.tool === 'mkroa')
    return { tool: 'mkroa', options: { family, maxLength, tableName, format: 'bird' }, exclude };
  return { tool: 'mkdns', options: { format: (format ?? 'dnsmasq') as DnsFormat, filter }, exclude };
}
