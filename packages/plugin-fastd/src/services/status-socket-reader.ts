import net from 'node:net';
import { type FileStore, PhotonError, UnavailableError } from '@ffphoton/core';
import { type FastdStatus, fastdStatusSchema } from './fastd-status.js';

/** The socket answered, but not with a complete fastd status document. */
export class MalformedStatusError extends PhotonError {
  override readonly code = 'MALFORMED_STATUS';
}

/**
 * Reads fastd's status socket (replaces the Perl `fastd-status`): fastd writes one JSON
 * document on connect and closes, so we read to EOF and parse.
 */
export class StatusSocketReader {
  constructor(
    private readonly files: FileStore,
    private readonly timeoutMs = 5_000,
  ) {}

  async read(socketPath: string): Promise<FastdStatus> {
    const text = await this.receive(socketPath);
    return parseStatus(text, socketPath);
  }

  private receive(socketPath: string): Promise<string> {
    const hostPath = this.files.resolve(socketPath);
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const socket = net.createConnection(hostPath);
      socket.setTimeout(this.timeoutMs, () => {
        socket.destroy();
        reject(
          new UnavailableError(
            `fastd status socket ${socketPath}: no complete answer within ${this.timeoutMs} ms`,
          ),
        );
      });
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      socket.on('error', (error: NodeJS.ErrnoException) => {
        const why =
          error.code === 'ENOENT'
            ? 'does not exist (is fastd running with this "status socket"?)'
            : error.code === 'ECONNREFUSED'
              ? 'refuses connections (stale socket, fastd not running?)'
              : error.message;
        reject(new UnavailableError(`fastd status socket ${socketPath} ${why}`, { cause: error }));
      });
    });
  }
}

/** Parses and checks the socket's bytes; exported for the fixtures' unit tests. */
export function parseStatus(text: string, source: string): FastdStatus {
  if (text.trim() === '') throw new MalformedStatusError(`fastd status socket ${source}: empty answer`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MalformedStatusError(
      `fastd status socket ${source}: not valid JSON after ${text.length} bytes (truncated?): ${(error as Error).message}`,
    );
  }
  const parsed = fastdStatusSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MalformedStatusError(
      `fastd status socket ${source}: unexpected document at ${issue.path.join('.') || '(top)'}: ${issue.message}`,
    );
  }
  return parsed.data;
}
