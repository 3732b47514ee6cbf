import path from 'node:path';
import {
  type Clock,
  ConfigError,
  type FileStore,
  type Logger,
  partial,
  type ServiceManager,
  type Shell,
  type TaskOutcome,
  UnavailableError,
} from '@ffphoton/core';
import { type FastdInstance, type FastdSettings, unitOf } from '../settings.js';
import { summarizeStatus } from './fastd-status.js';
import { type LimitComputation, PeerLimitCalculator, remotePeerCount } from './peer-limit-calculator.js';
import { FASTD_MAX_PEER_LIMIT, findPeerLimitStatements, replacePeerLimit } from './peer-limit-statement.js';
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
  /** Remote peer counts refused as bad data (the gateway counts as offline for that instance). */
  refusedCounts: { gateway: string; instance: string; reason: string }[];
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
    private readonly shell: Shell,
    private readonly services: ServiceManager,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async apply(cfg: FastdSettings, host: string): Promise<TaskOutcome<LimitResult>> {
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

    const refusedCounts: LimitResult['refusedCounts'] = [];
    for (const remote of remotes) {
      for (const { name: instance } of cfg.instances) {
        const count = remotePeerCount(remote, instance, policy.maxPeers);
        if (!count || !('refused' in count)) continue;
        refusedCounts.push({ gateway: remote.gateway, instance, reason: count.refused });
        this.logger.warn(
          { gateway: remote.gateway, instance },
          `gateway ${remote.gateway}: instance ${instance}: ${count.refused}; counted as offline`,
        );
      }
    }

    const calculator = new PeerLimitCalculator(policy.gateways.length, policy.additional, policy.maxPeers);
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
      refusedCounts,
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
    if (failed.length === 0) return result;
    return partial(
      result,
      failed.map((row) => `${row.instance}: ${row.reason}`),
      `fastd limit: ${failed.length} of ${rows.length} instance(s) failed`,
    );
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
    // Settings bound every term; this keeps a bug from ever writing what fastd cannot read.
    if (!Number.isSafeInteger(limit) || limit < 0 || limit > FASTD_MAX_PEER_LIMIT)
      return { ...base, outcome: 'failed', reason: `computed limit ${limit} is outside fastd's range` };
    const written = await this.files.writeIfChanged(file, replacePeerLimit(text, statement, limit));
    // A value fastd refuses (`peer limit 7.5e+299;`) is repaired, and fastd restarted to read it.
    const restart =
      statement.value === undefined ||
      Math.abs(limit - statement.value) >= cfg.limit.additional ||
      (local.uptimeSeconds ?? 0) >= cfg.limit.restartAfterUptimeSeconds;
    // fastd reads `peer limit` only at start (SIGHUP re-reads peer dirs only), hence a restart.
    const row: LimitRow = {
      ...base,
      old: statement.value,
      restart,
      outcome: written.changed ? 'changed' : 'unchanged',
    };
    if (!(written.changed || restart) || this.files.dryRun) return row;
    const refusal = await this.verifyConfig(local.instance);
    if (refusal !== undefined) {
      if (written.changed) await this.files.writeIfChanged(file, text);
      return {
        ...row,
        restart: false,
        outcome: 'failed',
        reason: `fastd --verify-config refused the configuration (${refusal}); ${written.changed ? `${file} was restored, ` : ''}fastd was not restarted`,
      };
    }
    if (!restart) return row;
    try {
      await this.services.restart(unitOf(local.instance), cfg.restartCommand);
    } catch (error) {
      // One instance's failed restart must not keep the others from being applied and published.
      return { ...row, outcome: 'failed', reason: `restart failed: ${(error as Error).message}` };
    }
    return row;
  }

  /** fastd's own verdict on the configuration it would start with; undefined when it accepts it. */
  private async verifyConfig(instance: FastdInstance): Promise<string | undefined> {
    const config = instance.fastdConfig ?? (await this.defaultFastdConfig(instance.configFile));
    const result = await this.shell.runValidator([
      'fastd',
      '--verify-config',
      '--config',
      this.files.resolve(config),
    ]);
    if (!result.failed) return undefined;
    const said = `${result.stderr}\n${result.stdout}`
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    return said.find((line) => /error/i.test(line)) ?? said.at(-1) ?? `exit ${result.exitCode}`;
  }

  /** fastd.conf beside the file with the statement (it may be an included peer_limit.conf), else that file. */
  private async defaultFastdConfig(configFile: string): Promise<string> {
    const main = path.posix.join(path.posix.dirname(configFile), 'fastd.conf');
    return (await this.files.exists(main)) ? main : configFile;
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
