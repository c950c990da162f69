import { deliverDueMessages, type DeliveryDeps, type DeliveryReport } from '../notify/delivery.js';
import type { MailSender } from '../notify/mailer.js';
import type { Job } from './job-runner.js';

export const NOTIFICATION_DELIVERY_JOB = 'notification-delivery';

/** Messages sent between two lease renewals. */
const RENEW_EVERY = 10;

/**
 * Sends the outbox (SPEC §10; AR 11, AR 18): due pending messages over SMTP,
 * with retries, exponential backoff and dead letters (src/notify/delivery.ts).
 * The lease keeps it to one runner; each message is also claimed and settled
 * by compare-and-set, so even two runners past a lost lease send a message
 * once per claim. With `notifications.smtp.host` empty it sends nothing and
 * says so in its result. `sender` replaces SMTP (tests of the job itself).
 */
export function notificationDeliveryJob(deps: DeliveryDeps, o: { sender?: MailSender } = {}): Job {
  return {
    name: NOTIFICATION_DELIVERY_JOB,
    async run(ctx): Promise<DeliveryReport> {
      let asked = 0;
      const keepGoing = async () => (++asked % RENEW_EVERY === 0 ? ctx.renewLease() : true);
      return deliverDueMessages(deps, { keepGoing, ...(o.sender !== undefined ? { sender: o.sender } : {}) });
    },
  };
}
