import { Help } from '@oclif/core/help';
import { describe, expect, it } from 'vitest';
import { Command, Config, loadOclifCore, loadOclifHelp } from './index.js';

describe("core's oclif, loaded on demand", () => {
  it("loadOclifHelp gives oclif's Help class, and loadOclifCore the same oclif the exports come from", async () => {
    expect(await loadOclifHelp()).toBe(Help);
    const oclif = await loadOclifCore();
    expect([oclif.Command, oclif.Config]).toEqual([Command, Config]);
    expect(oclif.Command).toBe(Command);
  });
});
