import { instanceCachingFactory } from 'tsyringe';
import { GitService } from '../git/git-service.js';
import { gitSettings } from '../git/git-settings.js';
import { MailFailureNotifier } from '../mail/mail-failure-notifier.js';
import { mailSettings } from '../mail/mail-settings.js';
import { Mailer } from '../mail/mailer.js';
import { photonSettings } from '../settings/core-settings.js';
import type { SettingsNamespace } from '../settings/namespace.js';
import type { TaskContext } from './task-context.js';
import { FAILURE_NOTIFIER } from './tokens.js';

/** Namespaces owned by core; every task loads and validates them. */
export const coreNamespaces: SettingsNamespace[] = [photonSettings, gitSettings, mailSettings];

/**
 * Registers core services that depend on settings (git, mail …) in the run's container.
 * GitService and Mailer load simple-git and nodemailer only when first used.
 */
export async function registerCoreServices(ctx: TaskContext): Promise<void> {
  // One instance per run, made on first use: a task without git never validates git settings.
  ctx.container.register(GitService, {
    useFactory: instanceCachingFactory(
      () => new GitService(ctx.settings.get(gitSettings), ctx.files, ctx.host, ctx.logger, ctx.changes),
    ),
  });
  const mail = ctx.settings.get(mailSettings);
  const mailer = new Mailer(mail, ctx.files, {
    host: ctx.host,
    dryRun: ctx.dryRun,
    logger: ctx.logger,
    recorder: ctx.changes,
  });
  ctx.container.register(Mailer, { useValue: mailer });
  const everNotifies = mail.on !== 'never' || Object.values(mail.tasks).some((on) => on !== 'never');
  if (everNotifies && mail.to.length > 0) {
    // The runner records the notifier's result itself; this mailer must not record it twice.
    const notifierMailer = new Mailer(mail, ctx.files, {
      host: ctx.host,
      dryRun: ctx.dryRun,
      logger: ctx.logger,
    });
    ctx.container.register(FAILURE_NOTIFIER, { useValue: new MailFailureNotifier(mail, notifierMailer) });
  }
}
