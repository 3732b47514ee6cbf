import path from 'node:path';
import type { FileStore } from '@ffphoton/core';
import type { Problem } from './community.js';
import { quote } from './community.js';

/** tinc node names (tinc manual, `Name`): anything else is never written. */
const NODE_NAME = /^[A-Za-z0-9_]+$/;
/** The post-merge hook's rule: a line starting with `Address`, any case (`grep -iq '^Address'`). */
const ADDRESS_LINE = /^address/im;

export const CONNECTS_BEGIN = '# BEGIN photon icvpn ConnectTo (generated, do not edit)';
export const CONNECTS_END = '# END photon icvpn ConnectTo';

export interface TincConnects {
  /** Metanodes that get a ConnectTo line, in `metanodes` file order. */
  nodes: string[];
  problems: Problem[];
}

/**
 * The deleted post-merge hook, reimplemented: every metanode (file order, blanks and
 * comments skipped) whose host file has an Address line, except this gateway itself.
 */
export async function selectConnects(
  files: FileStore,
  tincDir: string,
  self?: string,
): Promise<TincConnects> {
  const text = await files.readTextIfExists(path.posix.join(tincDir, 'metanodes'));
  if (text === undefined) return { nodes: [], problems: [problem('metanodes', 'file is missing')] };
  const nodes: string[] = [];
  const problems: Problem[] = [];
  for (const raw of text.split('\n')) {
    const name = raw.trim();
    if (!name || name.startsWith('#') || nodes.includes(name)) continue;
    if (!NODE_NAME.test(name)) {
      problems.push(
        problem('metanodes', `node name ${quote(name)} contains characters outside [A-Za-z0-9_]`),
      );
      continue;
    }
    if (self !== undefined && name.toLowerCase() === self.toLowerCase()) continue;
    const host = await files.readTextIfExists(path.posix.join(tincDir, 'hosts', name));
    if (host === undefined) {
      problems.push({ ...problem(`hosts/${name}`, 'metanode has no host file'), severity: 'warning' });
      continue;
    }
    if (ADDRESS_LINE.test(host)) nodes.push(name);
  }
  return { nodes, problems };
}

function problem(key: string, message: string): Problem {
  return { community: 'tinc', key, severity: 'error', message };
}

export function renderConnects(nodes: readonly string[]): string {
  return nodes.map((n) => `ConnectTo = ${n}\n`).join('');
}

/** Replaces the marked block in tinc.conf (appended when absent); the rest of the file stays as it is. */
export function replaceConnectsBlock(tincConf: string, nodes: readonly string[]): string {
  const block = `${CONNECTS_BEGIN}\n${renderConnects(nodes)}${CONNECTS_END}\n`;
  const begin = tincConf.indexOf(CONNECTS_BEGIN);
  const end = tincConf.indexOf(CONNECTS_END, begin);
  if (begin >= 0 && end > begin) {
    const after = tincConf.indexOf('\n', end);
    return tincConf.slice(0, begin) + block + (after >= 0 ? tincConf.slice(after + 1) : '');
  }
  const base = tincConf === '' || tincConf.endsWith('\n') ? tincConf : `${tincConf}\n`;
  return `${base}${block}`;
}
