import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { repoRoot } from './photon.js';

/** A Verdaccio npm registry on loopback, its storage in `dir`; packages other than ours come from npmjs. */
export interface LocalRegistry {
  url: string;
  /** Environment for npm (and photon's npm) to use this registry: a userconfig of its own. */
  env: Record<string, string>;
  /** `npm <args>` in `cwd` against this registry; fails the test when npm fails. */
  npm(cwd: string, ...args: string[]): string;
  /** The same, without blocking (to publish several packages at once). */
  npmAsync(cwd: string, ...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startRegistry(dir: string): Promise<LocalRegistry> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const config = path.join(dir, 'verdaccio.yaml');
  writeFileSync(
    config,
    `storage: ${path.join(dir, 'storage')}
auth:
  htpasswd:
    file: ${path.join(dir, 'htpasswd')}
    max_users: -1
uplinks:
  npmjs:
    url: https://registry.npmjs.org/
packages:
  '@ffphoton/*':
    access: $all
    publish: $anonymous
  'photon-plugin-*':
    access: $all
    publish: $anonymous
  '**':
    access: $all
    proxy: npmjs
log: { type: stdout, format: json, level: error }
`,
  );
  const npmrc = path.join(dir, 'npmrc');
  // Verdaccio takes anonymous publishes; npm still wants a token for the registry.
  writeFileSync(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=anonymous\n`);
  const env = { NPM_CONFIG_USERCONFIG: npmrc, npm_config_registry: url, npm_config_update_notifier: 'false' };
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(repoRoot, 'node_modules/verdaccio/bin/verdaccio'),
      '--config',
      config,
      '--listen',
      `127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await fetch(`${url}-/ping`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`verdaccio did not start on ${url}: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    env,
    npm(cwd, ...args) {
      const r = spawnSync('npm', args, {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, ...env },
        timeout: 180_000,
      });
      if (r.status !== 0) throw new Error(`npm ${args.join(' ')} in ${cwd}: exit ${r.status}\n${r.stderr}`);
      return r.stdout;
    },
    npmAsync: (cwd, ...args) =>
      new Promise((resolve, reject) => {
        execFile(
          'npm',
          args,
          { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 180_000 },
          (error, stdout, stderr) =>
            error
              ? reject(new Error(`npm ${args.join(' ')} in ${cwd}: ${error.message}\n${stderr}`))
              : resolve(stdout),
        );
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on('exit', () => resolve());
        child.kill();
      }),
  };
}
