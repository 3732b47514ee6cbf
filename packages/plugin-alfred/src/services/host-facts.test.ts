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

describe('host facts: edges', () => {
  it('an unreadable file is one problem naming why', async () => {
    const facts = hostWith({ '/proc/uptime/x': '' });
    expect(await facts.text('/proc/uptime', 'uptime')).toBeUndefined();
    expect(facts.problems).toEqual([expect.stringMatching(/^uptime: cannot read \/proc\/uptime: EISDIR/)]);
  });

  it('a counter is digits only; the shown value is cut at 40 characters', async () => {
    const facts = hostWith({
      '/c/ok': ' 42\n',
      '/c/tail': '42x',
      '/c/head': 'x42',
      '/c/neg': '-1',
      '/c/long': `${'9'.repeat(39)}xyz`,
    });
    expect(await facts.counter('/c/ok', 'c')).toBe(42);
    for (const name of ['tail', 'head', 'neg', 'long'])
      expect(await facts.counter(`/c/${name}`, 'c')).toBeUndefined();
    expect(facts.problems).toEqual([
      'c: /c/tail is not a counter: "42x"',
      'c: /c/head is not a counter: "x42"',
      'c: /c/neg is not a counter: "-1"',
      `c: /c/long is not a counter: "${'9'.repeat(39)}x"`,
    ]);
  });

  it('a MAC is six lower-case pairs and nothing else', async () => {
    const facts = hostWith({
      '/sys/class/net/a/address': '02:ca:fe:00:00:01\n',
      '/sys/class/net/b/address': '02:ca:fe:00:00:01:02',
      '/sys/class/net/c/address': 'x02:ca:fe:00:00:01',
      '/sys/class/net/d/address': '02:CA:FE:00:00:01',
    });
    expect(await facts.mac('a', 'm')).toBe('02:ca:fe:00:00:01');
    for (const iface of ['b', 'c', 'd']) expect(await facts.mac(iface, 'm')).toBeUndefined();
    expect(facts.problems).toEqual([
      'm: b has no MAC address ("02:ca:fe:00:00:01:02")',
      'm: c has no MAC address ("x02:ca:fe:00:00:01")',
      'm: d has no MAC address ("02:CA:FE:00:00:01")',
    ]);
  });

  it('lower interfaces are the lower_* links only', async () => {
    const facts = hostWith({
      '/sys/class/net/bat0/lower_eth1/x': '',
      '/sys/class/net/bat0/lower_vpn0/x': '',
      '/sys/class/net/bat0/upper_br0/x': '',
      '/sys/class/net/bat0/xlower_eth2': '',
    });
    expect(await facts.lowerInterfaces('bat0')).toEqual(['eth1', 'vpn0']);
    expect(await facts.lowerInterfaces('bat9')).toEqual([]);
  });

  it('compresses the longest run of zero groups (the first of equal ones), never a single zero', async () => {
    const facts = hostWith({
      '/proc/net/if_inet6': [
        '20010db8000000010001000100010001 05 40 00 80 br',
        '20010db8000000000001000000000000 05 40 00 80 br',
        '00000000000000000000000000000000 05 40 00 80 br',
        '20010db8000100010001000100010001 05 40 00 80 br',
        '0db8000000000000000000000000000 05 40 00 80 br',
        'g0010db8000000000000000000000001 05 40 00 80 br',
        '20010db8000000000000000000000001 05 40 00 80 br0',
      ].join('\n'),
    });
    expect(await facts.ipv6Addresses('br')).toEqual([
      '2001:db8:0:1:1:1:1:1',
      '2001:db8:0:0:1::',
      '::',
      '2001:db8:1:1:1:1:1:1',
    ]);
    expect(await hostWith({}).ipv6Addresses('br')).toEqual([]);
  });

  it('meminfo takes KEY: NUMBER lines only; os-release unquotes and drops " GNU/Linux" at the end', async () => {
    const facts = hostWith({
      '/proc/meminfo': 'MemTotal:  100 kB\nMem Free:  5 kB\nCached:abc\n Buffers: 7 kB\n',
      '/etc/os-release': ' NAME=Linux GNU/Linux Mint\nname="x"\nVERSION_ID="12"x\nID=debian\nxNAME=Other\n',
    });
    expect(await facts.meminfo()).toEqual({ MemTotal: 100 });
    expect(await facts.osRelease()).toEqual({ base: 'Linux GNU/Linux Mint', release: '"12"x' });
    expect(await hostWith({ '/etc/os-release': 'NAME="Debian GNU/Linux"' }).osRelease()).toEqual({
      base: 'Debian',
      release: undefined,
    });
  });

  it('if_inet6 lines may be indented; a missing file is one problem', async () => {
    const facts = hostWith({
      '/proc/net/if_inet6': 'x\n   20010db8000000000000000000000001 05 40 00 80 br\n',
    });
    expect(await facts.ipv6Addresses('br')).toEqual(['2001:db8::1']);
    const none = hostWith({});
    expect(await none.ipv6Addresses('br')).toEqual([]);
    expect(none.problems).toEqual(['network.addresses: /proc/net/if_inet6 does not exist']);
  });
});
