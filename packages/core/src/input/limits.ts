/**
 * Size, depth and expansion limits for everything photon reads that someone else could have
 * written: settings, plugin YAML files, peer files, alfred records (their budgets are alfred
 * settings) and command output. Each is far above what a real deployment has (the example settings
 * are 14 kB, a fastd peer file 100 bytes, a node record 2 KiB) and far below what hurts a gateway
 * with 128 MiB of RAM. docs/input-limits.md lists them; the alfred budgets are settings.
 */
export const INPUT_LIMITS = {
  /** One settings file (`/etc/photon/photon.yaml`, `--config`). */
  settingsBytes: 1024 * 1024,
  /** A plugin's own YAML file (key groups, queues, account lists). */
  yamlFileBytes: 4 * 1024 * 1024,
  /** One fastd peer file (`key "…";` and a few lines). */
  peerFileBytes: 64 * 1024,
  /** Output of a command read as data (vnstat --json …). */
  commandOutputBytes: 16 * 1024 * 1024,
  /** A document fetched from another host (a gateway's fastd_status.json is ~200 bytes). */
  remoteDocumentBytes: 1024 * 1024,
  /** Nesting of JSON and YAML values; node data and settings use fewer than 10 levels. */
  maxDepth: 64,
  /**
   * Nodes a YAML document may expand to through aliases (each use of an anchor counts its whole
   * subtree again). The example community settings hold ~430 values.
   */
  yamlExpandedNodes: 100_000,
  /** Alias uses per document (the `yaml` package's maxAliasCount). */
  yamlAliases: 1000,
} as const;
