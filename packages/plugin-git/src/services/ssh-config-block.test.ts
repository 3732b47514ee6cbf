import { describe, expect, it } from 'vitest';
import { renderHostBlock, upsertHostBlock } from './ssh-config-block.js';

const block = { alias: 'github', hostname: 'github.com', user: 'git', identityFile: '/root/.ssh/gw1_github' };
const rendered = [
  '# photon: forge access (github)',
  'Host github',
  '\tHostName github.com',
  '\tUser git',
  '\tIdentityFile /root/.ssh/gw1_github',
  '\tIdentitiesOnly yes',
  '\tPreferredAuthentications publickey',
  '',
].join('\n');

describe('renderHostBlock', () => {
  it('renders the whole block, with Port only when set', () => {
    expect(renderHostBlock(block)).toBe(rendered);
    expect(renderHostBlock({ ...block, port: 2222 })).toBe(
      rendered.replace('\tUser git\n', '\tUser git\n\tPort 2222\n'),
    );
  });
});

describe('upsertHostBlock', () => {
  it('adds to an empty or blank file without leading blank lines', () => {
    expect(upsertHostBlock('', block)).toEqual({ text: rendered, action: 'added' });
    expect(upsertHostBlock('\n\n', block)).toEqual({ text: rendered, action: 'added' });
  });

  it('adds after other hosts with one blank line, and is unchanged the second time', () => {
    const added = upsertHostBlock('Host other\n\tUser x\n\n\n', block);
    expect(added).toEqual({ text: `Host other\n\tUser x\n\n${rendered}`, action: 'added' });
    expect(upsertHostBlock(added.text, block)).toEqual({ text: added.text, action: 'unchanged' });
  });

  it('finds the alias case-insensitively among several patterns and replaces the block in place', () => {
    const config = '  host  forge github  \n\tUser old\n\n# next\nMatch user root\n\tUser y\n';
    expect(upsertHostBlock(config, block)).toEqual({
      text: `${rendered.trimEnd()}\n\n# next\nMatch user root\n\tUser y\n`,
      action: 'updated',
    });
  });

  it('does not take an alias that only contains the name', () => {
    const config = 'Host github.com\n\tUser x\nHost mygithub\n\tUser y\n';
    expect(upsertHostBlock(config, block)).toEqual({ text: `${config}\n${rendered}`, action: 'added' });
  });

  it('replaces its own block between others, keeping their comments and blank lines', () => {
    const before = 'Host a\n\tUser a\n\n';
    const after = '\n# about b\nHost b\n\tUser b\n';
    const old = renderHostBlock({ ...block, user: 'olduser' });
    const result = upsertHostBlock(`${before}${old}${after}`, block);
    expect(result).toEqual({ text: `${before}${rendered}${after}`, action: 'updated' });
    expect(upsertHostBlock(result.text, block)).toEqual({ text: result.text, action: 'unchanged' });
  });

  it('replaces a block at the end of a file without a final newline and adds one', () => {
    expect(upsertHostBlock('Host x\n\tUser x\nHost github\n\tUser old', block)).toEqual({
      text: `Host x\n\tUser x\n${rendered}`,
      action: 'updated',
    });
  });

  it('ignores the alias in comments and ends a block only at a Host or Match line', () => {
    const commented = '# Host github was here\n';
    expect(upsertHostBlock(commented, block)).toEqual({ text: `${commented}\n${rendered}`, action: 'added' });
    const config =
      'Host github\n\tProxyCommand ssh -W %h:%p jumpHost x\n\tUser old\n  Host other\n\tUser o\n';
    expect(upsertHostBlock(config, block)).toEqual({
      text: `${rendered}  Host other\n\tUser o\n`,
      action: 'updated',
    });
  });

  it('keeps a comment that is not photon’s marker above the block', () => {
    const config = '# my github\nHost github\n\tUser old\n';
    expect(upsertHostBlock(config, block)).toEqual({ text: `# my github\n${rendered}`, action: 'updated' });
  });
});
