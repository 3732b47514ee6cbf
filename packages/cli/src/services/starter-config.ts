import { byCodeUnit, type SettingsNamespace, stringifyYaml } from '@ffphoton/core';

/**
 * A commented starter photon.yaml: for each namespace one line saying what it is for, then its
 * defaults, where each list the defaults leave empty shows one example entry from the
 * namespace's sample — all commented out, so the file changes nothing until the admin edits it.
 */
export function starterConfig(namespaces: SettingsNamespace[]): string {
  const out = [
    '# photon settings. Later files win: plugin defaults < /etc/photon/photon.yaml',
    '#   < ~/.config/photon/photon.yaml < each --config FILE < PHOTON_<NAMESPACE>__<KEY> variables.',
    "# Photon's !str_join / !loc_join tags and YAML anchors work; keys starting with x- are free for anchors.",
    '# Uncomment what you need; lists show one example entry. Check your edits with: photon config validate',
    '',
  ];
  for (const ns of [...namespaces].sort((a, b) => byCodeUnit(a.name, b.name))) {
    out.push(`# --- ${ns.name}: ${ns.description}`);
    const defaults = ns.schema.safeParse({});
    const body = defaults.success
      ? stringifyYaml({ [ns.name]: withExampleEntries(defaults.data, ns.example) }, { indent: 2 }).trimEnd()
      : `${ns.name}: {}  # required settings, see the plugin's README`;
    for (const line of body.split('\n')) out.push(`# ${line}`);
    out.push('');
  }
  return `${out.join('\n')}`;
}

/** The defaults, with each empty list replaced by the first entry of the sample's list there. */
export function withExampleEntries(defaults: unknown, example: unknown): unknown {
  if (Array.isArray(defaults)) {
    return defaults.length === 0 && Array.isArray(example) && example.length > 0 ? [example[0]] : defaults;
  }
  if (!isMapping(defaults) || !isMapping(example)) return defaults;
  return Object.fromEntries(
    Object.entries(defaults).map(([key, value]) => [key, withExampleEntries(value, example[key])]),
  );
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
