// Built (for bench/icvpn.mjs) but not published: see "files" in package.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Community `c<i>` of a synthetic icvpn-meta (tests and bench/icvpn.mjs): one BGP peer, a
 * network per family, a forward and a reverse zone, one name server — all valid and distinct
 * for i < 65536.
 */
export function syntheticCommunity(i: number): string {
  const hi = i >> 8;
  const lo = i & 255;
  return [
    `asn: ${4_200_000_000 + i}`,
    'tech-c:',
    `  - noc@c${i}.example.org`,
    'networks:',
    '  ipv4:',
    `    - 10.${hi}.${lo}.0/24`,
    '  ipv6:',
    `    - fd00:${i.toString(16)}::/48`,
    'bgp:',
    `  c${i}gw1:`,
    `    ipv4: 10.207.${hi}.${lo}`,
    `    ipv6: fec0::a:cf:${hi.toString(16)}:${lo.toString(16)}`,
    'domains:',
    `  - ffc${i}`,
    `  - ${lo}.${hi}.10.in-addr.arpa`,
    'nameservers:',
    `  - 10.${hi}.${lo}.53`,
    '',
  ].join('\n');
}

/** Writes communities c1…c<count> into `dir`, and a tinc directory with three metanodes beside it. */
export function writeSyntheticMeta(dir: string, count: number): { meta: string; tinc: string } {
  const meta = path.join(dir, 'meta');
  const tinc = path.join(dir, 'tinc');
  mkdirSync(meta, { recursive: true });
  mkdirSync(path.join(tinc, 'hosts'), { recursive: true });
  for (let i = 1; i <= count; i++) writeFileSync(path.join(meta, `c${i}`), syntheticCommunity(i));
  const nodes = ['c1gw1', 'c2gw1', 'c3gw1'];
  writeFileSync(path.join(tinc, 'metanodes'), `${nodes.join('\n')}\n`);
  for (const n of nodes)
    writeFileSync(path.join(tinc, 'hosts', n), `Address = ${n}.example.org\nPort = 655\n`);
  return { meta, tinc };
}
