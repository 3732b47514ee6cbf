import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandRunner } from '@ffphoton/core/testing';

export { writeSettings } from '@ffphoton/core/testing';

/** Runs a fastd command class the way the photon binary does, with this plugin's oclif config. */
// Not isolated: these tests choose their own --root (or none) per run.
export const runCommand = commandRunner(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'), {
  isolated: false,
});
