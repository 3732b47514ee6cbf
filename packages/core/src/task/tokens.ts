import type { InjectionToken } from 'tsyringe';
import type { Clock } from '../host/clock.js';
import type { Logger } from '../log/logger.js';
import type { FailureNotifier } from './failure-notifier.js';
import type { TaskContext } from './task-context.js';

/**
 * Tokens for what is not a class. Classes (Shell, FileStore, Settings, ServiceManager,
 * Journal, RootSandbox) are registered under themselves.
 */
export const LOGGER: InjectionToken<Logger> = Symbol('photon.Logger');
export const CLOCK: InjectionToken<Clock> = Symbol('photon.Clock');
/** The short host name of this gateway (settings `photon.hostname` or the system's). */
export const HOSTNAME: InjectionToken<string> = Symbol('photon.Hostname');
export const DRY_RUN: InjectionToken<boolean> = Symbol('photon.DryRun');
export const TASK_CONTEXT: InjectionToken<TaskContext> = Symbol('photon.TaskContext');
/** Registered by core's mail module when `mail` is configured. */
export const FAILURE_NOTIFIER: InjectionToken<FailureNotifier> = Symbol('photon.FailureNotifier');
