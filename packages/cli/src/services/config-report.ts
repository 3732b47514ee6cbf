import {
  ConfigError,
  formatKeyPath,
  redactSecrets,
  type Settings,
  type SettingsNamespace,
} from '@ffphoton/core';

export interface ConfigReportResult {
  /** Files that contributed, in load order (later wins). */
  files: { kind: string; file: string }[];
  namespaces: string[];
  /** The resolved settings (or the subtree at the key path), secrets redacted. */
  value: unknown;
}

/** Photon's settings tool: resolve every namespace and show all or part of the tree. */
export class ConfigReport {
  constructor(
    private readonly settings: Settings,
    private readonly namespaces: SettingsNamespace[],
  ) {}

  /** Validates every namespace (a ConfigError names file, line and key); what was read. */
  validate(): Omit<ConfigReportResult, 'value'> {
    for (const ns of this.namespaces) this.settings.get(ns);
    return {
      files: this.settings.layers.map(({ kind, file }) => ({ kind, file })),
      namespaces: this.namespaces.map((ns) => ns.name),
    };
  }

  /** `validate()`, and the resolved tree (or the subtree at `keyPath`) with secrets redacted. */
  build(keyPath?: string): ConfigReportResult {
    const read = this.validate();
    const tree = redactSecrets(this.settings.resolved());
    return { ...read, value: keyPath ? pick(tree, keyPath) : tree };
  }
}

/** `fastd.instances.0.name` or `fastd.instances[0].name` */
function pick(tree: unknown, keyPath: string): unknown {
  const parts = keyPath
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean);
  let cursor = tree;
  for (const [index, part] of parts.entries()) {
    if (cursor === null || typeof cursor !== 'object' || !Object.hasOwn(cursor, part)) {
      throw new ConfigError('no such setting', { keyPath: formatKeyPath(parts.slice(0, index + 1)) });
    }
    cursor = (cursor as Record<string, unknown>)[part];
  }
  return cursor;
}
