import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { tempDir } from './git-testbed.js';

/**
 * A real OpenSSH server on a loopback port with a throwaway host key. A plain `ssh -T` gets
 * GitHub's answer ("successfully authenticated" + exit 1); a command (git-upload-pack …) runs.
 */
export class SshdTestbed {
  readonly dir = tempDir('sshd');
  readonly authorizedKeys = path.join(this.dir, 'authorized_keys');
  readonly hostKey = path.join(this.dir, 'host_ed25519');
  port = 0;
  private process: ChildProcess | undefined;
  private log = '';

  async start(): Promise<void> {
    mkdirSync('/run/sshd', { recursive: true });
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', this.hostKey]);
    writeFileSync(this.authorizedKeys, '');
    const force = path.join(this.dir, 'forge.sh');
    writeFileSync(
      force,
      [
        '#!/bin/sh',
        'if [ -z "$SSH_ORIGINAL_COMMAND" ]; then',
        `  echo "Hi x! You've successfully authenticated, but GitHub does not provide shell access." >&2`,
        '  exit 1',
        'fi',
        'exec sh -c "$SSH_ORIGINAL_COMMAND"',
        '',
      ].join('\n'),
    );
    chmodSync(force, 0o755);
    this.port = await freePort();
    const config = path.join(this.dir, 'sshd_config');
    writeFileSync(
      config,
      [
        `ListenAddress 127.0.0.1`,
        `HostKey ${this.hostKey}`,
        `PidFile ${path.join(this.dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${this.authorizedKeys}`,
        'StrictModes no',
        'PermitRootLogin yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        `ForceCommand ${force}`,
        '',
      ].join('\n'),
    );
    this.process = spawn('/usr/sbin/sshd', ['-f', config, '-D', '-e', '-p', String(this.port)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.process.stderr?.on('data', (chunk: Buffer) => {
      this.log += chunk.toString();
    });
    for (let i = 0; i < 200; i++) {
      if (await canConnect(this.port)) return;
      if (this.process.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`sshd did not start: ${this.log}`);
  }

  authorize(publicKey: string): void {
    writeFileSync(this.authorizedKeys, `${readFileSync(this.authorizedKeys, 'utf8')}${publicKey}\n`);
  }

  stop(): void {
    this.process?.kill('SIGTERM');
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
