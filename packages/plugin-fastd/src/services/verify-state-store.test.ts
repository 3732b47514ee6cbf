import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FileStore, RootSandbox } from '@ffphoton/core';
import { tempDir } from '@ffphoton/core/testing';
import { describe, expect, it } from 'vitest';
import type { FastdInstance } from '../settings.js';
import { canSetUmask, withUmask } from '../test-helpers/umask.js';
import { decideVerify, readVerifyState, type VerifyState } from '../verify-state.js';
import { VerifyStateStore } from './verify-state-store.js';

const mz: FastdInstance = { name: 'mz', interface: 'mzVPN', configFile: '/c', statusSocket: '/s' };
const wi: FastdInstance = { name: 'wi', interface: 'wiVPN', configFile: '/c', statusSocket: '/s' };
const key = (n: number) => n.toString(16).padStart(64, '0');

function store(dir: string, clock = { t: Date.parse('2026-01-01T00:00:00Z') }) {
  const files = new FileStore(new RootSandbox(dir), { dryRun: false });
  return new VerifyStateStore(files, '/state.json', () => new Date(clock.t));
}
const read = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8')) as VerifyState;

describe('VerifyStateStore on a real file, over several commands and cycles', () => {
  it('rewrites the state on every change: keys added, revoked, then limits, then keys again', async () => {
    const dir = tempDir('verify-state');
    const clock = { t: Date.parse('2026-01-01T00:00:00Z') };
    const s = store(dir, clock);
    await s.update([mz], (entry) => {
      entry.keys = [key(1)];
    });
    expect(read(dir)).toEqual({
      version: 1,
      updated: '2026-01-01T00:00:00.000Z',
      instances: { mz: { interface: 'mzVPN', keys: [key(1)], limit: null, connected: null } },
    });
    clock.t += 60_000;
    await s.update([mz], (entry) => {
      entry.keys = [key(1), key(2)];
    });
    expect(read(dir).instances.mz.keys).toEqual([key(1), key(2)]);
    expect(read(dir).updated).toBe('2026-01-01T00:01:00.000Z');
    expect(decideVerify(readVerifyState(path.join(dir, 'state.json')), key(2), {})).toEqual({
      accept: true,
      instance: 'mz',
    });
    clock.t += 60_000;
    // `fastd limit` on the same file: keys stay, limit and connected are written.
    await s.update([mz], (entry) => {
      entry.limit = 10;
      entry.connected = 4;
    });
    expect(read(dir).instances.mz).toEqual({
      interface: 'mzVPN',
      keys: [key(1), key(2)],
      limit: 10,
      connected: 4,
    });
    clock.t += 60_000;
    await s.update([mz], (entry) => {
      entry.limit = 12;
      entry.connected = 12;
    });
    expect(read(dir).instances.mz).toMatchObject({ limit: 12, connected: 12 });
    expect(decideVerify(readVerifyState(path.join(dir, 'state.json')), key(1), {})).toEqual({
      accept: false,
      instance: 'mz',
      reason: 'limit-reached',
    });
    clock.t += 60_000;
    // A key revoked in the repository is refused after the next sync.
    await s.update([mz], (entry) => {
      entry.keys = [key(2)];
    });
    expect(read(dir).instances.mz).toEqual({ interface: 'mzVPN', keys: [key(2)], limit: 12, connected: 12 });
    expect(decideVerify(readVerifyState(path.join(dir, 'state.json')), key(1), {})).toMatchObject({
      accept: false,
      reason: 'unknown-key',
    });
  });

  it('keeps the entries of instances the update does not touch (a failed instance keeps its keys)', async () => {
    const dir = tempDir('verify-state-keep');
    const s = store(dir);
    await s.update([mz, wi], (entry, instance) => {
      entry.keys = instance.name === 'mz' ? [key(1)] : [key(2)];
    });
    await s.update([mz], (entry) => {
      entry.keys = [key(3)];
    });
    expect(read(dir).instances).toEqual({
      mz: { interface: 'mzVPN', keys: [key(3)], limit: null, connected: null },
      wi: { interface: 'wiVPN', keys: [key(2)], limit: null, connected: null },
    });
  });

  it('does not rewrite an unchanged state (the file and its `updated` stay)', async () => {
    const dir = tempDir('verify-state-same');
    const clock = { t: Date.parse('2026-01-01T00:00:00Z') };
    const s = store(dir, clock);
    await s.update([mz], (entry) => {
      entry.keys = [key(1)];
    });
    const inode = statSync(path.join(dir, 'state.json')).ino;
    clock.t += 60_000;
    await s.update([mz], (entry) => {
      entry.keys = [key(1)];
    });
    expect(statSync(path.join(dir, 'state.json')).ino).toBe(inode);
    expect(read(dir).updated).toBe('2026-01-01T00:00:00.000Z');
  });

  it('follows 50 sync cycles of a changing key set exactly', async () => {
    const dir = tempDir('verify-state-cycles');
    const s = store(dir);
    let keys = new Set<string>();
    for (let cycle = 0; cycle < 50; cycle++) {
      keys = new Set(keys);
      keys.add(key(cycle + 1));
      if (cycle % 3 === 2) keys.delete(key(cycle - 1));
      const want = [...keys].sort();
      await s.update([mz], (entry) => {
        entry.keys = want;
      });
      if (cycle % 5 === 0) {
        await s.update([mz], (entry) => {
          entry.limit = cycle;
          entry.connected = cycle % 7;
        });
      }
      expect(read(dir).instances.mz.keys).toEqual(want);
      expect(read(dir).instances.mz.limit).toBe(cycle - (cycle % 5));
    }
  });

  it('replaces a corrupt state file instead of failing', async () => {
    const dir = tempDir('verify-state-corrupt');
    writeFileSync(path.join(dir, 'state.json'), '{"version":1,"instan');
    await store(dir).update([mz], (entry) => {
      entry.keys = [key(1)];
    });
    expect(read(dir).instances.mz.keys).toEqual([key(1)]);
  });

  it.skipIf(!canSetUmask)('writes a state file the verify hook can read under any umask (0644)', async () => {
    const dir = tempDir('verify-state-mode');
    await withUmask(0o077, () =>
      store(dir).update([mz], (entry) => {
        entry.keys = [key(1)];
      }),
    );
    expect(statSync(path.join(dir, 'state.json')).mode & 0o777).toBe(0o644);
  });

  it('writes the first state even when no instance is listed, and takes a missing entry as empty', async () => {
    const dir = tempDir('verify-state-empty');
    await store(dir).update([], () => undefined);
    expect(read(dir)).toEqual({ version: 1, updated: '2026-01-01T00:00:00.000Z', instances: {} });
    await store(dir).update([wi], () => undefined);
    expect(read(dir).instances).toEqual({
      wi: { interface: 'wiVPN', keys: [], limit: null, connected: null },
    });
  });

  it('hands `change` a copy: a change that mutates the keys in place is still written', async () => {
    const dir = tempDir('verify-state-copy');
    const s = store(dir);
    await s.update([mz], (entry) => {
      entry.keys = [key(1)];
    });
    await s.update([mz], (entry) => {
      entry.keys.push(key(2));
    });
    expect(read(dir).instances.mz.keys).toEqual([key(1), key(2)]);
  });

  it('takes the interface from the settings, also when it changed since the last write', async () => {
    const dir = tempDir('verify-state-interface');
    const s = store(dir);
    await s.update([mz], (entry) => {
      entry.limit = 3;
      entry.connected = 0;
    });
    await s.update([{ ...mz, interface: 'mzVPN2' }], () => undefined);
    expect(read(dir).instances.mz).toEqual({ interface: 'mzVPN2', keys: [], limit: 3, connected: 0 });
  });
});
