import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandRunner } from '@ffphoton/core/testing';

export { writeSettings } from '@ffphoton/core/testing';

// Isolated: a run without --root gets a fresh one, so the host's settings are never read.
export const runCommand = commandRunner(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'));
