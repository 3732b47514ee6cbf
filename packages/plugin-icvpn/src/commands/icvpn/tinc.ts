import { Args, Flags } from '@ffphoton/core';
import { IcvpnOutputCommand, outputFlags } from '../../services/icvpn-command.js';

export default class IcvpnTinc extends IcvpnOutputCommand<typeof IcvpnTinc> {
  static override summary =
    'Pull the tinc repository and write ConnectTo lines for the metanodes (replaces the post-merge hook)';
  static override description =
    'Exit codes: 0 done; 1 failed; 2 bad flags/settings; 3 no usable metanode or a bad metanodes file (old file kept).';
  static override kind = 'tinc' as const;
  static override args = {
    dir: Args.string({
      description: 'tinc network directory to read instead of the configured one (not pulled)',
    }),
  };
  static override flags = {
    print: outputFlags.print,
    target: outputFlags.target,
    mode: Flags.option({
      options: ['file', 'markers'] as const,
      summary: 'Whole file, or the marked block in tinc.conf.',
    })(),
  };

  static override examples = ['<%= config.bin %> icvpn tinc', '<%= config.bin %> icvpn tinc --dry-run'];

  protected options(): Record<string, unknown> {
    return { mode: this.flags.mode };
  }
}
