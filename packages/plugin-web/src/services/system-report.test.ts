import { Shell } from '@ffphoton/core';
import { describe, expect, it } from 'vitest';
import { SystemReport } from './system-report.js';

const shell = new Shell({ dryRun: false, defaultTimeoutMs: 10_000 });
const withoutDuration = <T extends { durationMs: number }>({ durationMs, ...rest }: T) => {
  expect(durationMs).toBeGreaterThanOrEqual(0);
  return rest;
};

describe('SystemReport', () => {
  it('keeps stdout and stderr apart and turns every kind of failure into a note', async () => {
    const outputs = await new SystemReport(shell, 1500).collect([
      { title: 'both', argv: ['sh', '-c', 'echo out; echo err >&2'] },
      { argv: ['sh', '-c', 'echo partial; echo broken >&2; exit 3'] },
      { title: 'killed', argv: ['sh', '-c', 'kill -TERM $$'] },
      { title: 'missing', argv: ['/nonexistent/photon-tool'] },
      { title: 'slow', argv: ['sleep', '20'] },
    ]);
    expect(outputs.map(withoutDuration)).toEqual([
      {
        title: 'both',
        argv: ['sh', '-c', 'echo out; echo err >&2'],
        stdout: 'out\n',
        stderr: 'err\n',
        ok: true,
        note: undefined,
      },
      {
        title: 'sh -c echo partial; echo broken >&2; exit 3',
        argv: ['sh', '-c', 'echo partial; echo broken >&2; exit 3'],
        stdout: 'partial\n',
        stderr: 'broken\n',
        ok: false,
        note: 'Failed (exit 3).',
      },
      {
        title: 'killed',
        argv: ['sh', '-c', 'kill -TERM $$'],
        stdout: '',
        stderr: '',
        ok: false,
        note: 'Failed (killed by SIGTERM).',
      },
      {
        title: 'missing',
        argv: ['/nonexistent/photon-tool'],
        stdout: '',
        stderr: '',
        ok: false,
        note: expect.stringMatching(/^Could not be started: .*ENOENT.*\.$/),
      },
      {
        title: 'slow',
        argv: ['sleep', '20'],
        stdout: '',
        stderr: '',
        ok: false,
        note: 'Timed out after 2 s and was stopped.',
      },
    ]);
  });
});
