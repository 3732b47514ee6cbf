import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
import { NodeZoneUpdater, nextSerial, renderZone, serialOf, zoneEntries } from './node-zone.js';

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
