/** A working tree's state from `git status --porcelain=v2 --branch -z`. */
export interface GitStatus {
  branch?: string;
  upstream?: string;
  ahead: number;
  behind: number;
  /** Paths with changes in the index (added, modified, deleted, renamed, copied). */
  staged: string[];
  /** Paths with unstaged changes in the working tree. */
  modified: string[];
  deleted: string[];
  untracked: string[];
  renamed: { from: string; to: string }[];
  conflicted: string[];
  clean: boolean;
}

/**
 * Parses porcelain v2 with `-z` (paths are never quoted there). Unlike Photon, staged
 * additions, renames and copies count as changes.
 */
export function parsePorcelainV2(output: string): GitStatus {
  const status: GitStatus = {
    ahead: 0,
    behind: 0,
    staged: [],
    modified: [],
    deleted: [],
    untracked: [],
    renamed: [],
    conflicted: [],
    clean: true,
  };
  const fields = output.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i];
    if (!entry) continue;
    const kind = entry[0];
    if (kind === '#') {
      const [, key, ...rest] = entry.split(' ');
      if (key === 'branch.head' && rest[0] !== '(detached)') status.branch = rest[0];
      else if (key === 'branch.upstream') status.upstream = rest[0];
      else if (key === 'branch.ab') {
        status.ahead = Math.abs(Number(rest[0]));
        status.behind = Math.abs(Number(rest[1]));
      }
      continue;
    }
    if (kind === '?') {
      status.untracked.push(entry.slice(2));
      continue;
    }
    if (kind === '!') continue;
    if (kind === 'u') {
      status.conflicted.push(fieldsFrom(entry, 10));
      continue;
    }
    const xy = entry.slice(2, 4);
    // Ordinary entries have 8 fields before the path, renames/copies 9 and the origin path follows.
    const path = fieldsFrom(entry, kind === '2' ? 9 : 8);
    if (kind === '2') status.renamed.push({ from: fields[++i] ?? '', to: path });
    if (xy[0] !== '.') status.staged.push(path);
    if (xy[1] === 'M' || xy[1] === 'T') status.modified.push(path);
    if (xy[0] === 'D' || xy[1] === 'D') status.deleted.push(path);
  }
  status.clean =
    status.staged.length +
      status.modified.length +
      status.deleted.length +
      status.untracked.length +
      status.conflicted.length ===
    0;
  return status;
}

/** The rest of a space-separated record after `count` fields (the path may contain spaces). */
function fieldsFrom(entry: string, count: number): string {
  let index = 0;
  for (let n = 0; n < count; n++) index = entry.indexOf(' ', index) + 1;
  return entry.slice(index);
}
