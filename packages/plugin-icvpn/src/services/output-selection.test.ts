import { UsageError } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { icvpnSettings } from '../settings.js';
import { STDOUT, selectOutputs, templatesFromFlags } from './output-selection.js';

const settings = icvpnSettings.schema.parse({
  outputs: [
    { kind: 'dns', format: 'bind', target: '/etc/bind/icvpn.conf' },
    { kind: 'bgp', family: 'ipv4', target: '/etc/bird/v4.conf' },
    { kind: 'dns', format: 'unbound', target: '/etc/unbound/icvpn.conf' },
  ],
});
const none = icvpnSettings.schema.parse({});

describe('selectOutputs', () => {
  it('without option flags or --target: the configured outputs of the kind, in order', () => {
    expect(
      selectOutputs(settings, 'dns', { format: undefined, filter: undefined }, undefined, false),
    ).toEqual([settings.outputs[0], settings.outputs[2]]);
    // --print alone prints the configured outputs too.
    expect(selectOutputs(settings, 'bgp', {}, undefined, true)).toEqual([settings.outputs[1]]);
  });

  it('an option flag or --target makes one ad-hoc output from the flags, with the schema defaults', () => {
    expect(
      selectOutputs(settings, 'dns', { format: 'pdns', filter: undefined }, '/tmp/x.conf', false),
    ).toEqual([{ kind: 'dns', format: 'pdns', target: '/tmp/x.conf' }]);
    expect(selectOutputs(settings, 'dns', { format: 'dnsmasq' }, undefined, true)).toEqual([
      { kind: 'dns', format: 'dnsmasq', target: STDOUT },
    ]);
    expect(selectOutputs(settings, 'dns', {}, '/tmp/y.conf', false)).toEqual([
      { kind: 'dns', format: 'bind', target: '/tmp/y.conf' },
    ]);
    expect(selectOutputs(none, 'roa', { family: 'ipv6' }, undefined, true)).toEqual([
      { kind: 'roa', family: 'ipv6', format: 'bird', target: '-' },
    ]);
  });

  it('nothing configured and neither --target nor --print: a usage error naming both', () => {
    const error = (() => {
      try {
        return selectOutputs(none, 'dns', {}, undefined, false);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('no dns output configured: give --target FILE or --print');
    // An option flag alone is no target either.
    expect(() => selectOutputs(settings, 'dns', { format: 'pdns' }, undefined, false)).toThrow(
      'no dns output configured: give --target FILE or --print',
    );
  });

  it('flag values go through the settings schema: each bad one is named as its flag', () => {
    expect(() =>
      selectOutputs(none, 'bgp', { family: 'ipv4', prefix: 'x;y', defaultTemplate: '1' }, undefined, true),
    ).toThrow(/^--prefix: .*; --defaultTemplate: expected a bird symbol such as ebgp_icvpn$/);
    expect(() => selectOutputs(none, 'bgp', { family: 'ipv5' }, undefined, true)).toThrow(UsageError);
    // A nested key is named with its path.
    expect(() =>
      selectOutputs(none, 'bgp', { family: 'ipv4', templates: { delta: 'a b' } }, undefined, true),
    ).toThrow(/^--templates\.delta: expected a bird symbol such as ebgp_icvpn$/);
  });
});

describe('templatesFromFlags', () => {
  it('COMMUNITY:TEMPLATE pairs, split at the first colon; none given: undefined', () => {
    expect(templatesFromFlags(['delta:ebgp_as4', 'echo:a:b'])).toEqual({ delta: 'ebgp_as4', echo: 'a:b' });
    expect(templatesFromFlags([])).toBeUndefined();
    expect(templatesFromFlags(undefined)).toBeUndefined();
  });

  it('a value without a community before the colon is a usage error quoting it', () => {
    for (const bad of ['delta', ':ebgp']) {
      expect(() => templatesFromFlags(['a:b', bad])).toThrow(
        new UsageError(`--template ${JSON.stringify(bad)}: expected COMMUNITY:TEMPLATE`),
      );
    }
  });
});
