import { promises as fsp, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FileStore } from '@ffphoton/core';
import { isMap, isScalar, type Node, parseDocument, visit } from 'yaml';
import { compareCodePoints, type Problem } from './community.js';

/** One community file as read: its parsed document, or why it could not be read. */
export interface RawCommunity {
  name: string;
  data?: unknown;
}

export interface MetaReadResult {
  files: RawCommunity[];
  problems: Problem[];
}

/** The largest real community file is about 2 KiB; anything far bigger is refused unread. */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024;

/**
 * Reads an icvpn-meta checkout the way icvpn-scripts' filereader does — names sorted by
 * code point, dot-files, `README*` and non-regular files skipped, whole-name excludes —
 * but refuses oversized files, duplicate keys and YAML aliases instead of trusting them.
 */
export class MetaReader {
  constructor(
    private readonly files: FileStore,
    private readonly maxFileBytes = DEFAULT_MAX_FILE_BYTES,
  ) {}

  async read(dir: string, exclude: ReadonlySet<string> = new Set()): Promise<MetaReadResult> {
    const host = this.files.resolve(dir);
    const names = (await fsp.readdir(host))
      .filter((n) => !n.startsWith('.') && !n.startsWith('README') && !exclude.has(n))
      .sort(compareCodePoints);
    const problems: Problem[] = [];
    // Synchronous reads: thousands of tiny files are far faster than as many thread-pool round trips.
    const read = names.map((name) => this.readOne(path.join(host, name), name, problems));
    return { files: read.filter((r): r is RawCommunity => r !== undefined), problems };
  }

  private readOne(file: string, name: string, problems: Problem[]): RawCommunity | undefined {
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile()) return undefined;
    const fail = (message: string, key = '(file)') => {
      problems.push({ community: name, key, severity: 'error', message });
      return undefined;
    };
    if (stat.size > this.maxFileBytes) {
      return fail(`file is ${stat.size} bytes, more than the limit of ${this.maxFileBytes}; not parsed`);
    }
    return parseCommunity(name, readFileSync(file, 'utf8'), fail);
  }
}

/** Parses one community document; YAML 1.2 (PyYAML's 1.1 would read an unquoted `0821` differently). */
export function parseCommunity(
  name: string,
  text: string,
  fail: (message: string, key?: string) => undefined,
): RawCommunity | undefined {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const line = error.linePos ? text.split('\n')[error.linePos[0].line - 1] : undefined;
    const key = error.code === 'DUPLICATE_KEY' && line ? line.split(':')[0].trim() : undefined;
    return fail(`invalid YAML: ${error.message.split('\n')[0]}`, key && `${key} (duplicate key)`);
  }
  // Real icvpn-meta uses no aliases, and they allow expansion bombs: refuse them outright.
  const aliased = firstKeyWithAlias(doc.contents);
  if (aliased !== undefined) return fail('YAML anchors and aliases are not accepted', aliased);
  return { name, data: doc.toJS({ mapAsMap: true }) };
}

function firstKeyWithAlias(contents: unknown): string | undefined {
  if (!isMap(contents)) return undefined;
  for (const pair of contents.items) {
    let found = false;
    visit(pair.value as Node, {
      Alias: () => {
        found = true;
        return visit.BREAK;
      },
    });
    if (found) return String(isScalar(pair.key) ? pair.key.value : pair.key);
  }
  return undefined;
}
