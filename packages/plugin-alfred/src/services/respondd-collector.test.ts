import { describe, expect, it } from 'vitest';
import { queryAddress, queryRespondd } from './respondd-collector.js';

describe('respondd collector targets', () => {
  it('takes addresses as given and an interface name as its ff02::2:1001', () => {
    expect(queryAddress('::1')).toBe('::1');
    expect(queryAddress('ff05::2:1001')).toBe('ff05::2:1001');
    expect(queryAddress('fe80::1%eth0')).toBe('fe80::1%eth0');
    expect(queryAddress('192.0.2.1')).toBe('192.0.2.1');
    expect(queryAddress('mzBR')).toBe('ff02::2:1001%mzBR');
  });

  it('refuses an interface that does not exist instead of asking on the default one', async () => {
    await expect(queryRespondd('nosuch0', 1001, ['nodeinfo'], 200)).rejects.toThrow(/no interface nosuch0/);
    await expect(queryRespondd('ff02::2:1001%nosuch0', 1001, ['nodeinfo'], 200)).rejects.toThrow(
      /no interface nosuch0/,
    );
  });
});
