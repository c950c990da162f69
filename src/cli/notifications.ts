import { InvalidArgumentError, type Command } from 'commander';
import { JobRunner } from '../jobs/job-runner.js';
import { NOTIFICATION_DELIVERY_JOB, notificationDeliveryJob } from '../jobs/notification-delivery-job.js';
import { getOutboxMessage, listOutboxMessages, MESSAGE_STATUSES, retryOutboxMessage, type NotificationMessageView } from '../notify/admin.js';
import { actorFrom, print, printJson, table, withActor, withRegistry, type ActorOptions, type CliKit } from './registry-session.js';

interface ListOptions {
  status?: string;
  kind?: string;
  operator?: string;
  limit?: number;
  json?: boolean;
}

function limit(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || Number(value) > 10_000) throw new InvalidArgumentError('expected 1…10000');
  return Number(value);
}

function messageText(m: NotificationMessageView): string[] {
  return [
    `notification ${m.id}: ${m.status} — ${m.kind} to ${m.recipient} (${m.recipientRole}, ${m.locale}), ${m.attempts} attempt(s)`,
    `  event ${m.eventId} about ${m.subjectType} ${m.subjectId}${m.operatorId === null ? '' : `, operator ${m.operatorId}`}${m.subscriberId === null ? '' : `, subscriber ${m.subscriberId}`}`,
    m.status === 'sent' ? `  sent at ${m.sentAt ?? '?'} as ${m.smtpMessageId ?? '?'}` : m.status === 'pending' ? `  next attempt at ${m.nextAttemptAt}` : '  dead letter: `shomei notifications retry` queues it again',
    ...(m.lastError === null ? [] : [`  last error: ${m.lastError}`]),
  ];
}

/** `shomei notifications …`: the outbox of e-mail notices (SPEC §10), the command-line twin of /admin/v1/notifications. */
export function registerNotificationCommands<O extends object>(program: Command, kit: CliKit<O>): void {
  const { common } = kit;
  const cfg = (o: object) => kit.configFrom(o as O);
  const cmd = program.command('notifications').description('e-mail notices to operators and subscribers: delivery state, dead letters, retry (docs/notifications.md)');

  common(cmd.command('list'))
    .description('list outbox messages, newest first')
    .option('--status <status>', `only ${MESSAGE_STATUSES.join(', ')}`)
    .option('--kind <kind>', 'only this notification kind (e.g. certificate.revoked)')
    .option('--operator <id>', 'only events about this operator (op_…)')
    .option('--limit <n>', 'at most n messages (default: all)', limit)
    .option('--json', 'print the list as JSON')
    .action(async (o: ListOptions) => {
      await withRegistry(cfg(o), async (s) => {
        const all: NotificationMessageView[] = [];
        let cursor: string | undefined;
        do {
          const want = o.limit === undefined ? 500 : Math.min(500, o.limit - all.length);
          const page = await listOutboxMessages(s.registry.deps, { status: o.status, kind: o.kind, operatorId: o.operator, cursor, limit: want });
          all.push(...page.items);
          cursor = page.next ?? undefined;
        } while (cursor !== undefined && (o.limit === undefined || all.length < o.limit));
        if (o.json === true) return printJson(all);
        print(table(['MESSAGE', 'STATUS', 'KIND', 'RECIPIENT', 'ATTEMPTS', 'CREATED', 'LAST ERROR'], all.map((m) => [m.id, m.status, m.kind, m.recipient, String(m.attempts), m.createdAt, m.lastError ?? ''])));
      });
    });

  common(cmd.command('show'))
    .description('show one message with the subject and body it renders to')
    .argument('<id>', 'message id (nm_…)')
    .option('--json', 'print the message as JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      await withRegistry(cfg(o), async (s) => {
        const m = await getOutboxMessage(s.registry.deps, id);
        if (o.json === true) return printJson(m);
        print([...messageText(m), '', ...(m.preview === null ? [`(no preview: ${m.previewError ?? '?'})`] : [`Subject: ${m.preview.subject}`, '', m.preview.body])]);
      });
    });

  common(cmd.command('deliver'))
    .description('send the due messages now (one run of the notification-delivery job, under the scheduler lease)')
    .option('--json', 'print the outcome as JSON')
    .action(async (o: { json?: boolean }) => {
      await withRegistry(cfg(o), async ({ config, sa, clock, logger }) => {
        const runner = new JobRunner(
          { sa, clock, logger, intervalSeconds: config.jobs.intervalSeconds, leaseSeconds: config.jobs.leaseSeconds },
          [notificationDeliveryJob({ sa, clock, logger, config })],
        );
        const outcome = await runner.run(NOTIFICATION_DELIVERY_JOB);
        if (o.json === true) return printJson(outcome);
        print(outcome.ran ? `${NOTIFICATION_DELIVERY_JOB}: ran; ${JSON.stringify(outcome.result)}` : `${NOTIFICATION_DELIVERY_JOB}: not run — another runner holds its lease`);
      });
    });

  withActor(common(cmd.command('retry')))
    .description('queue a dead message again: attempts reset, due now (audited); the notification-delivery job sends it')
    .argument('<id>', 'message id (nm_…)')
    .option('--json', 'print the message as JSON')
    .action(async (id: string, o: ActorOptions & { json?: boolean }) => {
      await withRegistry(cfg(o), async (s) => {
        const m = await retryOutboxMessage(s.registry.deps, id, actorFrom(o));
        if (o.json === true) return printJson(m);
        print(messageText(m));
      });
    });
}
