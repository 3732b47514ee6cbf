import type { DependencyContainer } from 'tsyringe';
import type { FileStore } from '../fs/file-store.js';
import type { RootSandbox } from '../fs/root-sandbox.js';
import type { GitService } from '../git/git-service.js';
import type { Clock } from '../host/clock.js';
import type { RunChanges } from '../journal/change-recorder.js';
import type { IncidentLog } from '../journal/incidents.js';
import type { Journal } from '../journal/journal.js';
import type { Logger } from '../log/logger.js';
import type { Mailer } from '../mail/mailer.js';
import type { ServiceManager } from '../services/service-manager.js';
import type { Settings } from '../settings/settings-loader.js';
import type { Shell } from '../shell/shell.js';

/**
 * Everything a task needs for one run: the one way a command reaches a service. The run's DI
 * container holds the same instances (docs/architecture.md).
 */
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
  /** This host's open incidents, one per failing task. */
  incidents: IncidentLog;
  changes: RunChanges;
  /** Git with the `git` settings; created (and those settings validated) on first use. */
  readonly git: GitService;
  /** Mail with the `mail` settings. */
  readonly mailer: Mailer;
  /**
   * The run's tsyringe container, holding the instances above: for a plugin's own services
   * built from core's (a factory registration, or an `@injectable()` class) and for tests that
   * substitute a service (`TaskRunner` option `register`). Commands use the fields above.
   */
  container: DependencyContainer;
}
