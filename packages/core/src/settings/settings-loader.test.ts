import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { RootSandbox } from '../fs/root-sandbox.js';
import { defineSettings } from './namespace.js';
import { deepMerge, loadSettings, parseSettingsText } from './settings-loader.js';
import { z } from './zod.js';

const env = { HOME: '/home/gw', XDG_CONFIG_HOME: '', XDG_DATA_HOME: '' };
const base = { env, hostname: 'kaschu', timestamp: '2026.11.26-12.00.00' };

const fastd = defineSettings(
  'fastd',
  'test namespace',
  z.strictObject({
    additional: z.number().int().default(8),
    instances: z.array(z.strictObject({ name: z.string(), statusSocket: z.string() })).default([]),
  }),
);

function sandboxWith(files: Record<string, string>) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'photon-settings-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return { root, sandbox: new RootSandbox(root) };
}

describe("Photon's YAML tags", () => {
  it('joins strings with the hostname and timestamp keywords, Python-style scalars', () => {
    const layer = parseSettingsText(
      'config',
      'x.yaml',
      "a: !str_join ['gw-', 'hostname', '-', 'timestamp', '-', 3, '-', true]\n",
      base,
      '/etc/photon',
    );
    expect(layer.data.a).toBe('gw-kaschu-2026.11.26-12.00.00-3-True');
  });

  it('prints False, None and True as Python did, on the quick and on the exact reader alike', () => {
    const text = "a: !str_join [false, null, ~, 1.5, x, true]\nb: !loc_join ['/srv/', 'keys', '', 'gw']\n";
    // A quoted scalar over two lines sends the file to the `yaml` package's reader.
    for (const extra of ['', 'c: "two\n  lines"\n']) {
      expect(parseSettingsText('config', 'x.yaml', text + extra, base, '/').data).toMatchObject({
        a: 'FalseNoneNone1.5xTrue',
        b: '/srv/keys/gw',
      });
    }
  });

  it('refuses a tag on a mapping or a scalar at its line, as Photon raised (it kept the mapping)', () => {
    for (const [text, what] of [
      ['a: 1\nb: !str_join\n  c: 1\n', '!str_join takes a sequence of items, not a mapping'],
      ['a: 1\nb: !loc_join {c: 1}\n', '!loc_join takes a sequence of items, not a mapping'],
      ['a: 1\nb: !str_join hostname\n', '!str_join takes a sequence of items, not a scalar'],
    ]) {
      expect(() => parseSettingsText('config', 'x.yaml', text, base, '/')).toThrow(
        new ConfigError(`invalid YAML: ${what}`, { file: 'x.yaml', line: 2, column: 4 }),
      );
    }
  });

  it('matches keywords only as whole items', () => {
    const layer = parseSettingsText(
      'config',
      'x.yaml',
      "a: !str_join ['hostnames', 'my hostname']\n",
      base,
      '/',
    );
    expect(layer.data.a).toBe('hostnamesmy hostname');
  });

  it('joins locations; an absolute item resets the join; call_dir is the file directory', () => {
    const text = [
      "a: !loc_join ['data_dir', 'backups']",
      "b: !loc_join ['/usr/local', '/bin', 'x']",
      "c: !loc_join ['call_dir', 'peers']",
      "d: !loc_join ['home_dir', 'conf_dir']",
    ].join('\n');
    const layer = parseSettingsText('config', 'x.yaml', text, base, '/etc/photon');
    expect(layer.data).toEqual({
      a: '/home/gw/.local/share/photon/backups',
      b: '/bin/x',
      c: '/etc/photon/peers',
      d: '/home/gw/.config/photon',
    });
  });

  it('resolves anchors to tagged nodes to the joined string, and tags nest', () => {
    const text = [
      "x-prefix: &PRFX !str_join ['ff', 'hostname']",
      'fastd:',
      '  name: *PRFX',
      "  path: !loc_join ['data_dir', *PRFX, !str_join ['backup-', 'timestamp']]",
    ].join('\n');
    const layer = parseSettingsText('config', 'x.yaml', text, base, '/');
    expect(layer.data.fastd).toEqual({
      name: 'ffkaschu',
      path: '/home/gw/.local/share/photon/ffkaschu/backup-2026.11.26-12.00.00',
    });
  });

  it('rejects a non-string !loc_join item with file and line', () => {
    expect(() => parseSettingsText('config', 'bad.yaml', 'a: 1\nb: !loc_join [1, 2]\n', base, '/')).toThrow(
      /bad\.yaml:2:14: !loc_join takes strings/,
    );
  });
});

describe('loadSettings', () => {
  it('layers system < user < --config < PHOTON_ env, objects merged key by key', async () => {
    const { root, sandbox } = sandboxWith({
      'etc/photon/photon.yaml': 'fastd:\n  additional: 4\n  instances: [{name: mz, statusSocket: /run/a}]\n',
      'home/gw/.config/photon/photon.yaml': 'fastd:\n  additional: 5\n',
      'extra.yaml': 'fastd:\n  additional: 6\n',
    });
    const common = {
      sandbox,
      hostname: 'gw',
      timestamp: 't',
      namespaces: [fastd],
      knownNamespaces: ['fastd'],
    };
    let settings = await loadSettings({ ...common, env, configFiles: [] });
    expect(settings.get(fastd).additional).toBe(5);
    expect(settings.get(fastd).instances).toEqual([{ name: 'mz', statusSocket: '/run/a' }]);
    settings = await loadSettings({ ...common, env, configFiles: [path.join(root, 'extra.yaml')] });
    expect(settings.get(fastd).additional).toBe(6);
    settings = await loadSettings({
      ...common,
      env: { ...env, PHOTON_FASTD__ADDITIONAL: '9' },
      configFiles: [path.join(root, 'extra.yaml')],
    });
    expect(settings.get(fastd).additional).toBe(9);
    expect(settings.layers.map((l) => l.kind)).toEqual(['system', 'user', 'config', 'env']);
  });

  it('fills defaults when a namespace is absent', async () => {
    const { sandbox } = sandboxWith({});
    const settings = await loadSettings({
      sandbox,
      ...base,
      configFiles: [],
      namespaces: [fastd],
      knownNamespaces: ['fastd'],
    });
    expect(settings.get(fastd)).toEqual({ additional: 8, instances: [] });
  });

  it('names file, line, column and key path of a wrong type', async () => {
    const { root, sandbox } = sandboxWith({
      'c.yaml':
        'fastd:\n  instances:\n    - {name: mz, statusSocket: /run/a}\n    - name: wi\n      statusSocket: 42\n',
    });
    const error = await loadSettings({
      sandbox,
      ...base,
      configFiles: [path.join(root, 'c.yaml')],
      namespaces: [fastd],
      knownNamespaces: ['fastd'],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).location).toMatchObject({
      line: 5,
      column: 21,
      keyPath: 'fastd.instances[1].statusSocket',
    });
    expect((error as Error).message).toMatch(
      /c\.yaml:5:21: fastd\.instances\[1\]\.statusSocket: .*expected string/i,
    );
  });

  it('rejects an unknown top-level key with a suggestion, allows x- keys', async () => {
    const { root, sandbox } = sandboxWith({ 'c.yaml': 'x-anchors: {a: 1}\nfastdd:\n  additional: 3\n' });
    await expect(
      loadSettings({
        sandbox,
        ...base,
        configFiles: [path.join(root, 'c.yaml')],
        namespaces: [fastd],
        knownNamespaces: ['fastd'],
      }),
    ).rejects.toThrow(/c\.yaml:2:1: fastdd: unknown top-level key \(did you mean "fastd"\?\)/);
  });

  it('points a mistyped key at any depth at its own line, with the nearest known key', async () => {
    const { root, sandbox } = sandboxWith({
      'c.yaml': 'fastd:\n  instances:\n    - name: a\n      statusSocket: /s\n      nmae: b\n',
    });
    await expect(
      loadSettings({
        sandbox,
        ...base,
        configFiles: [path.join(root, 'c.yaml')],
        namespaces: [fastd],
        knownNamespaces: ['fastd'],
      }),
    ).rejects.toThrow(
      /c\.yaml:5:13: fastd\.instances\[0\]: Unrecognized key: "nmae" \(did you mean "name"\?\)/,
    );
  });

  it('reports malformed YAML with its position', async () => {
    const { root, sandbox } = sandboxWith({ 'c.yaml': 'fastd:\n  additional: [1, 2\n' });
    await expect(
      loadSettings({
        sandbox,
        ...base,
        configFiles: [path.join(root, 'c.yaml')],
        namespaces: [],
        knownNamespaces: [],
      }),
    ).rejects.toThrow(/c\.yaml:\d+:\d+: invalid YAML/);
  });

  it('a missing --config file is an error; a missing system file is not', async () => {
    const { sandbox } = sandboxWith({});
    await expect(
      loadSettings({
        sandbox,
        ...base,
        configFiles: ['/nonexistent/photon.yaml'],
        namespaces: [],
        knownNamespaces: [],
      }),
    ).rejects.toThrow('/nonexistent/photon.yaml: file not found');
  });

  it('reads every *.yaml of a --config directory in name order', async () => {
    const { root, sandbox } = sandboxWith({
      'conf/10-a.yaml': 'fastd:\n  additional: 1\n',
      'conf/20-b.yaml': 'fastd:\n  additional: 2\n',
      'conf/notes.txt': 'ignored',
    });
    const settings = await loadSettings({
      sandbox,
      ...base,
      configFiles: [path.join(root, 'conf')],
      namespaces: [fastd],
      knownNamespaces: ['fastd'],
    });
    expect(settings.get(fastd).additional).toBe(2);
    expect(settings.layers.map((l) => path.basename(l.file))).toEqual(['10-a.yaml', '20-b.yaml']);
  });

  it('an environment variable for an unknown namespace is an error', async () => {
    const { sandbox } = sandboxWith({});
    await expect(
      loadSettings({
        sandbox,
        ...base,
        env: { ...env, PHOTON_NOPE__X: '1' },
        configFiles: [],
        namespaces: [],
        knownNamespaces: ['fastd'],
      }),
    ).rejects.toThrow(/PHOTON_NOPE__X/);
  });
});

describe('deepMerge', () => {
  it('merges maps key by key and removes a key a later layer sets to null', () => {
    const example = {
      git: { snapshot: { commands: { crontab: ['crontab', '-l'], package_list: ['dpkg', '-l'] } } },
    };
    const demo = {
      git: { snapshot: { commands: { crontab: null, package_list: null, uname: ['uname', '-sr'] } } },
    };
    expect(deepMerge(example, demo)).toEqual({
      git: { snapshot: { commands: { uname: ['uname', '-sr'] } } },
    });
    expect(deepMerge({ a: { b: 1 } }, { a: { c: 2 } })).toEqual({ a: { b: 1, c: 2 } });
  });
});
