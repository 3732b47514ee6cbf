import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseYaml } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { exampleConfig, photon, sandbox } from './helpers/photon.js';

interface Job {
  name: string;
  command: string[];
}

const fleet = parseYaml(readFileSync(path.join(exampleConfig, 'fleet.yaml'), 'utf8')) as {
  fleet: { jobs: Job[] };
};
// The example community also installs the watchdog community plugin (examples/plugin-watchdog).
const communityTopics = new Set(['watchdog']);
const photonJobs = fleet.fleet.jobs.filter(
  (job) => job.command[0] === 'photon' && !communityTopics.has(job.command[1]),
);

describe('the example community', () => {
  it('validates as a whole against every bundled plugin', async () => {
    const { root, env } = sandbox();
    const { code, stdout, stderr } = await photon(
      ['config', 'validate', '--root', root, '--config', exampleConfig, '--json'],
      {
        env,
      },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).result.namespaces).toEqual(
      expect.arrayContaining(['photon', 'git', 'mail', 'fastd', 'icvpn', 'alfred', 'web', 'fleet']),
    );
  });

  it.each(photonJobs.map((job) => [job.name, job.command.slice(1)]))(
    'schedules the existing command of job %s',
    async (_name, args) => {
      const { code, stdout } = await photon([...args, '--help']);
      expect(code).toBe(0);
      expect(stdout).toContain('USAGE');
    },
  );
});
