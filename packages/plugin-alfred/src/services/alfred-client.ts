import type { FileStore, Shell } from '@ffphoton/core';
import { CommandFailedError, UnavailableError } from '@ffphoton/core';

/** The alfred data types ffnord-alfred-announce and Gluon (gluon-alfred: neighbours) use. */
export const AlfredType = { nodeinfo: 158, statistics: 159, neighbours: 160 } as const;

/**
 * The alfred client (`alfred -u SOCK -r|-s TYPE`) for one daemon socket. The socket path goes
 * through the `--root` sandbox; a missing socket or a refused connection is UnavailableError.
 */
export class AlfredClient {
  constructor(
    private readonly shell: Shell,
    private readonly files: FileStore,
    private readonly command: readonly string[],
    private readonly timeoutMs: number,
  ) {}

  /** Raw `alfred -r TYPE` output (C-escaped lines), as bytes: the decoder parses bytes. */
  async read(socket: string, type: number): Promise<Buffer> {
    const result = await this.shell.run(
      [...this.command, '-u', await this.socketPath(socket), '-r', String(type)],
      {
        allowFailure: true,
        timeoutMs: this.timeoutMs,
        rawStdout: true,
      },
    );
    this.check(socket, result);
    return result.stdoutBytes ?? Buffer.alloc(0);
  }

  /** Stores `data` as this host's record of TYPE (dry-run: logged, not sent). */
  async push(socket: string, type: number, data: Buffer): Promise<void> {
    const result = await this.shell.run(
      [...this.command, '-u', await this.socketPath(socket), '-s', String(type)],
      {
        input: data,
        mutates: true,
        allowFailure: true,
        timeoutMs: this.timeoutMs,
      },
    );
    this.check(socket, result);
  }

  private async socketPath(socket: string): Promise<string> {
    if (!(await this.files.exists(socket))) {
      throw new UnavailableError(`alfred socket ${socket} does not exist (is alfred running?)`);
    }
    return this.files.resolve(socket);
  }

  private check(socket: string, result: Awaited<ReturnType<Shell['run']>>): void {
    if (!result.failed) return;
    // alfred exits 255 after "can't connect to unix socket"; "Request failed" means no primary answered.
    if (result.exitCode === 255 || /can't connect|Request failed/i.test(result.stderr)) {
      throw new UnavailableError(`alfred at ${socket}: ${result.stderr.trim() || `exit ${result.exitCode}`}`);
    }
    throw new CommandFailedError(result);
  }
}
