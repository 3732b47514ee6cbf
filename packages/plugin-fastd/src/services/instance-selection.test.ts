import { UsageError } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import type { FastdInstance } from '../settings.js';
import { selectInstances } from './instance-selection.js';

const instance = (name: string): FastdInstance => ({
  name,
  interface: `${name}VPN`,
  configFile: `/etc/fastd/${name}/fastd.conf`,
  statusSocket: `/run/fastd-${name}.sock`,
});
const all = [instance('mz'), instance('wi'), instance('bi')];

describe('selectInstances', () => {
  it('takes every configured instance when none is named', () => {
    expect(selectInstances(all, [])).toEqual(all);
  });

  it('takes the named ones, in the order named', () => {
    expect(selectInstances(all, ['bi', 'mz'])).toEqual([all[2], all[0]]);
  });

  it('refuses an unknown name, listing the configured ones', () => {
    expect(() => selectInstances(all, ['mz', 'xx'])).toThrow(
      new UsageError('unknown fastd instance xx (configured: mz, wi, bi)'),
    );
    expect(() => selectInstances(all, ['xx'])).toThrow(UsageError);
  });

  it('refuses to select from no instances at all, also with names given', () => {
    for (const names of [[], ['mz']])
      expect(() => selectInstances([], names)).toThrow(
        new UsageError('no fastd instances configured (settings fastd.instances)'),
      );
  });
});
