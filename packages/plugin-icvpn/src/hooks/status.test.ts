import { type RunRecord, statusSectionSchema } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { icvpnSection } from './status.js';

const run = (task: string, start: string, outcome: RunRecord['outcome'], summary: string) =>
  ({ task, start, end: start, outcome, summary }) as RunRecord;
const now = new Date('2026-11-26T12:00:00Z');
const outputs = [
  { kind: 'bgp', target: '/etc/bird/icvpn_ipv4_peers.conf', present: true },
  { kind: 'dns', target: '/etc/bind/named.conf.icvpn', present: true },
];

describe('the icvpn status section', () => {
  it('is ok after a recent successful update, with a row per run and output', () => {
    const section = icvpnSection(
      outputs,
      [run('icvpn-update', '2026-11-25T03:00:00Z', 'ok', 'icvpn: 15 communities')],
      now,
    );
    expect(statusSectionSchema.parse(section)).toMatchObject({ id: 'icvpn', state: 'ok' });
    expect(section.summary).toBe('2 output(s); last run 2026-11-25: icvpn: 15 communities');
    expect(section.rows).toHaveLength(3);
    expect(section.gauges).toEqual([
      { name: 'photon_icvpn_communities', help: 'ICVPN communities in the last run', value: 15 },
    ]);
  });

  it('is failed when the last run failed, and warns about a stale run or a missing file', () => {
    expect(
      icvpnSection(outputs, [run('icvpn-bgp', '2026-11-26T04:00:00Z', 'failed', 'bird -p rejected')], now)
        .state,
    ).toBe('failed');
    expect(icvpnSection(outputs, [run('icvpn-update', '2026-11-01T03:00:00Z', 'ok', 'x')], now).state).toBe(
      'warning',
    );
    const missing = [{ ...outputs[0], present: false }];
    expect(icvpnSection(missing, [run('icvpn-update', '2026-11-25T03:00:00Z', 'ok', 'x')], now).state).toBe(
      'warning',
    );
    expect(icvpnSection(outputs, [], now).summary).toBe('2 output(s); no ICVPN run recorded yet');
  });
});
