import { describe, expect, it } from 'vitest';
import { parsePorcelainV2 } from './git-status.js';

describe('parsePorcelainV2', () => {
  it('reads branch, ahead/behind, staged, renamed, conflicted and untracked entries', () => {
    const output = [
      '# branch.oid 0123456789abcdef0123456789abcdef01234567',
      '# branch.head main',
      '# branch.upstream origin/main',
      '# branch.ab +2 -1',
      '1 A. N... 000000 100644 100644 0000000000000000000000000000000000000000 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 new file.txt',
      '1 .M N... 100644 100644 100644 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 changed.txt',
      '1 D. N... 100644 000000 000000 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 0000000000000000000000000000000000000000 gone.txt',
      '2 R. N... 100644 100644 100644 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 R100 to name.txt',
      'from name.txt',
      'u UU N... 100644 100644 100644 100644 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 both.txt',
      '? fresh dir/x',
      '',
    ].join('\0');
    const status = parsePorcelainV2(output);
    expect(status).toMatchObject({
      branch: 'main',
      upstream: 'origin/main',
      ahead: 2,
      behind: 1,
      staged: ['new file.txt', 'gone.txt', 'to name.txt'],
      modified: ['changed.txt'],
      deleted: ['gone.txt'],
      renamed: [{ from: 'from name.txt', to: 'to name.txt' }],
      conflicted: ['both.txt'],
      untracked: ['fresh dir/x'],
      clean: false,
    });
  });

  it('counts a tree with only staged additions as dirty (Photon called it clean)', () => {
    const status = parsePorcelainV2(
      '# branch.head (detached)\u00001 A. N... 000000 100644 100644 0000000000000000000000000000000000000000 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 a\0',
    );
    expect(status.branch).toBeUndefined();
    expect(status.clean).toBe(false);
    expect(parsePorcelainV2('# branch.head main\0').clean).toBe(true);
  });

  it('reads the whole state: type changes, both-side deletes, ignored entries, a rename cut short', () => {
    const blob = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';
    const output = [
      '# branch.oid 0123456789abcdef0123456789abcdef01234567',
      '# branch.head feature/x',
      '# branch.ab +0 -3',
      `1 .T N... 100644 120000 120000 ${blob} ${blob} link`,
      `1 MD N... 100644 100644 000000 ${blob} ${blob} both ways.txt`,
      '! build/out.log',
      `2 R. N... 100644 100644 100644 ${blob} ${blob} R100 renamed`,
    ].join('\0');
    expect(parsePorcelainV2(output)).toEqual({
      branch: 'feature/x',
      ahead: 0,
      behind: 3,
      staged: ['both ways.txt', 'renamed'],
      modified: ['link'],
      deleted: ['both ways.txt'],
      untracked: [],
      renamed: [{ from: '', to: 'renamed' }],
      conflicted: [],
      clean: false,
    });
    expect(parsePorcelainV2('! ignored\0')).toMatchObject({ clean: true, untracked: [] });
  });
});
