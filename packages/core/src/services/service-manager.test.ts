import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CommandFailedError } from '../errors/errors.js';
import { RunChanges } from '../journal/change-recorder.js';
import { createTaskLogger } from '../log/logger.js';
import { Shell } from '../shell/shell.js';
import { fillArgvTemplate, ServiceManager, type ServiceTemplates } from './service-manager.js';

/** Templates that append `action unit [signal]` to a file instead of calling systemctl. */
function recordingTemplates(file: string): ServiceTemplates {
  const record = (action: string, ...rest: string[]) => [
    'sh',
    '-c',
    `echo "$@" >> ${file}`,
    'sh',
    action,
    ...rest,
  ];
  return {
    reload: record('reload', '{unit}'),
    restart: record('restart', '{unit}'),
    signal: record('kill', '-s', '{signal}', '{unit}'),
    start: record('start', '{unit}'),
    stop: record('stop', '{unit}'),
    // Active: every unit but "dead".
    isActive: ['sh', '-c', 'test "$0" != dead', '{unit}'],
    sudo: false,
  };
}

async function manager(dryRun: boolean) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'photon-services-'));
  const file = path.join(dir, 'actions');
  const lines: string[] = [];
  const { logger } = await createTaskLogger({
    level: 'info',
    format: 'json',
    stream: { write: (t: string) => lines.push(JSON.parse(t).msg) },
  });
  const changes = new RunChanges();
  const shell = new Shell({ dryRun, defaultTimeoutMs: 10_000, recorder: changes, logger });
  const services = new ServiceManager(shell, recordingTemplates(file), changes, logger);
  const actions = () => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  };
  return {
    services,
    changes,
    actions,
    logged: () => lines.filter((l) => !l.startsWith('$ ') && !l.startsWith('dry-run')),
    file,
  };
}

describe('ServiceManager', () => {
  it('fills placeholders inside argv elements, never splitting them; unknown ones stay', () => {
    expect(
      fillArgvTemplate(
        ['systemctl', 'kill', '--signal={signal}', '{unit}', '{Unit}', '{other}', '{unit}{unit}'],
        {
          unit: 'fastd@mesh vpn',
          signal: 'HUP',
        },
      ),
    ).toEqual([
      'systemctl',
      'kill',
      '--signal=HUP',
      'fastd@mesh vpn',
      '{Unit}',
      '{other}',
      'fastd@mesh vpnfastd@mesh vpn',
    ]);
    // Only own keys count: an inherited name is no value.
    expect(fillArgvTemplate(['{toString}', '{constructor}'], {})).toEqual(['{toString}', '{constructor}']);
  });

  it('runs each action through its template (or the one given), journals and logs it', async () => {
    const { services, changes, actions, logged, file } = await manager(false);
    await services.reload('bird');
    await services.restart('fastd@mesh');
    await services.signal('fastd@mesh', 'HUP');
    await services.start('alfred');
    await services.stop('batadv-vis');
    const own = (verb: string) => [
      'sh',
      '-c',
      `echo "own ${verb} $*" >> ${file}`,
      'sh',
      '{unit}',
      '{signal}',
    ];
    await services.reload('named', own('reload'));
    await services.restart('named', own('restart'));
    await services.signal('named', 'USR1', own('signal'));
    expect(actions()).toBe(
      [
        'reload bird',
        'restart fastd@mesh',
        'kill -s HUP fastd@mesh',
        'start alfred',
        'stop batadv-vis',
        'own reload named {signal}',
        'own restart named {signal}',
        'own signal named USR1',
        '',
      ].join('\n'),
    );
    const done = (unit: string, action: string) => ({ unit, action, dryRun: false });
    expect(changes.services).toEqual([
      done('bird', 'reload'),
      done('fastd@mesh', 'restart'),
      done('fastd@mesh', 'signal HUP'),
      done('alfred', 'start'),
      done('batadv-vis', 'stop'),
      done('named', 'reload'),
      done('named', 'restart'),
      done('named', 'signal USR1'),
    ]);
    expect(logged()).toEqual([
      'reload bird',
      'restart fastd@mesh',
      'signal HUP fastd@mesh',
      'start alfred',
      'stop batadv-vis',
      'reload named',
      'restart named',
      'signal USR1 named',
    ]);
  });

  it('a failed action throws and is not journaled as done', async () => {
    const { services, changes, logged } = await manager(false);
    await expect(
      services.reload('bird', ['sh', '-c', 'echo no such unit >&2; exit 5']),
    ).rejects.toBeInstanceOf(CommandFailedError);
    expect(changes.services).toEqual([]);
    expect(logged()).toEqual([]);
  });

  it('in dry-run actions are journaled as skipped and not run; isActive still asks', async () => {
    const { services, changes, actions, logged } = await manager(true);
    await services.reload('bird');
    await services.stop('alfred');
    expect(actions()).toBe('');
    expect(changes.services).toEqual([
      { unit: 'bird', action: 'reload', dryRun: true },
      { unit: 'alfred', action: 'stop', dryRun: true },
    ]);
    expect(logged()).toEqual([]);
    expect([await services.isActive('bird'), await services.isActive('dead')]).toEqual([true, false]);
  });
});
