import type { Hook } from '@ffphoton/core';
import { localPluginSource, runningCoreRoot, shareRunningCore } from '../services/plugins/plugin-home.js';

/** `photon plugins install`: local paths stay local, and the plugin shares the running core. */
const pluginsPreinstall: Hook<'plugins:preinstall'> = async function (options) {
  // In place: oclif installs from the object it passed here.
  Object.assign(options.plugin, localPluginSource(options.plugin, process.cwd()));
  await shareRunningCore(this.config.dataDir, runningCoreRoot(this.config.root).root);
};

export default pluginsPreinstall;
