import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandRunner } from '@ffphoton/core/testing';

export { writeSettings } from '@ffphoton/core/testing';

// Not isolated: these tests choose their own --root (or none) per run.
export const runCommand = commandRunner(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'), {
  isolated: false,
});
