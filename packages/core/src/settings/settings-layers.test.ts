import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { RootSandbox } from '../fs/root-sandbox.js';
import { defineSettings } from './namespace.js';
import {
  deepMerge,
  defaultSettingsFiles,
  environmentLayer,
  formatKeyPath,
  loadSettings,
  parseSettingsText,
  photonLocations,
} from './settings-loader.js';
import { z } from './zod.js';

const env = { HOME: '/home/gw', XDG_CONFIG_HOME: '', XDG_DATA_HOME: '' };

const web = defineSettings(
  'web-site',
  'test namespace',
  z.strictObject({
    title: z.string().default('Freifunk'),
    pageSize: z.number().int().default(20),
    theme: z
      .strictObject({ darkMode: z.boolean().default(false), accentColor: z.string().default('#dc0067') })
      .default({
        darkMode: false,
        accentColor: '#dc0067',
      }),
    mirrors: z.array(z.string()).default([]),
  }),
);

/** Settings files under a fresh --root, loaded with `extra` options. */
async function load(
  files: Record<string, string>,
  extra: { env?: NodeJS.ProcessEnv; configFiles?: string[] } = {},
) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'photon-layers-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return loadSettings({
    sandbox: new RootSandbox(root),
    env: extra.env ?? env,
    hostname: 'gw',
    timestamp: 't',
    configFiles: (extra.configFiles ?? []).map((f) => path.join(root, f)),
    namespaces: [web],
    knownNamespaces: ['web-site', 'fastd'],
  }).catch((error: unknown) => error as ConfigError);
}

const SYSTEM = 'etc/photon/photon.yaml';

describe('settings layers', () => {
  it('an empty file, a comment-only file and `~` are empty layers; the defaults fill in', async () => {
    for (const text of ['', '# nothing yet\n', '~\n', '---\n']) {
      const settings = await load({ [SYSTEM]: text });
      expect(settings).not.toBeInstanceOf(Error);
      expect((settings as Awaited<ReturnType<typeof loadSettings>>).resolved()).toEqual({
        'web-site': {
          title: 'Freifunk',
          pageSize: 20,
          theme: { darkMode: false, accentColor: '#dc0067' },
          mirrors: [],
        },
      });
    }
  });

  it('a top level that is no mapping is refused at line 1, whichever reader read it', async () => {
    for (const text of ['- a\n- b\n', 'just text\n', '42\n', '[1, 2]\n', '!!str x\n']) {
      const error = await load({ [SYSTEM]: text });
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(
        /photon\.yaml:1:1: the top level must be a mapping of settings namespaces$/,
      );
    }
  });

  it('PHOTON_<NS>__<KEY>__<KEY> overrides: multi-word names in camelCase, YAML values, the raw text when it is no YAML', () => {
    const layer = environmentLayer(
      {
        PHOTON_WEB_SITE__PAGE_SIZE: '50',
        PHOTON_WEB_SITE__THEME__DARK_MODE: 'true',
        PHOTON_WEB_SITE__THEME__ACCENT_COLOR: '#00ff00',
        PHOTON_WEB_SITE__MIRRORS: '[a, b]',
        PHOTON_WEB_SITE__TITLE: '[not yaml',
        PHOTON_FASTD__LIMIT__MAX_PEERS_2: '~',
        PHOTON_DATA_DIR: '/var/lib/x',
        OTHER__X: '1',
        PHOTON_FASTD__UNSET: undefined,
      },
      ['web-site', 'fastd'],
    );
    expect(layer).toStrictEqual({
      kind: 'env',
      file: '<environment>',
      data: {
        'web-site': {
          pageSize: 50,
          theme: { darkMode: true, accentColor: '#00ff00' },
          mirrors: ['a', 'b'],
          title: '[not yaml',
        },
        fastd: { limit: { maxPeers2: '~' } },
      },
    });
    expect(environmentLayer({ PHOTON_DATA_DIR: '/x', HOME: '/root' }, ['fastd'])).toBeUndefined();
    expect(() => environmentLayer({ PHOTON_FASTD__: '1', PHOTON_X: '1' }, ['fastd'])).not.toThrow();
    expect(() => environmentLayer({ PHOTON___X: '1' }, ['fastd'])).toThrow(
      new ConfigError('environment variable PHOTON___X names no known settings namespace', {
        file: '<environment>',
      }),
    );
  });

  it('a later environment key replaces a scalar an earlier one set where it needs a mapping', () => {
    expect(
      environmentLayer({ PHOTON_FASTD__LIMIT: '5', PHOTON_FASTD__LIMIT__MAX: '6' }, ['fastd'])?.data,
    ).toEqual({ fastd: { limit: { max: 6 } } });
  });

  it('loads environment overrides over the files and blames a bad one on the environment', async () => {
    const settings = await load(
      { [SYSTEM]: 'web-site:\n  title: Gateway\n  theme:\n    darkMode: false\n' },
      { env: { ...env, PHOTON_WEB_SITE__THEME__DARK_MODE: 'yes please', PHOTON_WEB_SITE__PAGE_SIZE: '5' } },
    );
    expect(settings).toBeInstanceOf(ConfigError);
    expect((settings as ConfigError).message).toBe(
      '<environment>: web-site.theme.darkMode: Invalid input: expected boolean, received string',
    );
  });

  it('a bad value in a file is blamed on its line even when the environment sets a sibling key', async () => {
    const error = await load(
      { [SYSTEM]: 'web-site:\n  theme:\n    darkMode: maybe\n' },
      { env: { ...env, PHOTON_WEB_SITE__THEME__ACCENT_COLOR: '#000000', PHOTON_WEB_SITE__TITLE: 'x' } },
    );
    expect((error as ConfigError).message).toBe(
      `${(error as ConfigError).location.file}:3:15: web-site.theme.darkMode: Invalid input: expected boolean, received string`,
    );
    expect((error as ConfigError).location.file).toMatch(/\/etc\/photon\/photon\.yaml$/);
  });

  it('a required key no file sets is named without a place; one whose mapping a file sets is blamed there', async () => {
    const required = defineSettings('needs', 'test', z.strictObject({ name: z.string(), port: z.number() }));
    const loadNeeds = async (files: Record<string, string>) => {
      const root = mkdtempSync(path.join(os.tmpdir(), 'photon-layers-'));
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        writeFileSync(path.join(root, file), text);
      }
      return loadSettings({
        sandbox: new RootSandbox(root),
        env,
        hostname: 'gw',
        timestamp: 't',
        configFiles: [],
        namespaces: [required],
        knownNamespaces: ['needs'],
      }).catch((error: ConfigError) => error.message);
    };
    expect(await loadNeeds({})).toBe(
      'needs.name: Invalid input: expected string, received undefined\n  needs.port: Invalid input: expected number, received undefined',
    );
    // A file that sets nothing of the namespace is not blamed either.
    expect(await loadNeeds({ [SYSTEM]: 'x-anchor: 1\n' })).toBe(
      'needs.name: Invalid input: expected string, received undefined\n  needs.port: Invalid input: expected number, received undefined',
    );
    expect(await loadNeeds({ [SYSTEM]: 'needs:\n  port: 1\n' })).toMatch(
      /photon\.yaml:2:3: needs\.name: Invalid input: expected string, received undefined$/,
    );
  });

  it('lists every problem, each with its own place, the first one in front', async () => {
    const error = await load(
      {
        [SYSTEM]: 'web-site:\n  title: 3\n',
        'c.yaml': 'web-site:\n  pageSize: many\n  thme: {}\n',
      },
      { configFiles: ['c.yaml'] },
    );
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).message.split('\n');
    expect(lines[0]).toMatch(
      /photon\.yaml:2:10: web-site\.title: Invalid input: expected string, received number$/,
    );
    expect(lines.slice(1).map((line) => line.replace(/^ {2}\/\S+\//, '  '))).toEqual([
      '  c.yaml:2:13: web-site.pageSize: Invalid input: expected number, received string',
      '  c.yaml:3:9: web-site: Unrecognized key: "thme" (did you mean "theme"?)',
    ]);
  });

  it('hints for several unknown keys at once, each by name; none for a key like nothing known', async () => {
    const error = await load({ [SYSTEM]: 'web-site:\n  titel: x\n  pagesize: 3\n  zzzzzzzz: 1\n' });
    expect((error as ConfigError).message).toMatch(
      /photon\.yaml:2:3: web-site: Unrecognized keys: "titel", "pagesize", "zzzzzzzz" \(did you mean "title" for "titel", "pageSize" for "pagesize"\?\)$/,
    );
    const unhinted = await load({ [SYSTEM]: 'web-site:\n  zzzzzzzz: 1\n' });
    expect((unhinted as ConfigError).message).toMatch(
      /photon\.yaml:2:13: web-site: Unrecognized key: "zzzzzzzz"$/,
    );
  });

  it('an unknown top-level key without a near known one lists the known keys', async () => {
    const error = await load({ [SYSTEM]: 'web-site: {}\nqqqqqqqq: 1\n' });
    expect((error as ConfigError).message).toMatch(
      /photon\.yaml:2:1: qqqqqqqq: unknown top-level key; known keys: fastd, web-site \(keys starting with "x-" are free for anchors\)$/,
    );
  });

  it('resolved(): the merged settings with the validated namespaces filled in, others as written', async () => {
    const settings = await load({
      [SYSTEM]: 'web-site:\n  title: Gateway\nfastd:\n  anything: [1]\nx-anchor: 1\n',
    });
    expect((settings as Awaited<ReturnType<typeof loadSettings>>).resolved()).toEqual({
      'web-site': {
        title: 'Gateway',
        pageSize: 20,
        theme: { darkMode: false, accentColor: '#dc0067' },
        mirrors: [],
      },
      fastd: { anything: [1] },
      'x-anchor': 1,
    });
  });

  it('the places photon reads from follow HOME and the XDG variables', () => {
    expect(
      photonLocations({ HOME: '/home/gw', XDG_CONFIG_HOME: '/cfg', XDG_DATA_HOME: '/data' }, '/etc'),
    ).toEqual({
      home_dir: '/home/gw',
      conf_dir: '/cfg/photon',
      data_dir: '/data/photon',
      call_dir: '/etc',
    });
    expect(photonLocations({}, '/')).toEqual({
      home_dir: os.homedir(),
      conf_dir: path.join(os.homedir(), '.config/photon'),
      data_dir: path.join(os.homedir(), '.local/share/photon'),
      call_dir: '/',
    });
    expect(defaultSettingsFiles({ HOME: '/home/gw' })).toEqual([
      { kind: 'system', file: '/etc/photon/photon.yaml' },
      { kind: 'user', file: '/home/gw/.config/photon/photon.yaml' },
    ]);
  });

  it('formats key paths with indexes', () => {
    expect(formatKeyPath(['fastd', 'instances', 1, 'statusSocket'])).toBe('fastd.instances[1].statusSocket');
    expect(formatKeyPath(['a', '2', 'b'])).toBe('a[2].b');
    expect(formatKeyPath([0, 'x'])).toBe('[0].x');
    expect(formatKeyPath([])).toBe('');
    expect(formatKeyPath(['a', 'v1', '2x', '12'])).toBe('a.v1.2x[12]');
  });

  it('a layer from text: a tag error names its line and column', () => {
    expect(() =>
      parseSettingsText(
        'config',
        'x.yaml',
        'a: 1\nb: !loc_join [1]\n',
        { env, hostname: 'h', timestamp: 't' },
        '/',
      ),
    ).toThrow(/^x\.yaml:2:\d+: /);
  });

  it('a --config directory gives its *.yaml and *.yml files, not backups or hidden ones', async () => {
    const settings = await load(
      {
        'conf/10-a.yaml': 'web-site:\n  title: A\n',
        'conf/20-b.yml': 'web-site:\n  pageSize: 7\n',
        'conf/30-c.yaml.bak': 'web-site:\n  title: backup\n',
        'conf/.40-hidden.yaml': 'web-site:\n  title: hidden\n',
        'conf/50-d.txt': 'web-site:\n  title: text\n',
      },
      { configFiles: ['conf'] },
    );
    const loaded = settings as Awaited<ReturnType<typeof loadSettings>>;
    expect(loaded.layers.map((l) => path.basename(l.file))).toEqual(['10-a.yaml', '20-b.yml']);
    expect(loaded.get(web)).toMatchObject({ title: 'A', pageSize: 7 });
    // Validated once: the same value on every get.
    expect(loaded.get(web)).toBe(loaded.get(web));
  });

  it('a key given twice in one mapping is an error, not the last one silently', async () => {
    const error = await load({ [SYSTEM]: 'web-site:\n  title: a\n  title: b\n' });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/photon\.yaml:3:3: invalid YAML: Map keys must be unique/);
  });

  it('merges a scalar over a mapping as a replacement, and a mapping over a scalar', () => {
    expect(deepMerge({ a: { b: 1 } }, { a: 5 })).toEqual({ a: 5 });
    expect(deepMerge({ a: 5 }, { a: { b: 1 } })).toEqual({ a: { b: 1 } });
    expect(deepMerge({ a: [1, 2] }, { a: { b: 1 } })).toEqual({ a: { b: 1 } });
    expect(deepMerge({ a: { b: 1 } }, { a: [3] })).toEqual({ a: [3] });
  });
});
