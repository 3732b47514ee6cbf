import { Flags } from '@ffphoton/core';
import { IcvpnOutputCommand, metaDirArg, outputFlags } from '../../services/icvpn-command.js';

export default class IcvpnRoa extends IcvpnOutputCommand<typeof IcvpnRoa> {
  static override summary =
    'Generate bird ROA tables from icvpn-meta (mkroa-compatible), validate, install, reload';
  static override description =
    'Runs the configured roa outputs; option flags or --target define a single output instead. Exit codes: 0 done; 1 failed; 2 bad flags/settings; 3 rejected by bird -p (old file kept); 5 some community files were left out.';
  static override kind = 'roa' as const;
  static override args = metaDirArg;
  static override flags = {
    ...outputFlags,
    family: Flags.option({ options: ['ipv4', 'ipv6'] as const, summary: 'Address family (mkroa -4/-6).' })(),
    format: Flags.option({
      options: ['bird', 'bird2'] as const,
      summary: 'bird 1 `roa` or bird 2 `route` lines.',
    })(),
    'max-length': Flags.integer({ char: 'm', summary: 'Max prefix length (mkroa -m; default 24/64).' }),
    'table-name': Flags.string({ summary: 'Wrap the entries in this table (mkroa --bird-table-name).' }),
  };

  static override examples = ['<%= config.bin %> icvpn roa', '<%= config.bin %> icvpn roa --json'];

  protected options(): Record<string, unknown> {
    const f = this.flags;
    return { family: f.family, format: f.format, maxLength: f['max-length'], tableName: f['table-name'] };
  }
}
