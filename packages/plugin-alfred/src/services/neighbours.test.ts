import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { batmanNeighbours } from './neighbours.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-data/batctl');
const fixture = (name: string) => readFileSync(path.join(dir, name), 'utf8');

describe('batman-adv neighbours from batctl o', () => {
  // 0b is reached through itself; 0c's best route goes through 0b, its direct one (TQ 180) is
  // a potential next hop (debugfs) or a second line (netlink); f2… and e8… are not neighbours.
  it.each(['o-legacy-debugfs-2016.txt', 'o-netlink-2023.txt'])(
    'reads the direct neighbours of %s',
    (file) => {
      expect(Object.fromEntries(batmanNeighbours(fixture(file)))).toEqual({
        mzVPN: {
          '02:ca:fe:00:00:0b': { tq: 255, lastseen: 0.31 },
          '02:ca:fe:00:00:0c': { tq: 180, lastseen: 1.02 },
        },
      });
    },
  );

  it('has none without originators, and ignores garbage lines', () => {
    expect(batmanNeighbours('').size).toBe(0);
    expect(batmanNeighbours('Error - mesh interface bat0 is not present\n').size).toBe(0);
    expect(batmanNeighbours(' * 02:ca:fe:00:00:0b 0.310s (999) 02:ca:fe:00:00:0b [ mzVPN]\n').size).toBe(0);
  });

  it('takes a direct route’s TQ up to 255, a potential next hop only for the originator itself', () => {
    const a = '02:ca:fe:00:00:0a';
    const b = '02:ca:fe:00:00:0b';
    const c = '02:ca:fe:00:00:0c';
    const d = '02:ca:fe:00:00:0d';
    const e = '02:ca:fe:00:00:0e';
    const out = [
      ` * ${a}    2s   (  0) ${a} [ vpn0]`,
      `${b} 0.5s (255) ${a} [vpn0]: ${a} (255) ${b} (7)`,
      `${c} 0.5s (255) ${a} [vpn0]: ${c} (256)`,
      // The route through itself counts, not a potential next hop's TQ for it.
      `${d.replace('0d', '0f')} 0.5s (201) ${d.replace('0d', '0f')} [vpn0]: ${d.replace('0d', '0f')} (99)`,
      `   ${d}    1.5s   (256) ${d} [ vpn0]`,
      `x ${e}    1.5s   (200) ${e} [ vpn0]`,
      `${e}    1.5s   (200) ${e} [ vpn1]   `,
      `${e}    1.5s   (200) ${e} [ vpn1 ]x`,
    ].join('\n');
    expect(Object.fromEntries(batmanNeighbours(out))).toEqual({
      vpn0: {
        [a]: { tq: 0, lastseen: 2 },
        [b]: { tq: 7, lastseen: 0.5 },
        '02:ca:fe:00:00:0f': { tq: 201, lastseen: 0.5 },
      },
      vpn1: { [e]: { tq: 200, lastseen: 1.5 } },
    });
  });
});
