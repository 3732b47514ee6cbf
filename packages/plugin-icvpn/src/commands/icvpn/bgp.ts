import { Flags } from '@ffphoton/core';
import { IcvpnOutputCommand, metaDirArg, outputFlags } from '../../services/icvpn-command.js';
import { templatesFromFlags } from '../../services/output-selection.js';

export default class IcvpnBgp extends IcvpnOutputCommand<typeof IcvpnBgp> {
  static override summary =
    'Generate bird/quagga BGP peers from icvpn-meta (mkbgp-compatible), validate, install, reload';
  static override description =
    'Runs the configured bgp outputs; option flags or --target define a single output instead. Exit codes: 0 done; 1 failed (no valid community); 2 bad flags/settings; 3 a generated file was rejected by its validator (old file kept); 5 done, but some community files were left out.';
  static override kind = 'bgp' as const;
  static override args = metaDirArg;
  static override flags = {
    ...outputFlags,
    family: Flags.option({ options: ['ipv4', 'ipv6'] as const, summary: 'Address family (mkbgp -4/-6).' })(),
    format: Flags.option({
      options: ['bird', 'bird2', 'quagga'] as const,
      summary: 'Output format (mkbgp -f).',
    })(),
    prefix: Flags.string({ char: 'p', summary: 'Protocol name prefix (mkbgp -p).' }),
    'default-template': Flags.string({
      char: 'd',
      summary: 'Default bird template / quagga peer-group (mkbgp -d).',
    }),
    template: Flags.string({
      char: 't',
      summary: 'COMMUNITY:TEMPLATE (repeatable, mkbgp -t).',
      multiple: true,
    }),
    interface: Flags.string({ char: 'I', summary: 'Interface for link-local peers (mkbgp -I).' }),
    'probe-timeout': Flags.string({
      char: 'P',
      summary: 'Seconds to wait for TCP 179; silent peers become passive (mkbgp -P).',
    }),
  };

  static override examples = [
    '<%= config.bin %> icvpn bgp',
    '<%= config.bin %> icvpn bgp --family ipv4 -p icvpn_ -d ebgp_icvpn --target /etc/bird/icvpn_ipv4_peers.conf  # as mkbgp -4 -f bird -p icvpn_ -d ebgp_icvpn',
  ];

  protected options(): Record<string, unknown> {
    const f = this.flags;
    return {
      family: f.family,
      format: f.format,
      prefix: f.prefix,
      defaultTemplate: f['default-template'],
      templates: templatesFromFlags(f.template),
      interface: f.interface,
      probeTimeoutSeconds: f['probe-timeout'] === undefined ? undefined : Number(f['probe-timeout']),
    };
  }
}
