import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStore, RootSandbox } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { HostFacts } from './host-facts.js';

function hostWith(files: Record<string, string>): HostFacts {
  const root = mkdtempSync(path.join(os.tmpdir(), 'alfred-facts-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), text);
  }
  return new HostFacts(new FileStore(new RootSandbox(root)));
}

describe('host facts from the --root sandbox', () => {
  it('reads the bridge addresses from /proc/net/if_inet6 in compressed form', async () => {
    const facts = hostWith({
      '/proc/net/if_inet6': [
        'fe800000000000000000000000000001 05 40 20 80     mzBR',
        '20010db8000000010000000000000000 05 40 00 80     mzBR',
        '00000000000000000000000000000001 01 80 10 80       lo',
        'fd370000000000010000000000000000 06 40 00 80   otherBR',
        '20010db8000000000001000000000001 05 40 00 80     mzBR',
      ].join('\n'),
    });
    expect(await facts.ipv6Addresses('mzBR')).toEqual(['fe80::1', '2001:db8:0:1::', '2001:db8::1:0:0:1']);
    expect(await facts.ipv6Addresses('lo')).toEqual(['::1']);
  });

  it('turns a missing or malformed counter into one clear problem', async () => {
    const facts = hostWith({ '/sys/class/net/bat0/statistics/rx_bytes': 'n/a\n' });
    expect(await facts.counter('/sys/class/net/bat0/statistics/rx_bytes', 'traffic')).toBeUndefined();
    expect(await facts.counter('/sys/class/net/bat0/statistics/tx_bytes', 'traffic')).toBeUndefined();
    expect(await facts.mac('bat0', 'network.mac')).toBeUndefined();
    expect(facts.problems).toEqual([
      'traffic: /sys/class/net/bat0/statistics/rx_bytes is not a counter: "n/a"',
      'traffic: /sys/class/net/bat0/statistics/tx_bytes does not exist',
      'network.mac: /sys/class/net/bat0/address does not exist',
    ]);
  });

  it('reads /etc/os-release like lsb_release -is/-rs and /proc/meminfo in kB', async () => {
    const facts = hostWith({
      '/etc/os-release':
        'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\n',
      '/proc/meminfo': 'MemTotal:        4045572 kB\nMemFree:         1334868 kB\nActive(anon):      1 kB\n',
    });
    expect(await facts.osRelease()).toEqual({ base: 'Debian', release: '12' });
    expect(await facts.meminfo()).toEqual({ MemTotal: 4045572, MemFree: 1334868, 'Active(anon)': 1 });
  });
});
