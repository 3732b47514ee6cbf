import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CommandFailedError,
  FileStore,
  photonSettings,
  RootSandbox,
  ServiceManager,
  Shell,
  ValidationRejectedError,
} from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { alfredSettings, type ZoneSettings } from '../settings.js';
import type { DecodedRecords } from './alfred-records.js';
import { assignLabels, toDnsLabel } from './dns-labels.js';
import { NodeZoneUpdater, nextSerial, prefixSet, renderZone, serialOf, zoneEntries } from './node-zone.js';

function zoneSettings(extra: Record<string, unknown> = {}): ZoneSettings {
  return alfredSettings.schema.parse({
    zone: {
      name: 'nodes.ffmz.org',
      file: '/etc/bind/db.nodes.ffmz.org',
      prefixes: ['fd37:b4dc:4b1e::/64', '10.37.0.0/16'],
      nameservers: ['ns1.example.org.'],
      reloadCommand: ['true', '{zone}'],
      ...extra,
    },
  }).zone!;
}

const node = (hostname: unknown, n: number, addresses: unknown = [`fd37:b4dc:4b1e::${n}`]) => ({
  hostname,
  node_id: `02cafe0000${String(n).padStart(2, '0')}`,
  network: { addresses: [...(Array.isArray(addresses) ? addresses : [addresses]), 'fe80::1', '2001:db8::1'] },
});

const hostile: DecodedRecords = {
  nodes: {
    '02:ca:fe:00:00:01': node('Bahnhof Süd 1', 1),
    '02:ca:fe:00:00:02': node('node.with.dots', 2),
    '02:ca:fe:00:00:03': node('x'.repeat(300), 3),
    '02:ca:fe:00:00:04': node('twin', 4),
    '02:ca:fe:00:00:05': node('TWIN', 5),
    '02:ca:fe:00:00:06': node('🦜🦜', 6),
    '02:ca:fe:00:00:07': node(42, 7),
    '02:ca:fe:00:00:08': node('outside', 8, []),
    '02:ca:fe:00:00:09': node('ipv4', 9, '10.37.1.9'),
  },
  problems: [{ mac: '02:ca:fe:00:00:10', message: '02:ca:fe:00:00:10: not JSON (and not gzip): "x"' }],
};

describe('DNS labels', () => {
  it('folds accents, replaces spaces, dots and symbols, limits to 63 octets', () => {
    expect(toDnsLabel('Bahnhof Süd 1')).toBe('bahnhof-sud-1');
    expect(toDnsLabel('node.with.dots')).toBe('node-with-dots');
    expect(toDnsLabel('x'.repeat(300))).toHaveLength(63);
    expect(toDnsLabel('--a--')).toBe('a');
    expect(toDnsLabel('🦜')).toBe('');
  });

  it('keeps a name that already is a label, and only such a name', () => {
    for (const name of ['ffmz-node-1', 'a', '02cafe000001', 'x'.repeat(63)])
      expect(toDnsLabel(name)).toBe(name);
    expect(toDnsLabel('a--b')).toBe('a-b');
    expect(toDnsLabel('-a')).toBe('a');
    expect(toDnsLabel('a-')).toBe('a');
    expect(toDnsLabel('x'.repeat(64))).toBe('x'.repeat(63));
    expect(toDnsLabel('Node')).toBe('node');
  });

  it('makes duplicates unique in node_id order, stable across runs', () => {
    const labels = assignLabels([
      { key: 'b', hostname: 'twin', id: '02' },
      { key: 'a', hostname: 'Twin', id: '01' },
      { key: 'c', hostname: 'x'.repeat(70), id: '03' },
      { key: 'd', hostname: 'x'.repeat(80), id: '04' },
    ]);
    expect(labels.map((l) => l.label)).toEqual(['twin', 'twin-02', 'x'.repeat(63), `${'x'.repeat(60)}-04`]);
    expect(labels[1].note).toBe('duplicate host name');
  });
});

describe('node zone', () => {
  it('publishes every usable node once, reports the rest per node', () => {
    const { entries, skipped, problems } = zoneEntries(zoneSettings(), hostile);
    expect(Object.fromEntries(entries.map((e) => [e.label, e.addresses]))).toEqual({
      'bahnhof-sud-1': ['fd37:b4dc:4b1e::1'],
      'node-with-dots': ['fd37:b4dc:4b1e::2'],
      ['x'.repeat(63)]: ['fd37:b4dc:4b1e::3'],
      twin: ['fd37:b4dc:4b1e::4'],
      'twin-02cafe000005': ['fd37:b4dc:4b1e::5'],
      'node-02cafe000006': ['fd37:b4dc:4b1e::6'],
      ipv4: ['10.37.1.9'],
    });
    expect(problems).toEqual([
      '02:ca:fe:00:00:10: not JSON (and not gzip): "x"',
      '02:ca:fe:00:00:07: nodeinfo has no hostname',
    ]);
    expect(skipped).toEqual([expect.stringContaining('02:ca:fe:00:00:08 ("outside")')]);
  });

  it('renders a zone that the real named-checkzone accepts', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'alfred-zone-'));
    const file = path.join(dir, 'zone');
    const cfg = zoneSettings();
    writeFileSync(file, renderZone(cfg, zoneEntries(cfg, hostile).entries, 2026112700));
    const shell = new Shell({ dryRun: false, defaultTimeoutMs: 30_000 });
    const check = await shell.run(['named-checkzone', 'nodes.ffmz.org', file], { allowFailure: true });
    expect(check.stdout).toContain('OK');
    expect(check.exitCode).toBe(0);
  });

  it('serials grow: YYYYMMDD00 first, +1 on each change', () => {
    const now = new Date('2026-11-27T10:00:00Z');
    expect(nextSerial(undefined, now)).toBe(2026112700);
    expect(nextSerial(2026112700, now)).toBe(2026112701);
    expect(nextSerial(2026010105, now)).toBe(2026112700);
    // A hand-written zone's serial counts too, so secondaries see the change.
    expect(serialOf('$TTL 60\n@ IN SOA ns.x. h.x. 2030010101 3600 900 604800 300\n')).toBe(2030010101);
    expect(serialOf(renderZone(zoneSettings(), [], 2026112705))).toBe(2026112705);
    expect(serialOf('garbage')).toBeUndefined();
  });

  it('installs only when changed, and never a zone named-checkzone rejects', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'alfred-zone-root-'));
    const sandbox = new RootSandbox(root);
    const shell = new Shell({ dryRun: false, defaultTimeoutMs: 30_000 });
    const files = new FileStore(sandbox);
    const updater = new NodeZoneUpdater(
      shell,
      files,
      new ServiceManager(shell, photonSettings.schema.parse({ services: { reload: ['true'] } }).services),
      {
        now: () => new Date('2026-11-27T10:00:00Z'),
      },
    );
    const cfg = zoneSettings();
    const first = await updater.update(cfg, hostile);
    expect(first).toMatchObject({ changed: true, serial: 2026112700, reloaded: true });
    const installed = path.join(root, 'etc/bind/db.nodes.ffmz.org');
    expect(readFileSync(installed, 'utf8')).toContain('twin-02cafe000005 IN AAAA fd37:b4dc:4b1e::5');
    expect(await updater.update(cfg, hostile)).toMatchObject({
      changed: false,
      serial: 2026112700,
      reloaded: false,
    });
    const fewer = { nodes: { '02:ca:fe:00:00:01': hostile.nodes['02:ca:fe:00:00:01'] }, problems: [] };
    expect(await updater.update(cfg, fewer)).toMatchObject({ changed: true, serial: 2026112701 });
    // An NS name inside the zone without an address is an error for named-checkzone.
    const broken = zoneSettings({ nameservers: ['ns'] });
    const rejected = updater.update(broken, hostile);
    await expect(rejected).rejects.toBeInstanceOf(ValidationRejectedError);
    await expect(rejected).rejects.toThrow(
      /named-checkzone rejected the zone nodes\.ffmz\.org \(.*ns\.nodes\.ffmz\.org.*\); .* was left unchanged/,
    );
    // A validator that cannot run is a failure (exit 1), not a rejection.
    await expect(
      updater.update(zoneSettings({ checkCommand: ['/nonexistent/checkzone'] }), hostile),
    ).rejects.toBeInstanceOf(CommandFailedError);
    expect(readFileSync(installed, 'utf8')).toContain('2026112701 ; serial');
  });
});

describe('DNS labels: duplicates and fallbacks', () => {
  it('reserved labels count as taken; a third duplicate of the same id is numbered', () => {
    expect(
      assignLabels(
        [
          { key: 'a', hostname: 'twin', id: '01' },
          { key: 'b', hostname: 'twin', id: '01' },
          { key: 'c', hostname: 'twin', id: '01' },
          { key: 'd', hostname: 'Other Name', id: '02' },
          { key: 'e', hostname: '!!!', id: '!!!' },
          { key: 'f', hostname: '🦜', id: '03' },
        ],
        ['twin'],
      ),
    ).toEqual([
      { key: 'e', hostname: '!!!', label: 'node-node', note: 'no usable characters' },
      { key: 'a', hostname: 'twin', label: 'twin-01', note: 'duplicate host name' },
      { key: 'b', hostname: 'twin', label: 'twin-01-2', note: 'duplicate host name' },
      { key: 'c', hostname: 'twin', label: 'twin-01-3', note: 'duplicate host name' },
      { key: 'd', hostname: 'Other Name', label: 'other-name', note: 'made DNS-safe' },
      { key: 'f', hostname: '🦜', label: 'node-03', note: 'no usable characters' },
    ]);
  });

  it('a shortened duplicate loses a hyphen the cut leaves at its end; a nameless duplicate is node-ID', () => {
    const long = `${'x'.repeat(59)}-yyy`;
    expect(
      assignLabels([
        { key: 'a', hostname: long, id: '01' },
        { key: 'b', hostname: long, id: '04' },
        { key: 'c', hostname: '??', id: '05' },
        { key: 'd', hostname: '**', id: '05' },
      ]).map((l) => l.label),
    ).toEqual([long, `${'x'.repeat(59)}-04`, 'node-05', 'node-05-2']);
  });

  it('cuts at 63 octets before trimming hyphens', () => {
    expect(toDnsLabel(`${'x'.repeat(62)} yz`)).toBe('x'.repeat(62));
    expect(toDnsLabel(`Ä${'x'.repeat(62)}`)).toBe(`a${'x'.repeat(62)}`);
    expect(toDnsLabel('  Jürgen  ')).toBe('jurgen');
  });
});

describe('node zone: entries and file', () => {
  it('keeps only addresses in the prefixes, lower-cased and unique; names without id by MAC', () => {
    const { entries, skipped, problems } = zoneEntries(zoneSettings(), {
      nodes: {
        '02:ca:fe:00:00:02': {
          hostname: 'b',
          node_id: 7,
          network: {
            addresses: [
              'FD37:B4DC:4B1E::2',
              'fd37:b4dc:4b1e::2',
              'fd37:b4dc:4b1e::1',
              42,
              'junk',
              '10.38.0.1',
            ],
          },
        },
        '02:ca:fe:00:00:01': { hostname: 'a', network: { addresses: 'fd37:b4dc:4b1e::1' } },
        '02:ca:fe:00:00:03': { hostname: '   ', network: { addresses: ['fd37:b4dc:4b1e::3'] } },
        '02:ca:fe:00:00:04': { hostname: 'b', node_id: '', network: { addresses: ['FD37:B4DC:4B1E::4'] } },
        // Sorted by label in the zone, not by node_id.
        '02:ca:fe:00:00:06': {
          hostname: 'a-late',
          node_id: '02cafe0000ff',
          network: { addresses: ['fd37:b4dc:4b1e::6'] },
        },
        '02:ca:fe:00:00:05': { hostname: 'c' },
      },
      problems: [],
    });
    expect(entries).toEqual([
      { label: 'a-late', hostname: 'a-late', mac: '02:ca:fe:00:00:06', addresses: ['fd37:b4dc:4b1e::6'] },
      {
        label: 'b',
        hostname: 'b',
        mac: '02:ca:fe:00:00:02',
        addresses: ['fd37:b4dc:4b1e::1', 'fd37:b4dc:4b1e::2'],
      },
      {
        label: 'b-02cafe000004',
        hostname: 'b',
        mac: '02:ca:fe:00:00:04',
        addresses: ['fd37:b4dc:4b1e::4'],
        note: 'duplicate host name',
      },
    ]);
    expect(skipped).toEqual([
      '02:ca:fe:00:00:01 ("a"): no address in fd37:b4dc:4b1e::/64, 10.37.0.0/16',
      '02:ca:fe:00:00:05 ("c"): no address in fd37:b4dc:4b1e::/64, 10.37.0.0/16',
    ]);
    expect(problems).toEqual(['02:ca:fe:00:00:03: nodeinfo has no hostname']);
  });

  it('refuses a prefix that is none, naming the key', () => {
    expect(() => prefixSet(['fd37::/64', 'nonsense'])).toThrow(
      'alfred.zone.prefixes: not a prefix: "nonsense"',
    );
  });

  it('renders the whole zone file: SOA from the settings, names relative to the origin', () => {
    const cfg = zoneSettings({
      name: 'nodes.ffmz.org.',
      ttl: 60,
      nameservers: ['ns1', 'ns2.example.org.'],
      soa: {
        primary: 'master.example.org.',
        contact: 'noc',
        refresh: 100,
        retry: 50,
        expire: 1000,
        minimum: 30,
      },
    });
    const entries = [
      { label: 'a', hostname: 'a', mac: 'm', addresses: ['fd37:b4dc:4b1e::1', '10.37.0.1'] },
      { label: 'b', hostname: 'b', mac: 'n', addresses: ['fd37:b4dc:4b1e::2'] },
    ];
    expect(renderZone(cfg, entries, 2026112703)).toBe(
      [
        '; Generated by photon alfred zone from alfred nodeinfo. Do not edit.',
        '$ORIGIN nodes.ffmz.org.',
        '$TTL 60',
        '@ IN SOA master.example.org. noc.nodes.ffmz.org. (',
        '    2026112703 ; serial',
        '    100 ; refresh',
        '    50 ; retry',
        '    1000 ; expire',
        '    30 ; minimum',
        ')',
        '@ IN NS ns1.nodes.ffmz.org.',
        '@ IN NS ns2.example.org.',
        'a IN AAAA fd37:b4dc:4b1e::1',
        'a IN A 10.37.0.1',
        'b IN AAAA fd37:b4dc:4b1e::2',
        '',
      ].join('\n'),
    );
    // Defaults: the first name server is the primary, hostmaster the contact.
    const plain = renderZone(zoneSettings(), [], 1);
    expect(plain.split('\n').slice(1, 4)).toEqual([
      '$ORIGIN nodes.ffmz.org.',
      '$TTL 300',
      '@ IN SOA ns1.example.org. hostmaster.nodes.ffmz.org. (',
    ]);
  });

  it('reads the serial of SOA records as people write them', () => {
    expect(serialOf('@ IN SOA ns. h. ( 2030010101 3600')).toBe(2030010101);
    expect(serialOf('@\tIN\tSOA\tns.\th.\t(\n\t\t2030010102 ; serial')).toBe(2030010102);
    expect(serialOf('@ IN SOA ns. h. 2030010103 3600')).toBe(2030010103);
    expect(serialOf('@ IN SOAns. h. 2030010103 3600')).toBeUndefined();
    expect(serialOf('@ IN SOA ns. h. ( serial')).toBeUndefined();
    expect(serialOf(undefined)).toBeUndefined();
  });

  it('serials: padded month and day, the old serial + 1 when it is today’s or later', () => {
    const jan = new Date('2027-01-05T23:59:59Z');
    expect(nextSerial(undefined, jan)).toBe(2027010500);
    expect(nextSerial(2027010499, jan)).toBe(2027010500);
    expect(nextSerial(2027010500, jan)).toBe(2027010501);
    expect(nextSerial(2027010517, jan)).toBe(2027010518);
  });

  it('a dry run validates but installs and reloads nothing; an unchanged zone is left alone', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'alfred-zone-dry-'));
    const infos: string[] = [];
    const logger = { info: (_: unknown, message: string) => infos.push(message) } as never;
    const make = (dryRun: boolean) => {
      const shell = new Shell({ dryRun, defaultTimeoutMs: 30_000 });
      return new NodeZoneUpdater(
        shell,
        new FileStore(new RootSandbox(root), { dryRun }),
        new ServiceManager(shell, photonSettings.schema.parse({}).services),
        { now: () => new Date('2026-11-27T10:00:00Z') },
        logger,
      );
    };
    const cfg = zoneSettings();
    const dry = await make(true).update(cfg, hostile);
    expect(dry).toMatchObject({ changed: true, serial: 2026112700, reloaded: false });
    expect(infos).toEqual(['zone nodes.ffmz.org updated']);
    expect(existsSync(path.join(root, 'etc/bind/db.nodes.ffmz.org'))).toBe(false);
    const broken = make(true).update(zoneSettings({ nameservers: ['ns'] }), hostile);
    await expect(broken).rejects.toBeInstanceOf(ValidationRejectedError);
    // The message names the zone file, not the scratch copy named-checkzone saw.
    await expect(broken).rejects.toThrow(
      /\(zone nodes\.ffmz\.org\/IN: NS 'ns\.nodes\.ffmz\.org' has no address records/,
    );
    const error = (await broken.catch((e: unknown) => e)) as ValidationRejectedError;
    expect(error.message).not.toMatch(/photon-zone|\/tmp\//);
    expect(error.message).toMatch(/; \/etc\/bind\/db\.nodes\.ffmz\.org was left unchanged$/);
    expect(error.file).toBe('/etc/bind/db.nodes.ffmz.org');
    expect(error.output).toContain('has no address records');
    const live = make(false);
    const installed = await live.update(cfg, hostile);
    expect(installed).toMatchObject({ changed: true, reloaded: true });
    expect(statSync(path.join(root, 'etc/bind/db.nodes.ffmz.org')).mode & 0o777).toBe(0o644);
    const again = await live.update(cfg, hostile);
    expect(again).toEqual({ ...installed, changed: false, reloaded: false });
    // The validator saw a scratch copy: its path in the reason is the zone file's.
    const named = await live
      .update(
        zoneSettings({
          checkCommand: ['sh', '-c', 'echo; echo "$2:3: bad record"; exit 1', 'check'],
          ttl: 98,
        }),
        hostile,
      )
      .catch((e: unknown) => e as Error);
    expect((named as Error).message).toBe(
      'sh rejected the zone nodes.ffmz.org (/etc/bind/db.nodes.ffmz.org:3: bad record); /etc/bind/db.nodes.ffmz.org was left unchanged',
    );
    // A rejected zone with no output at all still says why.
    const silent = await live
      .update(zoneSettings({ checkCommand: ['sh', '-c', 'exit 3', 'check'], ttl: 99 }), hostile)
      .catch((e: unknown) => e as Error);
    expect((silent as Error).message).toBe(
      'sh rejected the zone nodes.ffmz.org (exit 3); /etc/bind/db.nodes.ffmz.org was left unchanged',
    );
  });
});
