const MAC = '[0-9a-f]{2}(?::[0-9a-f]{2}){5}';

/**
 * The selected gateway of `batctl gwl -n` (legacy `=>` or netlink `*` marker), undefined when
 * none is selected (a gateway in server mode selects none).
 */
export function selectedGateway(gwl: string): string | undefined {
  const re = new RegExp(`^\\s*(=>|\\*)?\\s*(${MAC}) +\\(`, 'gm');
  for (const match of gwl.matchAll(re)) if (match[1]) return match[2];
  return undefined;
}

/**
 * Clients of `batctl tl -n` (local translation table): unique MACs whose flags lack `P`
 * (NOPURGE marks the node's own interfaces, which are not clients).
 */
export function localClients(tl: string): string[] {
  const re = new RegExp(`^\\s*\\*?\\s*(${MAC})\\s+-?\\d+\\s+\\[([^\\]]*)\\]`, 'gm');
  const clients = new Set<string>();
  for (const match of tl.matchAll(re)) if (!match[2].includes('P')) clients.add(match[1]);
  return [...clients];
}
