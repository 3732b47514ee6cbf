import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectedPeers,
  type FastdNode,
  FastdTestbed,
  waitFor,
} from '../packages/plugin-fastd/src/test-helpers/fastd-testbed.js';
import { KeyRepo } from '../packages/plugin-fastd/src/test-helpers/key-repo.js';
import { startStatusServers } from '../packages/plugin-fastd/src/test-helpers/status-servers.js';
import { logMessages, photon, repoRoot } from './helpers/photon.js';

const verifyHook = path.join(repoRoot, 'packages/plugin-fastd/dist/verify-hook.js');
const keyFile = (node: FastdNode) => `# Node: ${node.name}\nkey "${node.keys.public}";\n`;

/**
 * The built binary against real fastd daemons. `--root` is the testbed directory, so every path in
 * the settings is a task path ("/gw/status.sock") that photon must resolve under the root.
 */
describe('photon fastd (built binary, real fastd)', () => {
  const bed = new FastdTestbed();
  let gw: FastdNode;
  let c1: FastdNode;
  let c2: FastdNode;
  let repo: KeyRepo;
  let servers: Awaited<ReturnType<typeof startStatusServers>>;
  let config: string;
  const env = { HOME: '/root', XDG_CONFIG_HOME: '', XDG_DATA_HOME: '', PHOTON_DATA_DIR: '/var/lib/photon' };
  const run = (...args: string[]) =>
    photon(['fastd', ...args, '--root', bed.dir, '--config', config], { env });

  beforeAll(async () => {
    gw = await bed.create('gw', ['include peers from "peers";', 'peer limit 50;']);
    c1 = await bed.createClient('c1', gw);
    c2 = await bed.createClient('c2', gw);
    bed.addPeer(gw, c1);
    bed.addPeer(gw, c2);
    await bed.start(gw);
    await bed.start(c1);
    await bed.start(c2);
    await waitFor('two clients connected', async () =>
      (await connectedPeers(gw.socket)).length === 2 ? true : undefined,
    );
    servers = await startStatusServers({
      gw2: JSON.stringify({ gw: { peers: 4 }, _timestamp: Date.now() / 1000 - 5 }),
      gw3: 'silent',
    });
    repo = new KeyRepo(bed.dir);
    config = path.join(bed.dir, 'photon.yaml');
    writeFileSync(
      config,
      JSON.stringify({
        photon: { hostname: 'gw1' },
        fastd: {
          instances: [
            {
              name: 'gw',
              unit: 'gw',
              interface: gw.interface,
              configFile: '/gw/fastd.conf',
              statusSocket: '/gw/status.sock',
              peersDir: '/gw/peers',
              peersRepo: { remote: repo.origin, local: '/var/lib/photon/clones/peers' },
            },
          ],
          limit: {
            gateways: ['gw1', 'gw2', 'gw3'],
            statusUrl: servers.urlTemplate,
            localStatusFile: '/www/fastd_status.json',
            additional: 2,
            fetchTimeoutMs: 1_500,
          },
          restartCommand: bed.restartCommand,
          signalCommand: bed.signalCommand,
          verifyStateFile: '/var/lib/photon/fastd-verify.json',
        },
      }),
    );
  });
  afterAll(async () => {
    await servers?.close();
    await bed.cleanup();
  });

  it('status --json reads the live socket under --root', async () => {
    const result = await run('status', '--json');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output).toMatchObject({ ok: true, task: 'fastd-status', host: 'gw1' });
    expect(output.result.instances[0]).toMatchObject({ instance: 'gw', peersKnown: 2, peersConnected: 2 });
    expect(output.result.instances[0].status.interface).toBe(gw.interface);

    const table = await run('status', 'gw');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^gw\s+\d+\s+2\s+2\s/m);
  });

  it('limit --dry-run prints the computation and changes nothing', async () => {
    const before = readFileSync(gw.config, 'utf8');
    const result = await run('limit', '--dry-run');
    expect(result.code).toBe(0);
    // gw1 (socket) 2 + gw2 4 over 2 online → 3; gw3 never answers → gauge (1 + 1) × 2 = 4 → 7.
    expect(result.stdout).toMatch(
      /^instance\s+total\s+online\s+offline\s+average\s+gauge\s+limit\s+old\s+restart\?/m,
    );
    expect(result.stdout).toMatch(/^gw\s+6\s+2\s+1\s+3\s+4\s+7\s+50\s+yes/m);
    expect(readFileSync(gw.config, 'utf8')).toBe(before);
    expect(bed.log('restarts')).toEqual([]);
    expect(existsSync(path.join(bed.dir, 'www/fastd_status.json'))).toBe(false);
    expect(existsSync(path.join(bed.dir, 'var/lib/photon/fastd-verify.json'))).toBe(false);
  });

  it('sync-keys refuses a hostile peer file by name (exit 5) and syncs the valid ones', async () => {
    repo.commit({
      c1: keyFile(c1),
      c2: keyFile(c2),
      evil: `key "${'d'.repeat(64)}";\non up "touch ${bed.dir}/pwned";\n`,
    });
    const result = await run('sync-keys', '--json');
    expect(result.code).toBe(5);
    const output = JSON.parse(result.stdout);
    expect(output.ok).toBe(false);
    expect(output.error.message).toMatch(/evil: .*on up/);
    expect(output.result.instances[0]).toMatchObject({ keys: 2, updated: ['c1', 'c2'], signalled: true });
    expect(output.result.instances[0].refused).toEqual([{ file: 'evil', reason: expect.any(String) }]);
    expect(readdirSync(path.join(gw.dir, 'peers')).sort()).toEqual(['c1', 'c2']);
    expect(bed.log('signals')).toEqual(['gw HUP']);
    expect(existsSync(path.join(bed.dir, 'pwned'))).toBe(false);

    // Without --json: the same exit code, the refused file named in the log, the table still printed.
    const human = await run('sync-keys');
    expect(human.code).toBe(5);
    expect(logMessages(human.stderr).join('\n')).toMatch(/gw: evil: forbidden statement "on up/);
    expect(human.stdout).toMatch(/^gw\s+2\s+0\s+0\s+0\s+1\s+no$/m);
  });

  it('web build shows the fastd section from the photon:status hook', async () => {
    const result = await photon(['web', 'build', '--root', bed.dir, '--config', config, '--json'], { env });
    expect(result.code, result.stderr).toBe(0);
    const fastd = JSON.parse(result.stdout).result.health.sections.find(
      (s: { id: string }) => s.id === 'fastd',
    );
    expect(fastd).toMatchObject({ state: 'ok', summary: '1 instance(s), 2 peer(s) connected' });
    expect(fastd.rows[0].value).toMatch(/^2 of 2 peer\(s\) connected, up \d+ s$/);
  });

  it('verify: exit 0 for a synced key, 1 otherwise; the lean hook decides the same', async () => {
    const accepted = await run('verify', c1.keys.public, '--instance', 'gw', '--json');
    expect(accepted.code).toBe(0);
    expect(JSON.parse(accepted.stdout).result).toEqual({ accept: true, instance: 'gw' });
    const refused = await run('verify', 'd'.repeat(64), '--instance', 'gw', '--json');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error.message).toMatch(/unknown-key/);

    const state = path.join(bed.dir, 'var/lib/photon/fastd-verify.json');
    const hook = (key: string) =>
      spawnSync(process.execPath, [verifyHook, '--state', state, key], {
        env: { ...process.env, INTERFACE: gw.interface },
        encoding: 'utf8',
      }).status;
    expect(hook(c2.keys.public)).toBe(0);
    expect(hook('d'.repeat(64))).toBe(1);
  });
});
