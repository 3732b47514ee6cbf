import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { localClients, selectedGateway } from './batctl-output.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-data/batctl');
const fixture = (name: string) => readFileSync(path.join(dir, name), 'utf8');

describe('batctl output', () => {
  it.each(['gwl-legacy-debugfs-2016.txt', 'gwl-netlink-2023.txt'])(
    'finds the selected gateway in %s',
    (file) => {
      expect(selectedGateway(fixture(file))).toBe('02:ca:fe:00:00:0b');
    },
  );

  it('has no selected gateway in server mode or without gateways', () => {
    expect(selectedGateway(fixture('gwl-netlink-2023.txt').replace('* ', '  '))).toBeUndefined();
    expect(selectedGateway('No gateways in range ...\n')).toBeUndefined();
  });

  it('counts local clients, not the node’s own (NOPURGE) entries', () => {
    const tl = [
      '[B.A.T.M.A.N. adv 2023.0, MainIF/MAC: mzVPN/02:ca:fe:00:00:0a (mzBAT/02:ca:fe:00:ff:0a BATMAN_IV)]',
      'Client             VID Flags    Last seen (CRC       )',
      '02:ca:fe:00:ff:0a   -1 [.P....]   0.000   (0x12345678)',
      '33:33:00:00:00:01   -1 [.P....]   0.000   (0x12345678)',
      'a0:b1:c2:d3:e4:f5   -1 [......]   1.520   (0x12345678)',
      'a0:b1:c2:d3:e4:f6    0 [....W.]   3.100   (0x12345678)',
      'a0:b1:c2:d3:e4:f6   -1 [....W.]   3.100   (0x12345678)',
    ].join('\n');
    expect(localClients(tl)).toEqual(['a0:b1:c2:d3:e4:f5', 'a0:b1:c2:d3:e4:f6']);
  });

  it('takes the marked gateway only where a line starts with it', () => {
    const a = '02:ca:fe:00:00:0a';
    const b = '02:ca:fe:00:00:0b';
    expect(selectedGateway(`  ${a} (255) ${a} [ mzVPN]\n* ${b} (231) ${a} [ mzVPN]\n`)).toBe(b);
    expect(selectedGateway(`=>${b} (255) ${a} [ mzVPN]\n`)).toBe(b);
    expect(selectedGateway(`x * ${b} (255) ${a} [ mzVPN]\n`)).toBeUndefined();
    expect(selectedGateway(`* ${b}x (255) ${a} [ mzVPN]\n`)).toBeUndefined();
    expect(selectedGateway(`* ${b} 255\n`)).toBeUndefined();
    expect(selectedGateway(`* 02:ca:fe:00:00 (255)\n`)).toBeUndefined();
  });

  it('reads client lines with or without a leading *, any VID, and no other lines', () => {
    const tl = [
      ' * a0:b1:c2:d3:e4:01   -1 [......]   1.520   (0x12345678)',
      'a0:b1:c2:d3:e4:02 12 [....W.] 3.1 (0x1)',
      'x a0:b1:c2:d3:e4:03   -1 [......]   1.520   (0x12345678)',
      'a0:b1:c2:d3:e4:04   -1 (......)   1.520   (0x12345678)',
      'a0:b1:c2:d3:e4:05   x1 [......]   1.520   (0x12345678)',
      'a0:b1:c2:d3:e4:06   -1 [..P...]',
    ].join('\n');
    expect(localClients(tl)).toEqual(['a0:b1:c2:d3:e4:01', 'a0:b1:c2:d3:e4:02']);
  });
});
