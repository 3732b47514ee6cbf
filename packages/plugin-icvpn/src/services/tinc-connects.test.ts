import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStore, RootSandbox } from '@ffphoton/core';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATA } from '../test-helpers/reference-args.js';
import {
  CONNECTS_BEGIN,
  CONNECTS_END,
  renderConnects,
  replaceConnectsBlock,
  selectConnects,
} from './tinc-connects.js';

const files = new FileStore(new RootSandbox(), { dryRun: true });
const TINC = path.join(TEST_DATA, 'tinc');

describe('tinc ConnectTo selection (the post-merge hook)', () => {
  it('keeps metanodes with an Address line in file order and warns about a missing host file', async () => {
    const result = await selectConnects(files, TINC);
    expect(result.nodes).toEqual(['delta1', 'bravo23']);
    expect(result.problems).toEqual([expect.objectContaining({ key: 'hosts/zulu9', severity: 'warning' })]);
  });

  it('skips this gateway itself, case-insensitively', async () => {
    expect((await selectConnects(files, TINC, 'DELTA1')).nodes).toEqual(['bravo23']);
  });

  it('replaces only the marked block of tinc.conf and appends it when missing', () => {
    const conf = 'Name = mwu23\nMode = Switch\n';
    const first = replaceConnectsBlock(conf, ['delta1']);
    expect(first).toBe(`${conf}${CONNECTS_BEGIN}\nConnectTo = delta1\n${CONNECTS_END}\n`);
    const second = replaceConnectsBlock(`${first}Port = 10655\n`, ['delta1', 'bravo23']);
    expect(second).toBe(
      `${conf}${CONNECTS_BEGIN}\nConnectTo = delta1\nConnectTo = bravo23\n${CONNECTS_END}\nPort = 10655\n`,
    );
  });
});

describe('tinc ConnectTo edge cases', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'icvpn-connects-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('blank lines, comments, repeats and bad names; an Address line in any case, at any line start', async () => {
    const dir = path.join(tmp, 'net');
    mkdirSync(path.join(dir, 'hosts'), { recursive: true });
    writeFileSync(
      path.join(dir, 'metanodes'),
      ['', '  gw_a  ', '# gw_b', 'gw_c', 'gw_a', 'gw-d', 'gw e', 'gw_f', 'gw_g', 'self', ''].join('\n'),
    );
    const hosts: Record<string, string> = {
      gw_a: 'Port = 655\naddress = 192.0.2.1\n',
      gw_b: 'Address = 192.0.2.2\n',
      gw_c: 'Port = 655\n# Address = 192.0.2.3\n',
      gw_f: 'ADDRESS=192.0.2.6',
      gw_g: 'Port = 655\n  Address = 192.0.2.7\n',
      self: 'Address = 192.0.2.9\n',
    };
    for (const [name, text] of Object.entries(hosts)) writeFileSync(path.join(dir, 'hosts', name), text);
    expect(await selectConnects(files, dir, 'SELF')).toEqual({
      nodes: ['gw_a', 'gw_f'],
      problems: [
        {
          community: 'tinc',
          key: 'metanodes',
          severity: 'error',
          message: 'node name "gw-d" contains characters outside [A-Za-z0-9_]',
        },
        {
          community: 'tinc',
          key: 'metanodes',
          severity: 'error',
          message: 'node name "gw e" contains characters outside [A-Za-z0-9_]',
        },
      ],
    });
    // Without a name of its own, the gateway's host file counts like any other.
    expect((await selectConnects(files, dir)).nodes).toEqual(['gw_a', 'gw_f', 'self']);
  });

  it('no metanodes file: an error and no nodes', async () => {
    expect(await selectConnects(files, path.join(tmp, 'none'))).toEqual({
      nodes: [],
      problems: [{ community: 'tinc', key: 'metanodes', severity: 'error', message: 'file is missing' }],
    });
  });

  it('the block: an END without a line feed, an END before BEGIN, no END at all, a file without a final line feed', () => {
    const block = (nodes: string[]) =>
      `${CONNECTS_BEGIN}\n${nodes.map((n) => `ConnectTo = ${n}\n`).join('')}${CONNECTS_END}\n`;
    expect(replaceConnectsBlock(`a\n${CONNECTS_BEGIN}\nConnectTo = x\n${CONNECTS_END}`, ['y'])).toBe(
      `a\n${block(['y'])}`,
    );
    expect(replaceConnectsBlock(`${CONNECTS_END}\na\n${CONNECTS_BEGIN}\nConnectTo = x\n`, ['y'])).toBe(
      `${CONNECTS_END}\na\n${CONNECTS_BEGIN}\nConnectTo = x\n${block(['y'])}`,
    );
    expect(replaceConnectsBlock('Name = gw', [])).toBe(`Name = gw\n${block([])}`);
    // A block at the very start of the file is replaced too.
    expect(replaceConnectsBlock(`${block(['x'])}Name = gw\n`, ['y'])).toBe(`${block(['y'])}Name = gw\n`);
    expect(replaceConnectsBlock('', ['z'])).toBe(block(['z']));
    expect(renderConnects(['a', 'b'])).toBe('ConnectTo = a\nConnectTo = b\n');
    expect(renderConnects([])).toBe('');
  });
});
