import type { FileStore } from '@ffphoton/core';
import type { BgpOutput, DnsOutput, OutputSpec, RoaOutput, TincOutput } from '../settings.js';
import type { Community, Problem } from './community.js';
import { outputCommands } from './output-commands.js';

/** A rendered output with its default validation and reload commands filled in. */
export interface BuiltOutput {
  spec: OutputSpec;
  content: string;
  validate?: readonly string[];
  validateIsDefault: boolean;
  wrapper?: string;
  reload?: readonly string[];
  /** Count of entries (peers, ROAs, zones, ConnectTo lines) for the summary. */
  entries: number;
  problems: Problem[];
}

const ROUTER_ID = 'router id 192.0.2.1;\nprotocol device {}\n';

export interface BuildContext {
  files: FileStore;
  communities: readonly Community[];
  tincDir: string;
  nodeName?: string;
}

/** Renders one configured output and picks the defaults of its kind. */
export async function buildOutput(spec: OutputSpec, ctx: BuildContext): Promise<BuiltOutput> {
  const built = await render(spec, ctx);
  return {
    ...built,
    spec,
    ...outputCommands(spec),
    validateIsDefault: spec.validate === undefined,
  };
}

type Rendered = Omit<BuiltOutput, 'spec' | 'validateIsDefault' | 'validate' | 'reload'>;

/** Each kind imports its generator when rendered: a run of one kind should not load the others. */
function render(spec: OutputSpec, ctx: BuildContext): Promise<Rendered> {
  switch (spec.kind) {
    case 'bgp':
      return renderBgpOutput(spec, ctx.communities);
    case 'roa':
      return renderRoaOutput(spec, ctx.communities);
    case 'dns':
      return renderDnsOutput(spec, ctx.communities);
    case 'tinc':
      return renderTincOutput(spec, ctx);
  }
}

async function renderBgpOutput(spec: BgpOutput, communities: readonly Community[]): Promise<Rendered> {
  const { renderBgp, selectBgpPeers } = await import('./bgp-generator.js');
  const problems: Problem[] = [];
  const peers = selectBgpPeers(communities, spec, problems);
  let passive = new Set<string>();
  if (spec.probeTimeoutSeconds > 0) {
    // Off by default, so loaded only when asked for.
    const { probeUnreachable } = await import('./reachability-probe.js');
    passive = await probeUnreachable(
      peers.map((p) => p.address),
      spec.probeTimeoutSeconds * 1000,
    );
  }
  const content = renderBgp(peers, spec, passive);
  if (spec.format === 'quagga') return { content, entries: peers.length, problems };
  // The minimal config bird parses: a router id and every template the peers refer to.
  const templates = [...new Set([spec.defaultTemplate, ...peers.map((p) => p.template)])];
  const wrapper = `${ROUTER_ID}${templates.map((t) => `template bgp ${t} { local as 64512; }\n`).join('')}include "{file}";\n`;
  return {
    content,
    wrapper,
    entries: peers.length,
    problems,
  };
}

async function renderRoaOutput(spec: RoaOutput, communities: readonly Community[]): Promise<Rendered> {
  const { renderRoa } = await import('./roa-generator.js');
  const content = renderRoa(communities, spec);
  const bird2 = spec.format === 'bird2';
  const table = spec.family === 'ipv4' ? 'roa4' : 'roa6';
  // Without a table name the file holds bare entries that must sit inside a table (bird 1) or static protocol (bird 2).
  const wrapper =
    spec.tableName !== undefined
      ? `${ROUTER_ID}include "{file}";\n`
      : bird2
        ? `${ROUTER_ID}${table} table r;\nprotocol static { ${table} { table r; };\ninclude "{file}";\n}\n`
        : `${ROUTER_ID}roa table icvpn {\ninclude "{file}";\n}\n`;
  return {
    content,
    wrapper,
    entries: content.split('\n').filter((l) => /^\t?(roa|route) /.test(l)).length,
    problems: [],
  };
}

async function renderDnsOutput(spec: DnsOutput, communities: readonly Community[]): Promise<Rendered> {
  const { dnsmasqRefusals, renderDns } = await import('./dns-generator.js');
  const { communities: usable, problems }: { communities: readonly Community[]; problems: Problem[] } =
    spec.format === 'dnsmasq' ? dnsmasqRefusals(communities) : { communities, problems: [] };
  const content = renderDns(usable, spec);
  const zones = usable.reduce((n, c) => n + (c.nameservers?.length ? (c.domains?.length ?? 0) : 0), 0);
  return { content, entries: zones, problems };
}

async function renderTincOutput(spec: TincOutput, ctx: BuildContext): Promise<Rendered> {
  const { renderConnects, replaceConnectsBlock, selectConnects } = await import('./tinc-connects.js');
  const { nodes, problems } = await selectConnects(ctx.files, ctx.tincDir, ctx.nodeName);
  const content =
    spec.mode === 'file'
      ? renderConnects(nodes)
      : replaceConnectsBlock((await ctx.files.readTextIfExists(spec.target)) ?? '', nodes);
  return { content, entries: nodes.length, problems };
}
