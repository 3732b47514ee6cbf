import { photonSettings } from '../settings/core-settings.js';
import type { SettingsNamespace } from '../settings/namespace.js';
import type { TaskContext } from './task-context.js';

/** Namespaces owned by core; every task loads and validates them. */
export const coreNamespaces: SettingsNamespace[] = [photonSettings];

/** Registers core services that depend on settings (git, mail …) in the run's container. */
export async function registerCoreServices(_ctx: TaskContext): Promise<void> {}
