import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { FileStore } from './file-store.js';
import { RootSandbox } from './root-sandbox.js';
import { fillTemplate, TemplateFile } from './template-file.js';

function setup(dryRun = false) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'photon-template-'));
  mkdirSync(path.join(root, 'etc'));
  const host = (p: string) => path.join(root, p);
  return { root, host, templates: new TemplateFile(new FileStore(new RootSandbox(root), { dryRun })) };
}

describe('fillTemplate', () => {
  it("uses Photon's string.Template syntax", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Photon's ${name} syntax, not JavaScript's
    expect(fillTemplate('router id $id; # ${name}x costs $$5', { id: '10.0.0.1', name: 'gw01' })).toBe(
      'router id 10.0.0.1; # gw01x costs $5',
    );
  });
  it('names a missing field or a stray $', () => {
    expect(() => fillTemplate('a $missing b', {})).toThrow(ConfigError);
    expect(() => fillTemplate('a $missing b', {})).toThrow('no value for "$missing"');
    expect(() => fillTemplate('cost: 5$', {})).toThrow('invalid "$" at offset 7');
  });
});

describe('TemplateFile', () => {
  it('appends only what is missing, after a backup, keeping the mode', async () => {
    const { host, templates } = setup();
    writeFileSync(host('etc/hosts'), '127.0.0.1 localhost');
    chmodSync(host('etc/hosts'), 0o640);
    const first = await templates.write('/etc/hosts', '10.0.0.1 gw01\n');
    expect(first.action).toBe('appended');
    expect(readFileSync(host('etc/hosts'), 'utf8')).toBe('127.0.0.1 localhost\n10.0.0.1 gw01\n');
    expect(statSync(host('etc/hosts')).mode & 0o777).toBe(0o640);
    expect(readFileSync(host(first.backup ?? ''), 'utf8')).toBe('127.0.0.1 localhost');
    expect(first.backup).toMatch(/^\/etc\/hosts_backup_\d{4}\.\d{2}\.\d{2}-\d{2}\.\d{2}\.\d{2}$/);
    // Already there: nothing written, no second backup.
    expect(await templates.write('/etc/hosts', '10.0.0.1 gw01\n')).toEqual({
      path: '/etc/hosts',
      action: 'unchanged',
    });
    expect(readdirSync(host('etc')).filter((f) => f.includes('_backup_'))).toHaveLength(1);
  });

  it('creates a missing file and replaces with a backup', async () => {
    const { host, templates } = setup();
    expect((await templates.write('/etc/new.conf', 'a\n')).action).toBe('replaced');
    const replaced = await templates.write('/etc/new.conf', 'b\n', { mode: 'replace' });
    expect(replaced.action).toBe('replaced');
    expect(readFileSync(host('etc/new.conf'), 'utf8')).toBe('b\n');
    expect(readFileSync(host(replaced.backup ?? ''), 'utf8')).toBe('a\n');
    expect((await templates.write('/etc/new.conf', 'b\n', { mode: 'replace' })).action).toBe('unchanged');
  });

  it('changes nothing in --dry-run', async () => {
    const { host, templates } = setup(true);
    writeFileSync(host('etc/hosts'), 'x\n');
    expect((await templates.write('/etc/hosts', 'y\n')).action).toBe('appended');
    expect(readFileSync(host('etc/hosts'), 'utf8')).toBe('x\n');
  });
});
