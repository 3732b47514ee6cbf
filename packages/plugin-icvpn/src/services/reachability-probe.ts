import { connect } from 'node:net';

/**
 * mkbgp's passive-peer probe: a TCP connect to port 179 of every peer, all at once, each
 * bounded by the timeout. Returns the addresses that did not answer — none when no peer
 * answered at all (then the probe says more about this host than about the peers).
 */
export async function probeUnreachable(
  addresses: readonly string[],
  timeoutMs: number,
  port = 179,
): Promise<Set<string>> {
  const results = await Promise.all(
    addresses.map(async (a) => [a, await reachable(a, port, timeoutMs)] as const),
  );
  const down = results.filter(([, up]) => !up).map(([a]) => a);
  return new Set(down.length === addresses.length ? [] : down);
}

function reachable(address: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: timeoutMs });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}
