import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { type Logger, UnavailableError } from '@ffphoton/core';
import type { MeshSettings, ResponddSettings } from '../settings.js';
import type { JsonObject } from './alfred-records.js';
import {
  encodeResponddAnswer,
  parseResponddRequest,
  type ResponddProvider,
  type ResponddRequest,
} from './respondd-protocol.js';

/** A mesh's node data as the responder hands it out. */
export type ResponddData = Record<ResponddProvider, JsonObject>;

/** Where answers come from: the node data of a mesh, and the mesh's own addresses as last seen. */
export interface ResponddSource {
  get(mesh: MeshSettings): Promise<ResponddData>;
  addresses(mesh: string): string[];
}

/** Where the responder listens: `address` for unicast on that address only, else `::` and the groups. */
export interface ResponderListen {
  address?: string;
  port: number;
}

export interface ResponderCounts {
  requests: number;
  answered: number;
  /** Too long, not ASCII, or no known provider. */
  malformed: number;
  /** Over the per-source or the total answer rate. */
  rateLimited: number;
  /** The answer would not fit `maxAnswerBytes`, or the node data could not be collected. */
  unanswerable: number;
}

/** A token bucket: `rate` per second, a burst of `burst`. */
class Bucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }
  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Source addresses remembered for the per-source rate; the oldest are forgotten beyond this. */
const MAX_SOURCES = 4096;

/**
 * mesh-announce's respondd for a gateway: answers `GET nodeinfo statistics neighbours` (raw
 * deflate) and single-word requests (plain JSON) on one UDP socket, joined to the respondd
 * groups on every mesh's interfaces. A request is told to its mesh by the interface of a
 * link-local sender, else by a sender inside the /64 of one of the mesh's addresses, else it
 * is the first mesh's. Nothing a request carries is trusted beyond the provider names: bad or
 * oversized datagrams and requests over the rates get no answer and change nothing.
 */
export class ResponddResponder {
  readonly counts: ResponderCounts = {
    requests: 0,
    answered: 0,
    malformed: 0,
    rateLimited: 0,
    unanswerable: 0,
  };
  private socket?: dgram.Socket;
  private readonly sources = new Map<string, Bucket>();
  private readonly total: Bucket;

  constructor(
    private readonly meshes: MeshSettings[],
    private readonly cfg: ResponddSettings,
    private readonly source: ResponddSource,
    private readonly logger?: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.total = new Bucket(cfg.answersPerSecond, cfg.answersPerSecond, now());
  }

  /** The multicast memberships `start` joins: each group on each mesh interface. */
  memberships(listen: ResponderListen): { group: string; iface: string; mesh: string }[] {
    if (listen.address !== undefined) return [];
    return this.meshes.flatMap((mesh) =>
      interfacesOf(mesh).flatMap((iface) =>
        this.cfg.groups.map((group) => ({ group, iface, mesh: mesh.name })),
      ),
    );
  }

  /** Binds and joins; UnavailableError when the port is taken or an interface is missing. */
  async start(listen: ResponderListen): Promise<{ address: string; port: number }> {
    // An IPv4 --address (127.0.0.1) needs an IPv4 socket; the multicast groups are IPv6.
    const type = listen.address !== undefined && isIP(listen.address) === 4 ? 'udp4' : 'udp6';
    const socket = dgram.createSocket({ type, reuseAddr: false });
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: listen.address ?? '::', port: listen.port, exclusive: true }, () => {
        socket.off('error', reject);
        resolve();
      });
    }).catch((error: Error) => {
      socket.close();
      throw new UnavailableError(
        `respondd: cannot listen on [${listen.address ?? '::'}]:${listen.port}: ${error.message}`,
      );
    });
    for (const { group, iface } of this.memberships(listen)) {
      try {
        // An unknown `%iface` resolves to scope 0, which joins on the default interface
        // without an error: check the (real, not sandboxed) interface first.
        if (iface.includes('/') || !existsSync(`/sys/class/net/${iface}`))
          throw new Error('no such interface');
        socket.addMembership(group, `::%${iface}`);
      } catch (error) {
        socket.close();
        throw new UnavailableError(`respondd: cannot join ${group} on ${iface}: ${(error as Error).message}`);
      }
    }
    socket.on('message', (msg, rinfo) => void this.handle(msg, rinfo.address, rinfo.port));
    socket.on('error', (error) => this.logger?.warn({ err: error }, `respondd: ${error.message}`));
    const bound = socket.address();
    return { address: bound.address, port: bound.port };
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  /** One datagram: parse, rate-limit, answer. Never throws (a bad request must not stop the daemon). */
  async handle(msg: Buffer, address: string, port: number): Promise<void> {
    this.counts.requests += 1;
    const request = parseResponddRequest(msg, this.cfg.maxRequestBytes);
    if (request === undefined) {
      this.counts.malformed += 1;
      this.logger?.debug({ from: address, bytes: msg.length }, 'respondd: ignored a malformed request');
      return;
    }
    if (!this.admit(address)) {
      this.counts.rateLimited += 1;
      return;
    }
    try {
      const mesh = this.meshFor(address);
      const answer = await this.answer(mesh, request);
      if (answer.length > this.cfg.maxAnswerBytes) {
        this.counts.unanswerable += 1;
        this.logger?.warn(
          `respondd: the ${describe(request)} answer of mesh ${mesh.name} has ${answer.length} bytes (maxAnswerBytes ${this.cfg.maxAnswerBytes}); not sent`,
        );
        return;
      }
      this.socket?.send(answer, port, address);
      this.counts.answered += 1;
    } catch (error) {
      this.counts.unanswerable += 1;
      this.logger?.warn({ err: error }, `respondd: no answer to ${address}: ${(error as Error).message}`);
    }
  }

  /** Encoded once per request form and collection: a flood of equal requests costs no deflate. */
  private readonly encoded = new WeakMap<ResponddData, Map<string, Buffer>>();

  private async answer(mesh: MeshSettings, request: ResponddRequest): Promise<Buffer> {
    const data = await this.source.get(mesh);
    const answers = this.encoded.get(data) ?? new Map<string, Buffer>();
    this.encoded.set(data, answers);
    const key = `${request.kind} ${describe(request)}`;
    const answer = answers.get(key) ?? encodeResponddAnswer(request, data);
    answers.set(key, answer);
    return answer;
  }

  private admit(address: string): boolean {
    const now = this.now();
    let bucket = this.sources.get(address);
    if (!bucket) {
      if (this.sources.size >= MAX_SOURCES) this.sources.delete(this.sources.keys().next().value as string);
      bucket = new Bucket(this.cfg.answersPerSecondPerSource, 2 * this.cfg.answersPerSecondPerSource, now);
      this.sources.set(address, bucket);
    }
    // The total is only charged for sources within their own rate: one flood cannot starve the others'.
    return bucket.take(now) && this.total.take(now);
  }

  /** The mesh a request is for (see the class comment). */
  meshFor(address: string): MeshSettings {
    const scope = address.indexOf('%');
    if (scope >= 0) {
      const iface = address.slice(scope + 1);
      const mesh = this.meshes.find((m) => interfacesOf(m).includes(iface));
      if (mesh) return mesh;
    }
    const prefix = prefix64(address.slice(0, scope >= 0 ? scope : undefined));
    if (prefix !== undefined) {
      const mesh = this.meshes.find((m) => this.source.addresses(m.name).some((a) => prefix64(a) === prefix));
      if (mesh) return mesh;
    }
    return this.meshes[0];
  }
}

/** The interfaces a mesh's respondd listens on. */
export function interfacesOf(mesh: MeshSettings): string[] {
  return mesh.responddInterfaces ?? [...(mesh.bridge ? [mesh.bridge] : []), mesh.batman];
}

function describe(request: ResponddRequest): string {
  return request.kind === 'single' ? request.provider : request.providers.join(' ');
}

/** The first four groups of an IPv6 address as 16 hex digits, or undefined for IPv4 and garbage. */
export function prefix64(address: string): string | undefined {
  if (isIP(address) !== 6 || address.includes('.')) return undefined;
  const [head, tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups
    .slice(0, 4)
    .map((g) => g.padStart(4, '0'))
    .join('')
    .toLowerCase();
}
