import { argvPrograms, argvTemplate, defineSettings, z } from '@ffphoton/core';

const watchedService = z.strictObject({
  /** Name in messages and mails. */
  name: z.string().min(1),
  /** Exits 0 while the service is fine, e.g. `rndc status`. */
  check: argvTemplate,
  /** The unit restarted through photon's service manager (photon.services.restart). */
  unit: z.string().min(1),
});

export const watchdogSettings = defineSettings(
  'watchdog',
  'Service watchdogs (bind, radvd) and the exit-VPN check (photon-plugin-watchdog)',
  z.strictObject({
    services: z.array(watchedService).default([
      { name: 'bind', check: ['rndc', 'status'], unit: 'bind9' },
      { name: 'radvd', check: ['systemctl', 'is-active', '--quiet', 'radvd'], unit: 'radvd' },
    ]),
    exitvpn: z
      .strictObject({
        /** The exit VPN interface the pings leave through. */
        interface: z.string().min(1).default('exitVPN'),
        /** Hosts that answer pings on the internet. */
        targets: z.array(z.string().min(1)).default([]),
        count: z.number().int().min(1).default(5),
        /** One ping run; `{count}`, `{interface}`, `{target}` are filled in. */
        ping: argvTemplate.default([
          'ping',
          '-n',
          '-q',
          '-c',
          '{count}',
          '-W',
          '2',
          '-I',
          '{interface}',
          '{target}',
        ]),
        /** The VPN counts as up when more than this share of the targets answer (the scripts' 0.6). */
        minRatio: z.number().min(0).max(1).default(0.6),
        /** batman-adv mesh interfaces this gateway serves, one per community. */
        meshInterfaces: z.array(z.string().min(1)).default(['bat0']),
        /** Announced gateway bandwidth (down/up). */
        bandwidth: z.string().min(1).default('96MBit/96MBit'),
        gwServer: argvTemplate.default(['batctl', 'meshif', '{meshif}', 'gw_mode', 'server', '{bandwidth}']),
        gwOff: argvTemplate.default(['batctl', 'meshif', '{meshif}', 'gw_mode', 'off']),
        /** The DHCP server started and stopped with the exit VPN (through photon.services). */
        dhcp: z.strictObject({ unit: z.string().min(1).default('isc-dhcp-server') }).prefault({}),
      })
      .prefault({}),
  }),
  // What `photon doctor` checks on a host that configures the watchdog.
  {
    example: { exitvpn: { targets: ['8.8.8.8'] } },
    programs: (w) =>
      argvPrograms(...w.services.map((s) => s.check), w.exitvpn.ping, w.exitvpn.gwServer, w.exitvpn.gwOff),
  },
);

export type WatchdogSettings = z.output<typeof watchdogSettings.schema>;
