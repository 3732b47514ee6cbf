import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Journal } from '@ffphoton/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeySyncResult } from '../../services/key-sync-service.js';
import { connectedPeers, type FastdNode, FastdTestbed, waitFor } from '../../test-helpers/fastd-testbed.js';
import { KeyRepo } from '../../test-helpers/key-repo.js';
import { runCommand } from '../../test-helpers/run-command.js';
import { readVerifyState } from '../../verify-state.js';
import FastdSyncKeys from './sync-keys.js';

const hook = fileURLToPath(new URL('../../../dist/verify-hook.js', import.meta.url));
const keyFile = (node: FastdNode) => `# Node: ${node.name}\nkey "${node.keys.public}";\n`;
const isConnected = async (gw: FastdNode, node: FastdNode) =>
  (await connectedPeers(gw.socket)).includes(node.keys.public);

describe('photon fastd sync-keys (real git, real fastd)', () => {
  const bed = new FastdTestbed();
  let repo: KeyRepo;
  let gw: FastdNode;
  let c1: FastdNode;
  let c2: FastdNode;
  let settings: string;
  const peersDir = () => path.join(bed.dir, 'gw-peers');
  const state = () => path.join(bed.dir, 'verify.json');

  beforeAll(async () => {
    repo = new KeyRepo(bed.dir);
    mkdirSync(peersDir());
    gw = await bed.create('gw', [
      `include peers from "${path.join(bed.dir, 'gw-peers')}";`,
      'peer limit 10;',
    ]);
    c1 = await bed.createClient('c1', gw);
    c2 = await bed.createClient('c2', gw);
    repo.commit({
      c1: keyFile(c1),
      evil: `key "${c2.keys.public}";\non up "touch ${bed.dir}/pwned";\n`,
      'README.md': '# keys\n',
    });
    settings = bed.settings(
      gw,
      { signalCommand: bed.signalCommand, verifyStateFile: state() },
      {
        unit: 'gw',
        peersDir: peersDir(),
        peersRepo: { remote: repo.origin, local: path.join(bed.dir, 'clone') },
      },
    );
    await bed.start(gw);
    await bed.start(c1);
    await bed.start(c2);
  });
  afterAll(() => bed.cleanup());

  it('syncs the valid key, refuses the hostile file (exit 5), and after SIGHUP the client connects', async () => {
    expect(await isConnected(gw, c1)).toBe(false);
    const run = await runCommand<KeySyncResult>(FastdSyncKeys, ['--config', settings, '--json']);
    expect(run.exitCode).toBe(5);
    expect(run.output.error?.message).toMatch(/evil: forbidden statement "on up/);
    const [result] = run.output.result!.instances;
    expect(result).toMatchObject({ instance: 'gw', keys: 1, added: ['c1'], removed: [], signalled: true });
    expect(result.refused).toEqual([
      { file: 'evil', reason: expect.stringMatching(/forbidden statement "on up/) },
    ]);
    expect(readdirSync(peersDir())).toEqual(['c1']);
    expect(bed.log('signals')).toEqual(['gw HUP']);
    expect(readVerifyState(state())?.instances.gw.keys).toEqual([c1.keys.public]);
    await waitFor('c1 connected after SIGHUP', async () => ((await isConnected(gw, c1)) ? true : undefined));
    expect(await isConnected(gw, c2)).toBe(false);
    expect(existsSync(path.join(bed.dir, 'pwned'))).toBe(false);
  }, 60_000);

  it('does not signal nor write when nothing changed', async () => {
    const untouched = [path.join(peersDir(), 'c1'), state()];
    const before = untouched.map((file) => statSync(file));
    const run = await runCommand<KeySyncResult>(FastdSyncKeys, ['--config', settings, '--json']);
    const after = untouched.map((file) => statSync(file));
    expect(after.map((s) => [s.ino, s.mtimeMs])).toEqual(before.map((s) => [s.ino, s.mtimeMs]));
    expect(run.output.result!.instances[0]).toMatchObject({
      added: [],
      updated: [],
      removed: [],
      signalled: false,
    });
    expect(bed.log('signals')).toEqual(['gw HUP']);
  });

  it('updates, adds and removes files after the repository changes; c2 connects', async () => {
    repo.commit({ evil: null, c2: keyFile(c2), c1: `${keyFile(c1)}float yes;\n` });
    const run = await runCommand<KeySyncResult>(FastdSyncKeys, ['--config', settings, '--json']);
    expect(run.exitCode).toBe(0);
    expect(run.output.result!.instances[0]).toMatchObject({
      keys: 2,
      added: ['c2'],
      updated: ['c1'],
      signalled: true,
    });
    expect(readFileSync(path.join(peersDir(), 'c1'), 'utf8')).toContain('float yes;');
    await waitFor('c2 connected after SIGHUP', async () => ((await isConnected(gw, c2)) ? true : undefined));

    repo.commit({ c1: null });
    const removal = await runCommand<KeySyncResult>(FastdSyncKeys, ['--config', settings, '--json']);
    expect(removal.output.result!.instances[0]).toMatchObject({ removed: ['c1'], signalled: true });
    expect(readdirSync(peersDir())).toEqual(['c2']);
    await waitFor('c1 dropped after SIGHUP', async () => ((await isConnected(gw, c1)) ? undefined : true));
  }, 60_000);

  it('--dry-run reports what would change and changes nothing', async () => {
    repo.commit({ c1: keyFile(c1) });
    const run = await runCommand<KeySyncResult>(FastdSyncKeys, ['--config', settings, '--json', '--dry-run']);
    expect(run.exitCode).toBe(0);
    // The clone is not fetched in dry-run, so the plan is against the last fetched state.
    expect(run.output.result!.instances[0].removed).toEqual([]);
    expect(readdirSync(peersDir())).toEqual(['c2']);
    expect(bed.log('signals')).toHaveLength(3);
  });

  it('keeps the clone a mirror: local files are refused by name and kept, a force-pushed history is followed', async () => {
    const clone = path.join(bed.dir, 'clone');
    writeFileSync(path.join(clone, 'intruder'), `key "${'f'.repeat(64)}";\n`);
    writeFileSync(path.join(clone, 'c2'), keyFile(c1));
    const tampered = await runCommand<KeySyncResult>(FastdSyncKeys, ['--config', settings, '--json']);
    expect(tampered.exitCode).toBe(5);
    expect(tampered.output.error?.message).toContain(
      '2 file(s) not from the remote: c2, intruder; they are kept',
    );
    expect(readdirSync(peersDir()).sort()).toEqual(['c2']);
    expect(existsSync(path.join(clone, 'intruder'))).toBe(true);
    // Once the admin has taken them away, the mirror syncs again.
    rmSync(path.join(clone, 'intruder'));
    writeFileSync(path.join(clone, 'c2'), keyFile(c2));
    const cleaned = await runCommand<KeySyncResult>(FastdSyncKeys, ['--config', settings, '--json']);
    expect(cleaned.exitCode).toBe(0);
    expect(readdirSync(peersDir()).sort()).toEqual(['c1', 'c2']);

    // The key repository's last commit is rewritten: a fast-forward is impossible, the mirror follows.
    repo.commit({ c1: null, c9: `key "${'e'.repeat(64)}";\n` }, { rewrite: true });
    const rewritten = await runCommand<KeySyncResult>(FastdSyncKeys, ['--config', settings, '--json']);
    expect(rewritten.exitCode).toBe(0);
    expect(rewritten.output.result!.instances[0]).toMatchObject({ added: ['c9'], removed: ['c1'] });
    expect(readdirSync(peersDir()).sort()).toEqual(['c2', 'c9']);
    expect(readdirSync(clone).sort()).toEqual(['.git', 'README.md', 'c2', 'c9']);
  }, 60_000);

  it('refuses a peer file over 64 KiB by name (exit 5) without reading it whole', async () => {
    repo.commit({ huge: `key "${'a'.repeat(64)}";\n#${'x'.repeat(10 * 1024 * 1024)}\n` });
    const run = await runCommand<KeySyncResult>(FastdSyncKeys, ['--config', settings, '--json']);
    expect(run.exitCode).toBe(5);
    expect(run.output.result!.instances[0].refused).toEqual([
      { file: 'huge', reason: 'peer file is larger than the limit of 64 KiB' },
    ]);
    expect(readdirSync(peersDir()).sort()).toEqual(['c2', 'c9']);
  }, 60_000);
});

describe('photon fastd sync-keys with key repositories shared by instances (real git, real fastd)', () => {
  const bed = new FastdTestbed();
  let repo: KeyRepo;
  let gw1: FastdNode;
  let gw2: FastdNode;
  let c1: FastdNode;
  let c2: FastdNode;
  let settings: string;
  const peersDir = (name: string) => path.join(bed.dir, `${name}-peers`);
  const state = () => path.join(bed.dir, 'verify.json');
  const downRemote = () => path.join(bed.dir, 'nosuch.git');
  /** The git commands of the last run (from its journal) that name `verb` and, for a clone, `remote`. */
  const gitRuns = async (verb: string, remote?: string) => {
    const [last] = await new Journal(path.join(bed.dir, 'data', 'runs'), 10).history(undefined, 1);
    return last.commands.filter(
      (command) => command.argv[1] === verb && (!remote || command.argv.includes(remote)),
    ).length;
  };

  beforeAll(async () => {
    repo = new KeyRepo(bed.dir);
    const gateway = (name: string) => {
      mkdirSync(peersDir(name));
      return bed.create(name, [`include peers from "${peersDir(name)}";`, 'peer limit 10;']);
    };
    gw1 = await gateway('gw1');
    gw2 = await gateway('gw2');
    c1 = await bed.createClient('c1', gw1);
    c2 = await bed.createClient('c2', gw1);
    repo.commit({ c1: keyFile(c1), evil: `key "${c2.keys.public}";\non up "touch ${bed.dir}/pwned";\n` });
    const shared = { remote: repo.origin, local: path.join(bed.dir, 'clone') };
    const down = { remote: downRemote(), local: path.join(bed.dir, 'clone-down') };
    // Never started: their repository cannot be cloned, so nothing is mirrored nor signalled.
    const stopped = (name: string) => ({
      name,
      interface: `${name}VPN`,
      configFile: path.join(bed.dir, `${name}.conf`),
      statusSocket: path.join(bed.dir, `${name}.sock`),
      peersDir: peersDir(name),
      peersRepo: down,
    });
    settings = bed.settings(gw1, {
      signalCommand: bed.signalCommand,
      verifyStateFile: state(),
      instances: [
        bed.instance(gw1, { unit: 'gw1', peersDir: peersDir('gw1'), peersRepo: shared }),
        stopped('down1'),
        bed.instance(gw2, { unit: 'gw2', peersDir: peersDir('gw2'), peersRepo: shared }),
        stopped('down2'),
      ],
    });
    await bed.start(gw1);
    await bed.start(gw2);
  });
  afterAll(() => bed.cleanup());

  it('clones a shared repository once and mirrors it into every instance; a dead one fails each of its instances', async () => {
    const run = await runCommand<KeySyncResult>(FastdSyncKeys, ['--config', settings, '--json']);
    expect(run.exitCode).toBe(5);
    expect(await gitRuns('clone', repo.origin)).toBe(1);
    expect(await gitRuns('clone', downRemote())).toBe(1);
    const instances = run.output.result!.instances;
    expect(instances.map((r) => r.instance)).toEqual(['gw1', 'down1', 'gw2', 'down2']);
    for (const name of ['gw1', 'gw2']) {
      expect(instances.find((r) => r.instance === name)).toMatchObject({
        keys: 1,
        added: ['c1'],
        removed: [],
        refused: [{ file: 'evil', reason: expect.stringMatching(/forbidden statement "on up/) }],
        signalled: true,
      });
      expect(readdirSync(peersDir(name))).toEqual(['c1']);
    }
    for (const name of ['down1', 'down2']) {
      expect(instances.find((r) => r.instance === name)).toMatchObject({
        keys: 0,
        added: [],
        signalled: false,
        error: expect.stringContaining(downRemote()),
      });
      expect(existsSync(peersDir(name))).toBe(false);
    }
    expect(run.output.error?.problems).toEqual([
      expect.stringMatching(/^gw1: evil: forbidden statement "on up/),
      expect.stringMatching(/^down1: /),
      expect.stringMatching(/^gw2: evil: forbidden statement "on up/),
      expect.stringMatching(/^down2: /),
    ]);
    expect(bed.log('signals').sort()).toEqual(['gw1 HUP', 'gw2 HUP']);
    const verify = readVerifyState(state())?.instances;
    expect(verify?.gw1.keys).toEqual([c1.keys.public]);
    expect(verify?.gw2.keys).toEqual([c1.keys.public]);
    expect(verify?.down1).toBeUndefined();
  }, 60_000);

  it('fetches a shared repository once per run', async () => {
    repo.commit({ evil: null, c2: keyFile(c2) });
    const run = await runCommand<KeySyncResult>(FastdSyncKeys, ['--config', settings, '--json']);
    expect(await gitRuns('fetch')).toBe(1);
    expect(run.output.result!.instances.filter((r) => r.instance.startsWith('gw'))).toEqual([
      expect.objectContaining({ instance: 'gw1', keys: 2, added: ['c2'], refused: [], signalled: true }),
      expect.objectContaining({ instance: 'gw2', keys: 2, added: ['c2'], refused: [], signalled: true }),
    ]);
    expect(readdirSync(peersDir('gw2')).sort()).toEqual(['c1', 'c2']);
  }, 60_000);
});

describe('photon fastd verify as the real on-verify hook', () => {
  const bed = new FastdTestbed();
  let gw: FastdNode;
  let known: FastdNode;
  let stranger: FastdNode;
  let settings: string;
  const state = () => path.join(bed.dir, 'verify.json');

  beforeAll(async () => {
    expect(existsSync(hook), `build first: ${hook}`).toBe(true);
    const repo = new KeyRepo(bed.dir);
    // No peer directory: every peer is dynamic and decided by the hook (the fastd-limiter setup).
    gw = await bed.create('gw', [
      'peer limit 10;',
      `on verify "${process.execPath} ${hook} --state ${path.join(bed.dir, 'verify.json')} $PEER_KEY";`,
    ]);
    known = await bed.createClient('known', gw);
    stranger = await bed.createClient('stranger', gw);
    repo.commit({ known: keyFile(known) });
    settings = bed.settings(
      gw,
      { verifyStateFile: state() },
      { peersRepo: { remote: repo.origin, local: path.join(bed.dir, 'clone') } },
    );
    await bed.start(gw);
    await bed.start(known);
    await bed.start(stranger);
  });
  afterAll(() => bed.cleanup());

  it('refuses everyone before the first sync, then admits exactly the synced key', async () => {
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await connectedPeers(gw.socket)).toEqual([]);
    const run = await runCommand<KeySyncResult>(FastdSyncKeys, ['--config', settings, '--json']);
    expect(run.exitCode).toBe(0);
    expect(run.output.result!.instances[0]).toMatchObject({ keys: 1, signalled: false });
    await waitFor('known peer accepted by the hook', async () =>
      (await isConnected(gw, known)) ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await connectedPeers(gw.socket)).toEqual([known.keys.public]);
  }, 60_000);
});
