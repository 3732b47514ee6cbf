import { describe, expect, it } from 'vitest';
import { commandIndex } from './command-index.js';

describe('commandIndex', () => {
  it('lists visible commands as typed, sorted, with their visible flags and arguments', () => {
    const index = commandIndex([
      {
        id: 'fastd:verify',
        pluginName: '@ffphoton/plugin-fastd',
        summary: 'Decide the hook',
        flags: { json: {}, instance: { required: true }, secret: { hidden: true } },
        args: { key: { required: true } },
      },
      { id: 'doctor', pluginName: '@ffphoton/cli', description: 'Check things\nmore', flags: {}, args: {} },
      { id: 'internal', hidden: true, flags: {}, args: {} },
    ]);
    expect(index).toEqual([
      { command: 'doctor', plugin: '@ffphoton/cli', summary: 'Check things', flags: [], args: [] },
      {
        command: 'fastd verify',
        plugin: '@ffphoton/plugin-fastd',
        summary: 'Decide the hook',
        flags: [
          { name: 'json', required: false },
          { name: 'instance', required: true },
        ],
        args: [{ name: 'key', required: true }],
      },
    ]);
  });

  it('includes hidden commands on request', () => {
    expect(commandIndex([{ id: 'internal', hidden: true, flags: {}, args: {} }], true)).toHaveLength(1);
  });
});
