import { describe, expect, it } from 'vitest';
import { fastdSettings } from './settings.js';

const instance = (name: string, peersRepo: Record<string, string>) => ({
  name,
  interface: `${name}VPN`,
  configFile: `/etc/fastd/${name}/fastd.conf`,
  statusSocket: `/run/fastd-${name}.sock`,
  peersRepo,
});

describe('fastd settings: instances sharing a key repository clone', () => {
  it('accepts instances that share a clone of the same remote and branch', () => {
    const repo = { remote: 'https://example.org/peers.git', local: '/var/lib/photon/clones/peers' };
    const parsed = fastdSettings.schema.safeParse({
      instances: [instance('mz1280', repo), instance('mz1312', repo)],
    });
    expect(parsed.success).toBe(true);
  });

  it('refuses a clone shared by instances with different remotes or branches, naming both', () => {
    const local = '/var/lib/photon/clones/peers';
    const parsed = fastdSettings.schema.safeParse({
      instances: [
        instance('mz', { remote: 'https://example.org/peers-mz.git', local }),
        instance('wi', { remote: 'https://example.org/peers-wi.git', local: '/var/lib/photon/clones/wi' }),
        instance('mwu', { remote: 'https://example.org/peers-mz.git', local, branch: 'next' }),
      ],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues).toEqual([
      expect.objectContaining({
        path: ['instances', 2, 'peersRepo', 'local'],
        message:
          `instances mz (fastd.instances[0].peersRepo.local) and mwu (fastd.instances[2].peersRepo.local) ` +
          `share the clone ${local} but name different remotes or branches; give them the same remote ` +
          'and branch, or different local directories',
      }),
    ]);
  });
});
