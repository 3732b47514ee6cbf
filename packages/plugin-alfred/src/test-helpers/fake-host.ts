import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface FakeHostOptions {
  batman: string;
  batmanMac: string;
  fastd: string;
  fastdMac: string;
  bridge: string;
  /** if_inet6 form: 32 hex digits. */
  bridgeAddressHex: string;
  /** /sys counters to leave out (e.g. tx_dropped). */
  missingCounters?: string[];
}

/** Writes the /proc, /sys and /etc files `alfred announce` reads into a `--root` directory. */
export function writeFakeHost(root: string, o: FakeHostOptions): void {
  const put = (p: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), text);
  };
  put('/proc/uptime', '1234567.89 2345678.12\n');
  put('/proc/loadavg', '0.42 0.30 0.25 1/187 12345\n');
  put(
    '/proc/meminfo',
    'MemTotal:        4045572 kB\nMemFree:         1334868 kB\nBuffers:          254828 kB\nCached:          1568364 kB\n',
  );
  put(
    '/proc/cpuinfo',
    'processor\t: 0\nmodel name\t: QEMU Virtual CPU\n\nprocessor\t: 1\nmodel name\t: QEMU Virtual CPU\n',
  );
  put(
    '/proc/net/if_inet6',
    `${o.bridgeAddressHex} 05 40 00 80 ${o.bridge}\nfe800000000000000000000000000001 05 40 20 80 ${o.bridge}\n`,
  );
  put(
    '/etc/os-release',
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\n',
  );
  put('/sys/module/batman_adv/version', '2023.0\n');
  put(`/sys/class/net/${o.batman}/address`, `${o.batmanMac}\n`);
  put(`/sys/class/net/${o.fastd}/address`, `${o.fastdMac}\n`);
  const counters = {
    rx_bytes: 23567081209,
    rx_packets: 81283744,
    tx_bytes: 31840117211,
    tx_packets: 79402431,
    tx_dropped: 1803,
  };
  for (const [name, value] of Object.entries(counters)) {
    if (!o.missingCounters?.includes(name))
      put(`/sys/class/net/${o.batman}/statistics/${name}`, `${value}\n`);
  }
}
