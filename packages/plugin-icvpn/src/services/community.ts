/** One BGP peer of a community; the name is the bird protocol name suffix (and by convention a tinc node). */
export interface BgpPeer {
  name: string;
  ipv4?: string;
  ipv6?: string;
}

export interface Delegation {
  asn: number;
  prefixes: string[];
}

/**
 * A validated icvpn-meta community. Absent keys stay absent: the generators skip a community
 * exactly when the reference tools do (e.g. mkdns needs both `domains` and `nameservers`).
 */
export interface Community {
  name: string;
  asn?: number;
  networks?: { ipv4?: string[]; ipv6?: string[] };
  /** Sorted by name (code point order), as mkbgp does. */
  bgp?: BgpPeer[];
  domains?: string[];
  nameservers?: string[];
  /** In file order. */
  delegate?: Delegation[];
}

export type Severity = 'error' | 'warning';

/** The outputs built from icvpn-meta; a refusal names the ones it keeps a value out of. */
export type OutputKind = 'bgp' | 'roa' | 'dns';
export const META_OUTPUTS: readonly OutputKind[] = ['bgp', 'roa', 'dns'];

/**
 * A finding about one community file. An error keeps the bad value out of the outputs in
 * `leftOut` (all three: the whole community); `part` narrows it to one entry (`peer x`,
 * `network 10.1.0.0/16`). Warnings leave nothing out.
 */
export interface Problem {
  community: string;
  key: string;
  severity: Severity;
  message: string;
  leftOut?: readonly OutputKind[];
  part?: string;
}

/** Quotes a value for a message so control characters and quotes cannot forge log lines. */
export function quote(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function formatProblem(p: Problem): string {
  return `${quote(p.community)}: ${p.key}: ${p.message}${leftOutText(p)}`;
}

function leftOutText(p: Problem): string {
  if (p.severity !== 'error' || !p.leftOut) return '';
  if (p.leftOut.length === META_OUTPUTS.length && !p.part) return '; left out of every output';
  return `; ${p.part ? `${p.part} ` : ''}left out of ${p.leftOut.join(', ')}`;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Sort by code point (Python's sorted on str); UTF-16 order differs only beyond the BMP. */
export function compareCodePoints(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
