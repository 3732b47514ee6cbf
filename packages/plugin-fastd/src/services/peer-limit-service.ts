import {
  type Clock,
  ConfigError,
  type FileStore,
  type Logger,
  PartialFailureError,
  type ServiceManager,
  UnavailableError,
} from '@ffphoton/core';
import { type FastdInstance, type FastdSettings, unitOf } from '../settings.js';
import { summarizeStatus } from './fastd-status.js';
import { type LimitComputation, PeerLimitCalculator } from './peer-limit-calculator.js';
import { findPeerLimitStatements, replacePeerLimit } from './peer-limit-statement.js';
import { type RemoteGatewayStatus, RemoteStatusFetcher } from './remote-status-fetcher.js';
import type { StatusSocketReader } from './status-socket-reader.js';
import { VerifyStateStore } from './verify-state-store.js';

export interface LimitRow extends Partial<LimitComputation> {
  instance: string;
  connected?: number;
  uptimeSeconds?: number;
  old?: number;
  restart: boolean;
  outcome: 'changed' | 'unchanged' | 'skipped' | 'failed';
  reason?: string;
}

export interface LimitResult {
  host: string;
  instances: LimitRow[];
  gateways: Omit<RemoteGatewayStatus, 'data'>[];
  published?: string;
  changed: number;
  restarted: string[];
}

interface LocalStatus {
  instance: FastdInstance;
  connected?: number;
  uptimeSeconds?: number;
  error?: string;
}

/** `fastd limit`: compute every instance's peer limit, rewrite it, restart when needed, publish. */
export class PeerLimitService {
  constructor(
    private readonly reader: StatusSocketReader,
    private readonly files: FileStore,
    private readonly services: ServiceManager,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async apply(cfg: FastdSettings, host: string): Promise<LimitResult> {
    const policy = cfg.limit;
    if (!policy.gateways.includes(host)) {
      throw new ConfigError(
        `this host ${host} is not in the gateway list (${policy.gateways.join(', ') || 'empty'})`,
        {
          keyPath: 'fastd.limit.gateways',
        },
      );
    }
    const fetcher = new RemoteStatusFetcher({
      urlTemplate: policy.statusUrl,
      timeoutMs: policy.fetchTimeoutMs,
      maxDataAgeSeconds: policy.maxDataAgeSeconds,
      now: () => this.clock.now(),
    });
    const [locals, remotes] = await Promise.all([
      Promise.all(cfg.instances.map((instance) => this.readLocal(instance))),
      fetcher.fetchAll(policy.gateways.filter((gateway) => gateway !== host)),
    ]);
    for (const remote of remotes) {
      if (remote.state !== 'fresh')
        this.logger.warn(
          { gateway: remote.gateway },
          `gateway ${remote.gateway}: ${remote.state}, ${remote.reason}`,
        );
    }

    const calculator = new PeerLimitCalculator(policy.gateways.length, policy.additional);
    const planned = locals.map((local) => ({
      local,
      computation: calculator.compute(local.instance.name, local.connected, remotes),
    }));
    const unreachable = planned.filter((p) => p.computation === undefined).map((p) => p.local.instance.name);
    // Nothing is changed unless every instance has at least one online gateway.
    if (unreachable.length > 0) {
      throw new UnavailableError(
        `no gateway online for fastd instance(s) ${unreachable.join(', ')}: nothing changed`,
      );
    }

    const rows: LimitRow[] = [];
    for (const { local, computation } of planned) rows.push(await this.applyOne(cfg, local, computation!));

    const result: LimitResult = {
      host,
      instances: rows,
      gateways: remotes.map(({ data: _data, ...rest }) => rest),
      changed: rows.filter((row) => row.outcome === 'changed').length,
      restarted: rows.filter((row) => row.restart).map((row) => row.instance),
    };
    result.published = await this.publish(policy.localStatusFile, rows);
    await new VerifyStateStore(this.files, cfg.verifyStateFile, () => this.clock.now()).update(
      cfg.instances,
      (entry, instance) => {
        const row = rows.find((r) => r.instance === instance.name);
        if (row?.limit === undefined || row.connected === undefined || row.outcome === 'failed') return;
        entry.limit = row.limit;
        entry.connected = row.connected;
      },
    );

    const failed = rows.filter((row) => row.outcome === 'failed');
    if (failed.length > 0) {
      throw new PartialFailureError(
        `fastd limit: ${failed.length} of ${rows.length} instance(s) failed`,
        failed.map((row) => `${row.instance}: ${row.reason}`),
        result,
      );
    }
    return result;
  }

  private async readLocal(instance: FastdInstance): Promise<LocalStatus> {
    try {
      const summary = summarizeStatus(await this.reader.read(instance.statusSocket));
      return { instance, connected: summary.peersConnected, uptimeSeconds: summary.uptimeSeconds };
    } catch (error) {
      return { instance, error: (error as Error).message };
    }
  }

  private async applyOne(
    cfg: FastdSettings,
    local: LocalStatus,
    computation: LimitComputation,
  ): Promise<LimitRow> {
    const base = {
      ...computation,
      connected: local.connected,
      uptimeSeconds: local.uptimeSeconds,
      restart: false,
    };
    const name = local.instance.name;
    // Without its own status the instance's uptime (restart rule) and count are unknown: leave it alone.
    if (local.error !== undefined) return { ...base, outcome: 'failed', reason: local.error };
    const file = local.instance.configFile;
    const text = await this.files.readTextIfExists(file);
    if (text === undefined)
      return { ...base, outcome: 'failed', reason: `config file ${file} does not exist` };
    const statements = findPeerLimitStatements(text);
    if (statements.length !== 1) {
      const reason =
        statements.length === 0
          ? `no active "peer limit" statement in ${file}, skipping`
          : `${statements.length} active "peer limit" statements in ${file}, skipping (ambiguous)`;
      this.logger.warn({ instance: name, file }, reason);
      return { ...base, outcome: 'skipped', reason };
    }
    const [statement] = statements;
    const limit = computation.limit;
    const written = await this.files.writeIfChanged(file, replacePeerLimit(text, statement, limit));
    const restart =
      Math.abs(limit - statement.value) >= cfg.limit.additional ||
      (local.uptimeSeconds ?? 0) >= cfg.limit.restartAfterUptimeSeconds;
    // fastd reads `peer limit` only at start (SIGHUP re-reads peer dirs only), hence a restart.
    const row: LimitRow = {
      ...base,
      old: statement.value,
      restart,
      outcome: written.changed ? 'changed' : 'unchanged',
    };
    if (!restart) return row;
    try {
      await this.services.restart(unitOf(local.instance), cfg.restartCommand);
    } catch (error) {
      // One instance's failed restart must not keep the others from being applied and published.
      return { ...row, outcome: 'failed', reason: `restart failed: ${(error as Error).message}` };
    }
    return row;
  }

  private async publish(file: string, rows: LimitRow[]): Promise<string | undefined> {
    const own: Record<string, unknown> = {};
    for (const row of rows) {
      if (row.connected === undefined) continue;
      own[row.instance] = { peers: row.connected, uptime: row.uptimeSeconds, limit: row.limit };
    }
    if (Object.keys(own).length === 0) return undefined;
    // `ansible: true` tells legacy Python gateways to read the per-instance entries.
    const doc = { ...own, ansible: true, _timestamp: this.clock.now().getTime() / 1000 };
    await this.files.writeAtomic(file, `${JSON.stringify(doc, null, 4)}\n`, { mode: 0o644 });
    return file;
  }
}
