import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type { Config } from '../config/schema.js';

/**
 * Sending one notice over SMTP (nodemailer). The password is read from
 * `smtp.passwordFile` when a sender is made and lives only in the transport;
 * nodemailer's own logging stays off, and error texts are scrubbed of it.
 */

export type SmtpSettings = Config['notifications']['smtp'];

export interface OutgoingNotice {
  to: string;
  subject: string;
  text: string;
  /** Stable Message-ID (the same on every attempt, so a duplicate after a crash can be recognised). */
  messageId: string;
  date: Date;
  headers: Record<string, string>;
}

export interface MailSender {
  /** Values to blank out of error texts (the SMTP password). */
  secrets?: readonly string[];
  send(m: OutgoingNotice): Promise<{ messageId: string | null }>;
  close(): void;
}

/** How a failed send is treated (docs/notifications.md "Retries"). */
export type SendFailureClass =
  /** 5xx to RCPT TO or DATA: the relay refuses this message for good → dead letter at once. */
  | 'permanent'
  /** 4xx to RCPT TO or DATA: this message later, the others now. */
  | 'message'
  /** Connection, TLS, authentication, MAIL FROM, timeouts: every message would fail alike → back off and end the run. */
  | 'transport';

export interface SendFailure {
  kind: SendFailureClass;
  /** For last_error: the SMTP answer or error text, without secrets, at most 500 characters. */
  detail: string;
}

export class PasswordFileError extends Error {}

function readPassword(file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (e) {
    // The path is configuration, not a secret; the file's content never reaches the message.
    throw new PasswordFileError(`cannot read notifications.smtp.passwordFile (${file}): ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/** A sender for `smtp` (the host must be set). Throws PasswordFileError when the password file cannot be read. */
export function createSmtpSender(smtp: SmtpSettings, from: string): MailSender {
  const pass = smtp.passwordFile !== '' ? readPassword(smtp.passwordFile) : '';
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTls,
    ...(smtp.user !== '' ? { auth: { user: smtp.user, pass } } : {}),
    tls: { rejectUnauthorized: !smtp.allowInvalidCertificates },
    connectionTimeout: smtp.timeoutMs,
    greetingTimeout: smtp.timeoutMs,
    socketTimeout: smtp.timeoutMs,
    logger: false,
    debug: false,
  });
  return {
    secrets: pass === '' ? [] : [pass],
    async send(m) {
      const info = await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text, messageId: m.messageId, date: m.date, headers: m.headers });
      return { messageId: typeof info.messageId === 'string' ? info.messageId : null };
    },
    close: () => transport.close(),
  };
}

/** Classify a nodemailer error and describe it for the outbox, with `secrets` blanked out. */
export function classifySendError(err: unknown, secrets: readonly string[] = []): SendFailure {
  const e = (err ?? {}) as { message?: unknown; code?: unknown; responseCode?: unknown; command?: unknown; response?: unknown };
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  const command = typeof e.command === 'string' ? e.command : '';
  const perMessage = command === 'RCPT TO' || command === 'DATA';
  const kind: SendFailureClass = perMessage && code !== null && code >= 500 ? 'permanent' : perMessage && code !== null && code >= 400 ? 'message' : 'transport';
  let detail = [typeof e.code === 'string' ? e.code : null, command || null, typeof e.response === 'string' ? e.response : typeof e.message === 'string' ? e.message : String(err)]
    .filter((x) => x !== null)
    .join(' ');
  for (const s of secrets) if (s !== '') detail = detail.split(s).join('[redacted]');
  return { kind, detail: detail.replace(/[\r\n]+/g, ' ').slice(0, 500) };
}

/** The domain of the From address (for Message-IDs). */
export function domainOf(from: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(from);
  return m?.[1] ?? 'localhost';
}
