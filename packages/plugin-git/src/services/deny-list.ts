import { DEFAULT_SNAPSHOT_DENY } from '@ffphoton/core';

const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/** Decides which files a snapshot must never copy: private-key names and private-key contents. */
export class DenyList {
  private readonly patterns: RegExp[];

  constructor(extra: string[], useDefaults: boolean) {
    this.patterns = [...(useDefaults ? DEFAULT_SNAPSHOT_DENY : []), ...extra].map(globToRegExp);
  }

  deniesName(baseName: string): boolean {
    return this.patterns.some((pattern) => pattern.test(baseName));
  }

  deniesContent(content: Buffer): boolean {
    return PRIVATE_KEY.test(content.toString('latin1'));
  }
}

/** Shell-style glob (`*`, `?`) on a base name. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${body}$`);
}
