import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandRunner } from '@ffphoton/core/testing';

export { writeSettings } from '@ffphoton/core/testing';

/** A stand-in oclif root that declares the web and fastd namespaces and test `photon:status` hooks. */
const hostRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-data/host');

// Not isolated: these tests choose their own --root (or none) per run.
export const runCommand = commandRunner(hostRoot, { isolated: false });

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `photon-web-${prefix}-`));
}
