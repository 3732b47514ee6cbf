import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Hook } from '@ffphoton/core';
import { localPluginSource, shareRunningCore } from '../services/plugins/plugin-home.js';

/** `photon plugins install`: local paths stay local, and the plugin shares the running core. */
const pluginsPreinstall: Hook<'plugins:preinstall'> = async function (options) {
  // In place: oclif installs from the object it passed here.
  Object.assign(options.plugin, localPluginSource(options.plugin, process.cwd()));
  const corePackage = createRequire(import.meta.url).resolve('@ffphoton/core/package.json');
  await shareRunningCore(this.config.dataDir, path.dirname(realpathSync(corePackage)));
};

export default pluginsPreinstall;
