import { type IpFamily, PrefixSet } from '@ffphoton/core';

/** A set of one constant prefix: a typo in it is a bug, not bad input. */
export function constantPrefix(text: string): PrefixSet {
  return new PrefixSet([text], (prefix, reason) => {
    throw new TypeError(`${prefix} is not a prefix: ${reason}`);
  });
}

/** check's transfer networks; BGP peer addresses must lie in the one of their family. */
export const TRANSFER_NETWORKS: Record<IpFamily, string> = {
  ipv4: '10.207.0.0/16',
  ipv6: 'fec0::a:cf:0:0/96',
};
export const TRANSFER: Record<IpFamily, PrefixSet> = {
  ipv4: constantPrefix(TRANSFER_NETWORKS.ipv4),
  ipv6: constantPrefix(TRANSFER_NETWORKS.ipv6),
};
export const LINK_LOCAL_V6 = constantPrefix('fe80::/10');
