import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { RootSandbox } from '../fs/root-sandbox.js';
import { forgetSecrets, redactText } from '../log/redact.js';
import { photonSettings } from './core-settings.js';
import { defineSettings, type SettingsNamespace } from './namespace.js';
import { loadSettings } from './settings-loader.js';
import { readYaml } from './yaml-file.js';
import { z } from './zod.js';

const env = { HOME: '/home/gw', XDG_CONFIG_HOME: '', XDG_DATA_HOME: '' };
const base = { env, hostname: 'kaschu', timestamp: '2026.11.26-12.00.00' };
const radvd = defineSettings(
  'radvd',
  'test namespace',
  z.strictObject({ unit: z.string().default('radvd'), interfaces: z.array(z.string()).default([]) }),
);

function workdir() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'photon-bounds-'));
  mkdirSync(path.join(root, 'sandbox'));
  return { root, sandbox: new RootSandbox(path.join(root, 'sandbox')) };
}

/** The 360-byte billion-laughs document of issue 16: 9^10 strings under free `x-` keys. */
export function aliasBomb(): string {
  const lines = ['x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  let previous = 'a';
  for (const name of 'bcdefghij') {
    lines.push(`x-${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    previous = name;
  }
  return `${lines.join('\n')}\n`;
}

async function loadError(
  configFiles: string[],
  sandbox: RootSandbox,
  namespaces: SettingsNamespace[] = [radvd],
) {
  const error = await loadSettings({
    sandbox,
    ...base,
    configFiles,
    namespaces,
    knownNamespaces: ['radvd', 'photon'],
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('settings are bounded input', () => {
  it('refuses a YAML alias bomb in milliseconds (the quick reader too)', async () => {
    const { root, sandbox } = workdir();
    const file = path.join(root, 'bomb.yaml');
    writeFileSync(file, aliasBomb());
    const started = Date.now();
    // The loader returned the shared tree at once; the first walk over it never ended.
    const error = await Promise.race([
      loadError([file], sandbox),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('not refused')), 1000)),
    ]);
    expect(error.message).toMatch(/bomb\.yaml: aliases expand to more than \d+ values|bomb\.yaml: .*alias/i);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('refuses an alias bomb in a plugin YAML file', () => {
    expect(() => readYaml(aliasBomb(), { source: 'keys.yaml' })).toThrow(/keys\.yaml: .*alias/i);
  });

  it('refuses /dev/zero and a FIFO (also inside a --config directory) at once', async () => {
    const { root, sandbox } = workdir();
    expect((await loadError(['/dev/zero'], sandbox)).message).toBe(
      '/dev/zero: not a regular file (a character device)',
    );
    mkdirSync(path.join(root, 'conf'));
    writeFileSync(path.join(root, 'conf', '10-a.yaml'), 'radvd: {unit: r}\n');
    execFileSync('mkfifo', [path.join(root, 'conf', '20-fifo.yaml')]);
    expect((await loadError([path.join(root, 'conf')], sandbox)).message).toBe(
      `${path.join(root, 'conf', '20-fifo.yaml')}: not a regular file (a FIFO)`,
    );
  });

  it('refuses a settings file over 1 MiB', async () => {
    const { root, sandbox } = workdir();
    const file = path.join(root, 'big.yaml');
    writeFileSync(file, `x-pad: "${'x'.repeat(1024 * 1024)}"\n`);
    expect((await loadError([file], sandbox)).message).toBe(
      `${file}: settings file is larger than the limit of 1 MiB`,
    );
  });

  it('refuses YAML nested deeper than the limit', async () => {
    const { root, sandbox } = workdir();
    const file = path.join(root, 'deep.yaml');
    writeFileSync(file, `x-deep: ${'['.repeat(200)}${']'.repeat(200)}\n`);
    expect((await loadError([file], sandbox)).message).toMatch(/deep\.yaml: .*nested deeper than 64 levels/);
  });

  it('refuses a 100,000-character host name', async () => {
    const { root, sandbox } = workdir();
    const file = path.join(root, 'host.yaml');
    writeFileSync(file, `photon:\n  hostname: ${'a'.repeat(100_000)}\n`);
    expect((await loadError([file], sandbox, [photonSettings])).message).toMatch(
      /host\.yaml:2:13: photon\.hostname: .*63/,
    );
  });
});

describe('layered settings errors', () => {
  it('name the file and line that set the value, not the last file touching its parent', async () => {
    const { root, sandbox } = workdir();
    mkdirSync(path.join(root, 'sandbox/home/gw/.config/photon'), { recursive: true });
    writeFileSync(path.join(root, 'sandbox/home/gw/.config/photon/photon.yaml'), 'radvd:\n  unit: 5\n');
    const override = path.join(root, 'override.yaml');
    writeFileSync(override, 'radvd:\n  interfaces: [br0]\n');
    const error = await loadError([override], sandbox);
    expect(error.message).toMatch(
      /^\/home\/gw\/\.config\/photon\/photon\.yaml:2:9: radvd\.unit: .*expected string/,
    );
  });
});

describe('secrets of the settings', () => {
  it('are hidden from every sink as soon as their file is read, even when a later file fails', async () => {
    const { root, sandbox } = workdir();
    const first = path.join(root, '10-mail.yaml');
    writeFileSync(first, 'x-mail: {password: Hunter2Hunter2}\n');
    const broken = path.join(root, '20-broken.yaml');
    writeFileSync(broken, 'radvd: [1, 2\n');
    try {
      await loadError([first, broken], sandbox);
      expect(redactText('auth failed for Hunter2Hunter2')).toBe('auth failed for ***');
    } finally {
      forgetSecrets();
    }
  });
});
