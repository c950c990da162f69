import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { NotificationMessageRow, StorageAuthority } from '../sa/index.js';
import { composeNotice } from './compose.js';
import { classifySendError, createSmtpSender, domainOf, PasswordFileError, type MailSender, type SendFailure } from './mailer.js';

export interface DeliveryDeps {
  sa: StorageAuthority;
  clock: Clock;
  logger: Logger;
  config: Pick<Config, 'notifications' | 'timeZone'>;
}

export interface DeliveryReport {
  /** Why nothing was sent (no relay configured, unreadable password file). */
  skipped: string | null;
  /** Due messages looked at. */
  due: number;
  sent: number;
  /** Failed and due again later. */
  retrying: number;
  /** Failed for the last time, or refused for good (5xx): now dead letters. */
  dead: number;
  /** Taken meanwhile by another worker or an admin (compare-and-set lost): left alone. */
  lost: number;
  /** The run ended early: a transport failure, or the job lease was lost. */
  stopped: string | null;
}

/** Retry delay after the `attempts`-th failed attempt: base · 2^(attempts−1), at most max (seconds). */
export function backoffSeconds(attempts: number, n: Pick<Config['notifications'], 'backoffBaseSeconds' | 'backoffMaxSeconds'>): number {
  return Math.min(n.backoffBaseSeconds * 2 ** Math.max(0, attempts - 1), n.backoffMaxSeconds);
}

/** How long a claimed message is kept from other workers while it is being sent (a dead worker's claim expires after it). */
function claimMs(n: Config['notifications']): number {
  return Math.max(5 * 60_000, 4 * n.smtp.timeoutMs);
}

type Outcome = 'sent' | 'retrying' | 'dead' | 'lost';

/**
 * One delivery run (SPEC §10): the due pending messages, oldest first, at most
 * `batchSize`, each claimed (compare-and-set), rendered, sent, and its
 * outcome recorded (compare-and-set again). Every time comes from the
 * injected clock. `keepGoing` is asked before each message (the job renews
 * its lease there) and ends the run when false.
 */
export async function deliverDueMessages(d: DeliveryDeps, o: { keepGoing?: () => Promise<boolean>; sender?: MailSender } = {}): Promise<DeliveryReport> {
  const n = d.config.notifications;
  const report: DeliveryReport = { skipped: null, due: 0, sent: 0, retrying: 0, dead: 0, lost: 0, stopped: null };
  if (n.smtp.host === '' && o.sender === undefined) {
    report.skipped = 'notifications.smtp.host is empty: messages stay queued in the outbox';
    return report;
  }
  const due = await d.sa.repos.listDueNotificationMessages(d.clock.now().toISOString(), n.batchSize);
  report.due = due.length;
  if (due.length === 0) return report;
  let sender: MailSender;
  try {
    sender = o.sender ?? createSmtpSender(n.smtp, n.from);
  } catch (e) {
    if (!(e instanceof PasswordFileError)) throw e;
    d.logger.error({ job: 'notification-delivery' }, e.message);
    report.skipped = e.message;
    return report;
  }
  const secrets = sender.secrets ?? [];
  try {
    for (const m of due) {
      if (o.keepGoing && !(await o.keepGoing())) {
        report.stopped = 'the job lease was lost';
        break;
      }
      const r = await deliverOne(d, sender, m, secrets);
      report[r.outcome] += 1;
      if (r.failure?.kind === 'transport') {
        report.stopped = `transport failure: ${r.failure.detail}`;
        break;
      }
    }
  } finally {
    if (o.sender === undefined) sender.close();
  }
  return report;
}

async function deliverOne(d: DeliveryDeps, sender: MailSender, m: NotificationMessageRow, secrets: readonly string[]): Promise<{ outcome: Outcome; failure?: SendFailure }> {
  const n = d.config.notifications;
  const { sa, clock, logger } = d;
  const claimedUntil = new Date(clock.now().getTime() + claimMs(n)).toISOString();
  if (!(await sa.repos.claimNotificationMessage(m.id, { attempts: m.attempts, nextAttemptAt: m.next_attempt_at }, claimedUntil, clock.now().toISOString()))) return { outcome: 'lost' };
  const expect = { attempts: m.attempts, claimedUntil };

  let failure: SendFailure;
  try {
    const notice = await composeNotice(sa.repos, m, { timeZone: d.config.timeZone, from: n.from });
    try {
      const sent = await sender.send({
        to: m.recipient,
        subject: notice.subject,
        text: notice.body,
        messageId: `<${m.id}@${domainOf(n.from)}>`,
        date: clock.now(),
        // RFC 3834: automatic notices must not trigger auto-replies.
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Shomei-Notification': m.id },
      });
      const ok = await sa.repos.recordNotificationAttempt(m.id, expect, { status: 'sent', subject: notice.subject, smtpMessageId: sent.messageId, nowIso: clock.now().toISOString() });
      logger.info({ job: 'notification-delivery', message: m.id, kind: m.kind, attempt: m.attempts + 1 }, ok ? 'notice sent' : 'notice sent, but the message had moved meanwhile');
      return { outcome: ok ? 'sent' : 'lost' };
    } catch (e) {
      failure = classifySendError(e, secrets);
    }
  } catch (e) {
    // Cannot be rendered (event gone, unknown kind): no retry will help.
    failure = { kind: 'permanent', detail: `cannot render: ${(e as Error).message}`.slice(0, 500) };
  }

  const attempts = m.attempts + 1;
  const dead = failure.kind === 'permanent' || attempts >= n.maxAttempts;
  const now = clock.now();
  const next = dead ? now.toISOString() : new Date(now.getTime() + backoffSeconds(attempts, n) * 1000).toISOString();
  const ok = await sa.repos.recordNotificationAttempt(m.id, expect, { status: dead ? 'dead' : 'pending', error: failure.detail, nextAttemptAt: next, nowIso: now.toISOString() });
  logger.warn({ job: 'notification-delivery', message: m.id, kind: m.kind, attempt: attempts, failure: failure.kind, error: failure.detail, ...(dead ? {} : { nextAttemptAt: next }) }, dead ? 'notice dead-lettered' : 'notice delivery failed; will retry');
  return { outcome: !ok ? 'lost' : dead ? 'dead' : 'retrying', failure };
}
