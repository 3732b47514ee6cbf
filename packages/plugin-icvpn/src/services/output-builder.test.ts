import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStore, RootSandbox } from '@ffphoton/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type OutputSpec, outputSchema } from '../settings.js';
import { TEST_DATA } from '../test-helpers/reference-args.js';
import type { Community } from './community.js';
import { type BuildContext, buildOutput } from './output-builder.js';
import { CONNECTS_BEGIN, CONNECTS_END } from './tinc-connects.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'icvpn-builder-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const communities: Community[] = [
  {
    name: 'alpha',
    asn: 65001,
    networks: { ipv4: ['10.1.0.0/16'], ipv6: ['fd01::/48'] },
    bgp: [{ name: 'alpha1', ipv4: '10.207.1.1', ipv6: 'fec0::a:cf:1:1' }],
    domains: ['ffalpha', '1.10.in-addr.arpa'],
    nameservers: ['10.1.0.53', 'fd01::53'],
  },
  {
    name: 'bravo',
    asn: 65002,
    networks: { ipv4: ['10.2.0.0/16'] },
    bgp: [{ name: 'bravo1', ipv4: '10.207.2.1' }],
    domains: ['ffbravo', '0/25.0.2.10.in-addr.arpa'],
    nameservers: ['10.2.0.53'],
  },
  { name: 'charlie', asn: 65003, domains: ['ffcharlie'] },
];
const context: BuildContext = {
  files: new FileStore(new RootSandbox(), { dryRun: true }),
  communities,
  tincDir: path.join(TEST_DATA, 'tinc'),
  nodeName: 'india',
};
const spec = (value: Record<string, unknown>): OutputSpec =>
  outputSchema.parse({ target: '/x/out.conf', ...value });
const ROUTER = 'router id 192.0.2.1;\nprotocol device {}\n';

describe("buildOutput: the rendered file, its entry count and the kind's own validate/reload commands", () => {
  it('bird bgp: a wrapper with every template the peers use; bird/bird6 by family', async () => {
    const v4 = spec({ kind: 'bgp', family: 'ipv4', templates: { bravo: 'ebgp_bravo' } });
    const built = await buildOutput(v4, context);
    expect({ ...built, content: undefined }).toEqual({
      spec: v4,
      content: undefined,
      wrapper: `${ROUTER}template bgp ebgp_icvpn { local as 64512; }\ntemplate bgp ebgp_bravo { local as 64512; }\ninclude "{file}";\n`,
      entries: 2,
      problems: [],
      validate: ['bird', '-p', '-c', '{config}'],
      reload: ['birdc', 'configure'],
      validateIsDefault: true,
    });
    expect(built.content).toContain(
      'protocol bgp icvpn_bravo1 from ebgp_bravo {\n    neighbor 10.207.2.1 as 65002;\n}',
    );
    const v6 = await buildOutput(
      spec({ kind: 'bgp', family: 'ipv6', validate: false, reload: ['true'] }),
      context,
    );
    expect(v6).toMatchObject({ entries: 1, validate: undefined, reload: ['true'], validateIsDefault: false });
    expect(v6.wrapper).toBe(`${ROUTER}template bgp ebgp_icvpn { local as 64512; }\ninclude "{file}";\n`);
    expect(
      await buildOutput(
        spec({ kind: 'bgp', family: 'ipv6', validate: ['v', '{file}'], reload: false }),
        context,
      ),
    ).toMatchObject({
      validate: ['v', '{file}'],
      reload: undefined,
      validateIsDefault: false,
    });
    expect((await buildOutput(spec({ kind: 'bgp', family: 'ipv6' }), context)).validate).toEqual([
      'bird6',
      '-p',
      '-c',
      '{config}',
    ]);
  });

  it('bird 2 runs one daemon for both families; quagga has no wrapper and no commands', async () => {
    expect(await buildOutput(spec({ kind: 'bgp', family: 'ipv6', format: 'bird2' }), context)).toMatchObject({
      validate: ['bird', '-p', '-c', '{config}'],
      reload: ['birdc', 'configure'],
    });
    const quagga = await buildOutput(spec({ kind: 'bgp', family: 'ipv4', format: 'quagga' }), context);
    expect({ ...quagga, content: undefined, spec: undefined }).toEqual({
      spec: undefined,
      content: undefined,
      entries: 2,
      problems: [],
      validate: undefined,
      reload: undefined,
      validateIsDefault: true,
    });
  });

  it('a peer probe that no peer answers marks none passive', async () => {
    const local: Community[] = [{ name: 'lo', asn: 65009, bgp: [{ name: 'lo1', ipv4: '127.0.0.1' }] }];
    const probed = await buildOutput(spec({ kind: 'bgp', family: 'ipv4', probeTimeoutSeconds: 1 }), {
      ...context,
      communities: local,
    });
    expect(probed.content).toContain(
      'protocol bgp icvpn_lo1 from ebgp_icvpn {\n    neighbor 127.0.0.1 as 65009;\n}\n',
    );
    expect(probed.content).not.toContain('passive');
  });

  it('roa: the wrapper holds the entries in a table (bird 1), a static protocol (bird 2), or nothing with tableName', async () => {
    const bird = await buildOutput(spec({ kind: 'roa', family: 'ipv4' }), context);
    expect(bird).toMatchObject({
      wrapper: `${ROUTER}roa table icvpn {\ninclude "{file}";\n}\n`,
      entries: 2,
      problems: [],
      validate: ['bird', '-p', '-c', '{config}'],
      reload: ['birdc', 'configure'],
    });
    const bird2 = await buildOutput(spec({ kind: 'roa', family: 'ipv6', format: 'bird2' }), context);
    expect(bird2).toMatchObject({
      wrapper: `${ROUTER}roa6 table r;\nprotocol static { roa6 { table r; };\ninclude "{file}";\n}\n`,
      entries: 1,
      validate: ['bird', '-p', '-c', '{config}'],
    });
    expect((await buildOutput(spec({ kind: 'roa', family: 'ipv4', format: 'bird2' }), context)).wrapper).toBe(
      `${ROUTER}roa4 table r;\nprotocol static { roa4 { table r; };\ninclude "{file}";\n}\n`,
    );
    const table = await buildOutput(
      spec({ kind: 'roa', family: 'ipv4', format: 'bird2', tableName: 't' }),
      context,
    );
    expect(table).toMatchObject({ wrapper: `${ROUTER}include "{file}";\n`, entries: 2 });
    expect(table.content).toContain('\troute 10.1.0.0/16 max  24 as 65001; # alpha\n');
  });

  it('dns: zones counted where the community has name servers; dnsmasq refuses RFC 2317 names', async () => {
    const bind = await buildOutput(spec({ kind: 'dns', format: 'bind' }), context);
    expect({ ...bind, content: undefined }).toEqual({
      spec: spec({ kind: 'dns', format: 'bind' }),
      content: undefined,
      entries: 4,
      problems: [],
      validate: ['named-checkconf', '{file}'],
      reload: ['rndc', 'reload'],
      validateIsDefault: true,
    });
    const dnsmasq = await buildOutput(spec({ kind: 'dns', format: 'dnsmasq' }), context);
    expect(dnsmasq).toMatchObject({
      entries: 2,
      validate: ['dnsmasq', '--test', '--conf-file={file}'],
      reload: undefined,
      problems: [{ community: 'bravo', key: 'domains', part: 'the dnsmasq entries' }],
    });
    expect(dnsmasq.content).not.toContain('bravo');
    expect(await buildOutput(spec({ kind: 'dns', format: 'unbound' }), context)).toMatchObject({
      entries: 4,
      validate: ['unbound-checkconf', '{file}'],
      reload: ['unbound-control', 'reload'],
    });
    expect(await buildOutput(spec({ kind: 'dns', format: 'bind-forward' }), context)).toMatchObject({
      validate: ['named-checkconf', '{file}'],
      reload: ['rndc', 'reload'],
    });
    const pdns = await buildOutput(spec({ kind: 'dns', format: 'pdns' }), context);
    expect([pdns.validate, pdns.reload]).toEqual([undefined, undefined]);
  });

  it('tinc: the ConnectTo lines as a file, or the marked block put into the existing tinc.conf', async () => {
    const file = await buildOutput(spec({ kind: 'tinc' }), context);
    expect({ ...file, spec: undefined }).toEqual({
      spec: undefined,
      content: 'ConnectTo = delta1\nConnectTo = bravo23\n',
      entries: 2,
      problems: [
        { community: 'tinc', key: 'hosts/zulu9', severity: 'warning', message: 'metanode has no host file' },
      ],
      validate: undefined,
      reload: ['tincd', '-n', '{network}', '-kHUP'],
      validateIsDefault: true,
    });
    const conf = path.join(tmp, 'tinc.conf');
    writeFileSync(conf, 'Name = india\n');
    const markers = await buildOutput(spec({ kind: 'tinc', mode: 'markers', target: conf }), context);
    expect(markers.content).toBe(
      `Name = india\n${CONNECTS_BEGIN}\nConnectTo = delta1\nConnectTo = bravo23\n${CONNECTS_END}\n`,
    );
    const missing = await buildOutput(
      spec({ kind: 'tinc', mode: 'markers', target: path.join(tmp, 'none.conf') }),
      context,
    );
    expect(missing.content).toBe(
      `${CONNECTS_BEGIN}\nConnectTo = delta1\nConnectTo = bravo23\n${CONNECTS_END}\n`,
    );
  });
});
