import { describe, expect, it } from 'vitest';
import { commandIndex } from './command-index.js';

describe('commandIndex', () => {
  it('lists visible commands as typed, sorted, with their visible flags and arguments', () => {
    const index = commandIndex([
      {
        id: 'fastd:verify',
        pluginName: '@ffphoton/plugin-fastd',
        summary: 'Decide the hook',
        examples: ['<%= config.bin %> fastd verify KEY', { command: 'photon fastd verify KEY2' }],
        flags: { json: {}, instance: { required: true }, secret: { hidden: true } },
        args: { key: { required: true } },
      },
      { id: 'doctor', pluginName: '@ffphoton/cli', description: 'Check things\nmore', flags: {}, args: {} },
      { id: 'internal', hidden: true, flags: {}, args: {} },
    ]);
    expect(index).toEqual([
      {
        id: 'doctor',
        command: 'doctor',
        plugin: '@ffphoton/cli',
        summary: 'Check things',
        examples: [],
        flags: [],
        args: [],
      },
      {
        id: 'fastd:verify',
        command: 'fastd verify',
        plugin: '@ffphoton/plugin-fastd',
        summary: 'Decide the hook',
        examples: ['<%= config.bin %> fastd verify KEY', 'photon fastd verify KEY2'],
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
