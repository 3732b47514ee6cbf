import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCommand, writeSettings } from '../../test-helpers/run-command.js';
import { decideVerify, type VerifyState, type VerifyVerdict } from '../../verify-state.js';
import FastdVerify from './verify.js';

const K1 = 'a'.repeat(64);
const K2 = 'b'.repeat(64);
const state: VerifyState = {
  version: 1,
  updated: '2026-01-01T00:00:00Z',
  instances: {
    mz: { interface: 'mzVPN', keys: [K1], limit: 10, connected: 9 },
    wi: { interface: 'wiVPN', keys: [K1, K2], limit: 5, connected: 5 },
    new: { interface: 'newVPN', keys: [K2], limit: null, connected: null },
  },
};

describe('decideVerify', () => {
  it('accepts a known key below the limit, picking the instance by $INTERFACE', () => {
    expect(decideVerify(state, K1, { interface: 'mzVPN' })).toEqual({ accept: true, instance: 'mz' });
    expect(decideVerify(state, K1.toUpperCase(), { instance: 'mz' })).toEqual({
      accept: true,
      instance: 'mz',
    });
  });

  it('refuses an unknown key, a full instance, an unknown instance and a missing state', () => {
    expect(decideVerify(state, K2, { interface: 'mzVPN' })).toMatchObject({
      accept: false,
      reason: 'unknown-key',
    });
    expect(decideVerify(state, K1, { interface: 'wiVPN' })).toMatchObject({
      accept: false,
      reason: 'limit-reached',
    });
    expect(decideVerify(state, K1, { interface: 'nope' })).toMatchObject({
      accept: false,
      reason: 'unknown-instance',
    });
    expect(decideVerify(state, K1, {})).toMatchObject({ accept: false, reason: 'unknown-instance' });
    expect(decideVerify(undefined, K1, {})).toMatchObject({ accept: false, reason: 'no-state' });
  });

  it('has no limit to check before the first `fastd limit` run', () => {
    expect(decideVerify(state, K2, { instance: 'new' })).toEqual({ accept: true, instance: 'new' });
  });
});

describe('verify entry points', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'photon-fastd-verify-'));
  const file = path.join(dir, 'state.json');
  writeFileSync(file, JSON.stringify(state));
  const hook = fileURLToPath(new URL('../../../dist/verify-hook.js', import.meta.url));

  it('photon-fastd-verify (built) exits 0 to accept and 1 to refuse', () => {
    const run = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, [hook, '--state', file, ...args], {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
    expect(run([K1], { INTERFACE: 'mzVPN' }).status).toBe(0);
    const refused = run([K1], { INTERFACE: 'wiVPN' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/limit-reached/);
    expect(run([K2], { INTERFACE: 'mzVPN' }).status).toBe(1);
    expect(run([], {}).status).toBe(2);
  });

  it('photon fastd verify KEY reads the state file named in the settings', async () => {
    const settings = writeSettings(dir, {
      photon: { dataDir: path.join(dir, 'data') },
      fastd: { verifyStateFile: file },
    });
    const ok = await runCommand<VerifyVerdict>(FastdVerify, [
      K1,
      '--instance',
      'mz',
      '--config',
      settings,
      '--json',
    ]);
    expect(ok.exitCode).toBe(0);
    expect(ok.output.result).toEqual({ accept: true, instance: 'mz' });
    const full = await runCommand<VerifyVerdict>(FastdVerify, [
      K1,
      '--instance',
      'wi',
      '--config',
      settings,
      '--json',
    ]);
    expect(full.exitCode).toBe(1);
    expect(full.output.error?.message).toMatch(/limit-reached/);
  });
});
