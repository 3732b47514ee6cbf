import type { TaskContext } from '@ffphoton/core';
import type { AlfredSettings } from '../settings.js';
import { AlfredClient } from './alfred-client.js';

/** The alfred client as the settings describe it, bound to the run's shell and sandbox. */
export function alfredClientFor(ctx: TaskContext, cfg: AlfredSettings): AlfredClient {
  return new AlfredClient(ctx.shell, ctx.files, cfg.command, cfg.timeoutSeconds * 1000);
}
