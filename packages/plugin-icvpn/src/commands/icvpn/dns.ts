import { Flags } from '@ffphoton/core';
import { IcvpnOutputCommand, metaDirArg, outputFlags } from '../../services/icvpn-command.js';
import { DNS_FORMATS } from '../../settings.js';

export default class IcvpnDns extends IcvpnOutputCommand<typeof IcvpnDns> {
  static override summary =
    'Generate DNS forwarding for the ICVPN zones (mkdns-compatible), validate, install, reload';
  static override description =
    'Formats bind (static-stub), bind-forward, unbound, dnsmasq, pdns. Exit codes: 0 done; 1 failed; 2 bad flags/settings; 3 rejected by named-checkconf/unbound-checkconf (old file kept); 5 some community files were left out.';
  static override kind = 'dns' as const;
  static override args = metaDirArg;
  static override flags = {
    ...outputFlags,
    format: Flags.option({ options: DNS_FORMATS, char: 'f', summary: 'Output format (mkdns -f).' })(),
    filter: Flags.option({
      options: ['ipv4', 'ipv6'] as const,
      summary: 'Only nameservers of this family (mkdns --filter).',
    })(),
  };

  static override examples = ['<%= config.bin %> icvpn dns', '<%= config.bin %> icvpn dns --dry-run'];

  protected options(): Record<string, unknown> {
    return { format: this.flags.format, filter: this.flags.filter };
  }
}
