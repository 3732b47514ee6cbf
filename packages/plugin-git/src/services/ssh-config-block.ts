export interface HostBlock {
  alias: string;
  hostname: string;
  user: string;
  port?: number;
  identityFile: string;
}

export interface UpsertResult {
  text: string;
  action: 'added' | 'updated' | 'unchanged';
}

/** The `Host` block photon writes for a forge alias. */
export function renderHostBlock(block: HostBlock): string {
  return [
    `# photon: forge access (${block.alias})`,
    `Host ${block.alias}`,
    `\tHostName ${block.hostname}`,
    `\tUser ${block.user}`,
    ...(block.port ? [`\tPort ${block.port}`] : []),
    `\tIdentityFile ${block.identityFile}`,
    '\tIdentitiesOnly yes',
    '\tPreferredAuthentications publickey',
    '',
  ].join('\n');
}

/**
 * Adds or replaces the `Host <alias>` block in an ssh_config text; other blocks, comments and
 * the order stay as they are. Running it twice never duplicates the block.
 */
export function upsertHostBlock(config: string, block: HostBlock): UpsertResult {
  const wanted = renderHostBlock(block);
  const lines = config.split('\n');
  const start = lines.findIndex((line) => {
    const match = /^\s*Host\s+(.+?)\s*$/i.exec(line);
    return match ? match[1].split(/\s+/).includes(block.alias) : false;
  });
  if (start === -1) {
    const base = config.trimEnd();
    return { text: `${base}${base ? '\n\n' : ''}${wanted}`, action: 'added' };
  }
  let end = start + 1;
  while (end < lines.length && !/^\s*(Host|Match)\s/i.test(lines[end])) end++;
  // The marker comment and blank lines just above belong to the block.
  let from = start;
  if (from > 0 && lines[from - 1].startsWith('# photon: ')) from--;
  // Trailing blank lines and a following block's comment stay with what follows.
  while (end - 1 > start && (lines[end - 1].trim() === '' || lines[end - 1].trim().startsWith('#'))) end--;
  const current = `${lines.slice(from, end).join('\n')}\n`;
  if (current === wanted) return { text: config, action: 'unchanged' };
  const text = [...lines.slice(0, from), ...wanted.trimEnd().split('\n'), ...lines.slice(end)].join('\n');
  return { text: text.endsWith('\n') ? text : `${text}\n`, action: 'updated' };
}
