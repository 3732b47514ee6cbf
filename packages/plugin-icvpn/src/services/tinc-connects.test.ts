import path from 'node:path';
import { FileStore, RootSandbox } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { TEST_DATA } from '../test-helpers/reference-args.js';
import { CONNECTS_BEGIN, CONNECTS_END, replaceConnectsBlock, selectConnects } from './tinc-connects.js';

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
