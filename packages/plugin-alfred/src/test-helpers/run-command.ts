import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandRunner } from '@ffphoton/core/testing';

export { writeSettings } from '@ffphoton/core/testing';

export const runCommand = commandRunner(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'));
