import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { ConfigError } from '@ffphoton/core';
import type { JsonObject } from './alfred-records.js';
import { decodeResponddAnswer, responddRequestLine } from './respondd-protocol.js';

export interface ResponddAnswer {
  /** The responder's address (with `%iface` for a link-local one). */
  from: string;
  data: JsonObject;
}

export interface QueryResult {
  target: string;
  port: number;
  answers: ResponddAnswer[];
  /** Datagrams that did not decode, by sender. */
  problems: string[];
}

/** A target's address: an address as given, an interface name its link-local respondd group. */
export function queryAddress(target: string): string {
  const [address] = target.split('%');
  if (isIP(address) === 6 || isIP(address) === 4) return target;
  return `ff02::2:1001%${target}`;
}

const isMulticast = (address: string) => /^ff[0-9a-f]{2}:/i.test(address);

/**
 * What gluon-neighbour-info and yanic do: sends one respondd request and collects the
 * answers. A unicast target is done with its first answer; a multicast group is listened to
 * for the whole timeout (every node of the segment answers).
 */
export async function queryRespondd(
  target: string,
  port: number,
  providers: readonly string[],
  timeoutMs: number,
): Promise<QueryResult> {
  const address = queryAddress(target);
  // An unknown `%iface` would silently become the default interface.
  const scope = address.split('%')[1];
  if (scope !== undefined && (scope.includes('/') || !existsSync(`/sys/class/net/${scope}`)))
    throw new ConfigError(`respondd query: no interface ${scope} (target ${target})`);
  const multicast = isMulticast(address);
  const family = isIP(address.split('%')[0]) === 4 ? 'udp4' : 'udp6';
  const socket = dgram.createSocket(family);
  const result: QueryResult = { target: address, port, answers: [], problems: [] };
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, () => resolve());
    });
    if (multicast && scope) socket.setMulticastInterface(`::%${scope}`);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, timeoutMs);
      socket.on('message', (msg, rinfo) => {
        const data = decodeResponddAnswer(msg);
        if (data === undefined)
          result.problems.push(`${rinfo.address}: an answer of ${msg.length} bytes did not decode`);
        else result.answers.push({ from: rinfo.address, data });
        if (!multicast && data !== undefined) {
          clearTimeout(timer);
          resolve();
        }
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.send(responddRequestLine(providers), port, address);
    });
  } finally {
    socket.close();
  }
  return result;
}
