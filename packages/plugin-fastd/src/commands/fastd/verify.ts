import { Args, Flags, PhotonError, ReadOnlyTaskCommand, type TaskContext } from '@ffphoton/core';
import { fastdSettings } from '../../settings.js';
import { decideVerify, readVerifyState, type VerifyVerdict } from '../../verify-state.js';

/** A refused peer: exit 1, which fastd's `on verify` reads as "reject". */
export class PeerRefusedError extends PhotonError {
  override readonly code = 'PEER_REFUSED';
}

export default class FastdVerify extends ReadOnlyTaskCommand<typeof FastdVerify, VerifyVerdict> {
  static override summary = "Decide fastd's on-verify hook: known key and instance below its limit";
  static override description =
    'Exit codes: 0 accept; 1 refuse (unknown key, limit reached, no state yet). Reads only fastd.verifyStateFile. ' +
    'For the hook itself prefer the lean `photon-fastd-verify --state FILE $PEER_KEY` binary (same decision, no CLI start-up).';
  static override settings = [fastdSettings];
  static override args = {
    key: Args.string({ required: true, description: "the peer's public key ($PEER_KEY)" }),
  };
  static override flags = {
    instance: Flags.string({
      summary: 'instance name (default: the one whose interface is $INTERFACE, or the only one)',
    }),
  };

  protected async execute(ctx: TaskContext): Promise<VerifyVerdict> {
    const cfg = ctx.settings.get(fastdSettings);
    const state = readVerifyState(ctx.files.resolve(cfg.verifyStateFile));
    const verdict = decideVerify(state, this.args.key, {
      instance: this.flags.instance,
      interface: process.env.INTERFACE,
    });
    if (!verdict.accept) throw new PeerRefusedError(`peer ${this.args.key} refused: ${verdict.reason}`);
    return verdict;
  }

  protected summarize(v: VerifyVerdict): string {
    return `fastd verify: accepted for ${v.accept ? v.instance : '-'}`;
  }
}
