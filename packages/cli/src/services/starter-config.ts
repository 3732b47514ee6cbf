import { byCodeUnit, type SettingsNamespace, stringifyYaml } from '@ffphoton/core';

/**
 * A commented starter photon.yaml: each namespace's description and its defaults, all
 * commented out, so the file changes nothing until the admin edits it.
 */
export function starterConfig(namespaces: SettingsNamespace[]): string {
  const out = [
    '# photon settings. Later files win: plugin defaults < /etc/photon/photon.yaml',
    '#   < ~/.config/photon/photon.yaml < each --config FILE < PHOTON_<NAMESPACE>__<KEY> variables.',
    "# Photon's !str_join / !loc_join tags and YAML anchors work; keys starting with x- are free for anchors.",
    '# Check your edits with: photon config validate',
    '',
  ];
  for (const ns of [...namespaces].sort((a, b) => byCodeUnit(a.name, b.name))) {
    out.push(`# --- ${ns.name}: ${ns.description}`);
    const defaults = ns.schema.safeParse({});
    const body = defaults.success
      ? stringifyYaml({ [ns.name]: defaults.data }, { indent: 2 }).trimEnd()
      : `${ns.name}: {}  # required settings, see the plugin's README`;
    for (const line of body.split('\n')) out.push(`# ${line}`);
    out.push('');
  }
  return `${out.join('\n')}`;
}
