import type { FileStore } from '@ffphoton/core';

/**
 * Reads host data from /proc, /sys and /etc through the `--root` sandbox. Every missing or
 * malformed source is recorded as one problem and yields undefined, so one absent counter
 * never stops an announcement.
 */
export class HostFacts {
  readonly problems: string[] = [];

  constructor(private readonly files: FileStore) {}

  /** The trimmed text of a file, or undefined (and a problem) when it cannot be read. */
  async text(path: string, what: string): Promise<string | undefined> {
    try {
      const text = await this.files.readTextIfExists(path);
      if (text === undefined) this.problems.push(`${what}: ${path} does not exist`);
      return text?.trim();
    } catch (error) {
      this.problems.push(`${what}: cannot read ${path}: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** A non-negative integer file (a /sys counter). */
  async counter(path: string, what: string): Promise<number | undefined> {
    const text = await this.text(path, what);
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text)) {
      this.problems.push(`${what}: ${path} is not a counter: ${JSON.stringify(text.slice(0, 40))}`);
      return undefined;
    }
    return Number(text);
  }

  async mac(ifname: string, what: string): Promise<string | undefined> {
    const text = await this.text(`/sys/class/net/${ifname}/address`, what);
    if (text === undefined) return undefined;
    if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(text)) {
      this.problems.push(`${what}: ${ifname} has no MAC address (${JSON.stringify(text)})`);
      return undefined;
    }
    return text;
  }

  /** Interfaces enslaved to `ifname` (its `lower_*` links in sysfs). */
  async lowerInterfaces(ifname: string): Promise<string[]> {
    const entries = await this.files.list(`/sys/class/net/${ifname}`);
    return entries.filter((e) => e.startsWith('lower_')).map((e) => e.slice('lower_'.length));
  }

  /** `/proc/net/if_inet6` addresses of one interface, in RFC 5952-ish full form. */
  async ipv6Addresses(ifname: string): Promise<string[]> {
    const text = await this.text('/proc/net/if_inet6', 'network.addresses');
    if (text === undefined) return [];
    const addresses: string[] = [];
    for (const line of text.split('\n')) {
      const [hex, , , , , name] = line.trim().split(/\s+/);
      if (name !== ifname || !/^[0-9a-f]{32}$/.test(hex ?? '')) continue;
      addresses.push(compressIpv6(hex.match(/.{4}/g)!.map((group) => group.replace(/^0{1,3}/, ''))));
    }
    return addresses;
  }

  /** `KEY: VALUE kB` lines of /proc/meminfo. */
  async meminfo(): Promise<Record<string, number>> {
    const text = await this.text('/proc/meminfo', 'memory');
    const values: Record<string, number> = {};
    for (const line of text?.split('\n') ?? []) {
      const match = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line);
      if (match) values[match[1]] = Number(match[2]);
    }
    return values;
  }

  /** NAME and VERSION_ID of /etc/os-release (what `lsb_release -is/-rs` gave). */
  async osRelease(): Promise<{ base?: string; release?: string }> {
    const text = await this.text('/etc/os-release', 'software.firmware');
    const fields: Record<string, string> = {};
    for (const line of text?.split('\n') ?? []) {
      const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
      if (match) fields[match[1]] = match[2].replace(/^"(.*)"$/, '$1');
    }
    return { base: fields.NAME?.replace(/ GNU\/Linux$/, ''), release: fields.VERSION_ID };
  }
}

/** Joins eight hex groups, replacing the longest run of zero groups with `::`. */
function compressIpv6(groups: string[]): string {
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i += 1;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j += 1;
    if (j - i > bestLength) {
      best = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLength).join(':')}`;
}
