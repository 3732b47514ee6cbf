const MAC = '[0-9a-f]{2}(?::[0-9a-f]{2}){5}';

/** One direct batman-adv neighbour as mesh-announce and Gluon announce it. */
export interface BatmanNeighbour {
  /** Transmit quality towards the neighbour, 0–255. */
  tq: number;
  /** Seconds since its last OGM. */
  lastseen: number;
}

/**
 * The direct neighbours in `batctl meshif BAT o -n` output — originators reachable through
 * themselves — grouped by outgoing interface. Both table formats give the same answer: the
 * netlink one (2019+) lists every route, one per line; the debugfs one (2016) only the best
 * route per originator, the others under "Potential nexthops" with their TQ. Of several
 * routes to a neighbour the one through itself counts.
 */
export function batmanNeighbours(originators: string): Map<string, Record<string, BatmanNeighbour>> {
  const byIface = new Map<string, Record<string, BatmanNeighbour>>();
  const route = new RegExp(
    `^\\s*\\*?\\s*(${MAC})\\s+(\\d+(?:\\.\\d+)?)s\\s+\\(\\s*(\\d+)\\)\\s+(${MAC})\\s+\\[\\s*([^\\]\\s]+)\\s*\\]:?(.*)$`,
  );
  const potential = new RegExp(`(${MAC})\\s+\\(\\s*(\\d+)\\)`, 'g');
  for (const line of originators.split('\n')) {
    const match = route.exec(line);
    if (!match) continue;
    const [, originator, lastseen, tq, nexthop, iface, rest] = match;
    let quality: number | undefined = nexthop === originator ? Number(tq) : undefined;
    // debugfs format: the direct route may be a potential next hop only.
    for (const [, mac, potentialTq] of rest.matchAll(potential))
      if (mac === originator && quality === undefined) quality = Number(potentialTq);
    if (quality === undefined || quality > 255) continue;
    const neighbours = byIface.get(iface) ?? {};
    byIface.set(iface, neighbours);
    neighbours[originator] = { tq: quality, lastseen: Number(lastseen) };
  }
  return byIface;
}
