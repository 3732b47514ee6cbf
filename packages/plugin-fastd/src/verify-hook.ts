#!/usr/bin/env node
// fastd's `on verify` hook:  on verify "photon-fastd-verify --state FILE $PEER_KEY";
// Exit 0 accepts the peer. Runs on every handshake, so it loads no CLI framework, no
// settings and no DI — only verify-state.js (node:fs).
import { decideVerify, readVerifyState } from './verify-state.js';

const DEFAULT_STATE = '/var/lib/photon/fastd-verify.json';

function main(argv: string[], env: NodeJS.ProcessEnv): number {
  let state = env.PHOTON_FASTD_VERIFY_STATE ?? DEFAULT_STATE;
  let instance: string | undefined;
  let key: string | undefined = env.PEER_KEY;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--state') state = argv[++i];
    else if (argv[i] === '--instance') instance = argv[++i];
    else key = argv[i];
  }
  if (!key) {
    process.stderr.write('usage: photon-fastd-verify [--state FILE] [--instance NAME] KEY\n');
    return 2;
  }
  const verdict = decideVerify(readVerifyState(state), key, { instance, interface: env.INTERFACE });
  if (!verdict.accept)
    process.stderr.write(`fastd verify: refused ${key.slice(0, 16)}…: ${verdict.reason}\n`);
  return verdict.accept ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2), process.env);
