import type { DependencyContainer } from 'tsyringe';
import type { FileStore } from '../fs/file-store.js';
import type { RootSandbox } from '../fs/root-sandbox.js';
import type { Clock } from '../host/clock.js';
import type { RunChanges } from '../journal/change-recorder.js';
import type { Journal } from '../journal/journal.js';
import type { Logger } from '../log/logger.js';
import type { ServiceManager } from '../services/service-manager.js';
import type { Settings } from '../settings/settings-loader.js';
import type { Shell } from '../shell/shell.js';

/** Everything a task needs for one run; also registered in the run's DI container. */
export interface TaskContext {
  task: string;
  runId: string;
  host: string;
  dryRun: boolean;
  settings: Settings;
  logger: Logger;
  shell: Shell;
  files: FileStore;
  services: ServiceManager;
  clock: Clock;
  sandbox: RootSandbox;
  /** The data directory as a task path (resolve through `files` for host access). */
  dataDir: string;
  journal: Journal;
  changes: RunChanges;
  container: DependencyContainer;
}
