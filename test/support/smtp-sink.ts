// A real SMTP server on 127.0.0.1 that keeps every message it accepts — for
// tests of the notification outbox (docs/notifications.md).
//
//   const sink = await SmtpSink.start();                 // random port, no TLS, no AUTH
//   const f = await AgencyFixture.start({ config: { notifications: { smtp: sink.smtpConfig() } } });
//   … make something happen, then run the `notification-delivery` job …
//   const mail = await sink.waitFor((m) => m.to.includes('desk@reseller.test'));
//   mail.subject   // decoded (RFC 2047), e.g. '[Shomei CA] ACME認証情報（EAB）を発行しました: …'
//   mail.text      // decoded body (base64 / quoted-printable → UTF-8), '\n' line ends
//   mail.headers.get('auto-submitted')   // any header, lower-case name, unfolded and decoded
//   mail.from, mail.to                   // the SMTP envelope (MAIL FROM, RCPT TO)
//   mail.raw                             // the message as received
//   sink.rejectNext(2, { code: 451 })    // refuse the next 2 messages (4xx: retry later; 5xx: permanent)
//   sink.rejectNext(1, { code: 550, stage: 'rcpt' })   // … at RCPT TO instead of after DATA
//   await sink.close();
//
// `SmtpSink.start({ auth: { user, pass } })` offers AUTH PLAIN/LOGIN over the
// plain connection and records each attempt in `authAttempts` (wrong
// credentials get 535). The delivery job awaits the server's answer to each
// message, so after the job ran its messages are already in `messages`;
// `waitFor` is for code that sends in the background: it resolves on the
// next matching arrival (event-driven) and only times out as a safety net.
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope sender (MAIL FROM). */
  from: string;
  /** Envelope recipients (RCPT TO), lower case. */
  to: string[];
  raw: string;
  /** Header fields by lower-case name (the last one wins), unfolded, RFC 2047 decoded. */
  headers: Map<string, string>;
  subject: string;
  /** The body, transfer-decoded as UTF-8, with '\n' line ends. */
  text: string;
}

export interface Rejection {
  /** SMTP reply code: 4xx (transient) or 5xx (permanent). Default 451. */
  code?: number;
  /** Where to refuse: after the message data (default) or at RCPT TO. */
  stage?: 'data' | 'rcpt';
  message?: string;
}

export class SmtpSink {
  readonly host = '127.0.0.1';
  readonly messages: ReceivedMail[] = [];
  /** Messages (or recipients) refused through rejectNext, in order. */
  readonly rejected: { to: string[]; code: number }[] = [];
  readonly authAttempts: { user: string; ok: boolean }[] = [];
  readonly #events = new EventEmitter();
  #rejections: Required<Rejection>[] = [];

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(o: { auth?: { user: string; pass: string } } = {}): Promise<SmtpSink> {
    let sink: SmtpSink | undefined;
    const server = new SMTPServer({
      secure: false,
      logger: false,
      banner: 'shomei test sink',
      disabledCommands: o.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      authOptional: true,
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      closeTimeout: 200,
      size: 10 * 1024 * 1024,
      onAuth(auth, _session, cb) {
        const ok = o.auth !== undefined && auth.username === o.auth.user && auth.password === o.auth.pass;
        sink?.authAttempts.push({ user: auth.username ?? '', ok });
        if (!ok) return cb(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
        cb(null, { user: auth.username });
      },
      onRcptTo(address: SMTPServerAddress, _session, cb) {
        const r = sink?.takeRejection('rcpt');
        if (r) {
          sink?.rejected.push({ to: [address.address.toLowerCase()], code: r.code });
          return cb(Object.assign(new Error(r.message), { responseCode: r.code }));
        }
        cb();
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', (e) => cb(e));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((a) => a.address.toLowerCase());
          const r = sink?.takeRejection('data');
          if (r) {
            sink?.rejected.push({ to, code: r.code });
            return cb(Object.assign(new Error(r.message), { responseCode: r.code }));
          }
          const mailFrom = session.envelope.mailFrom;
          sink?.accept(parseMail(mailFrom === false ? '' : mailFrom.address, to, Buffer.concat(chunks).toString('utf8')));
          cb();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    sink = new SmtpSink(server, (server.server.address() as AddressInfo).port);
    return sink;
  }

  /** `notifications.smtp` settings that point the CA at this sink. */
  smtpConfig(o: { user?: string; passwordFile?: string } = {}) {
    return { host: this.host, port: this.port, secure: false, requireTls: false, user: o.user ?? '', passwordFile: o.passwordFile ?? '', timeoutMs: 5000 };
  }

  /** Refuse the next `n` messages (or recipients, at stage 'rcpt') with `code`. */
  rejectNext(n: number, r: Rejection = {}): void {
    const code = r.code ?? 451;
    for (let i = 0; i < n; i++) {
      this.#rejections.push({ code, stage: r.stage ?? 'data', message: r.message ?? (code >= 500 ? 'Requested action not taken: mailbox unavailable' : 'Requested action aborted: try again later') });
    }
  }

  /** Messages received for `address` (envelope recipient). */
  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.to.includes(address.toLowerCase()));
  }

  /** The first message (already here or still to come) that matches. */
  waitFor(predicate: (m: ReceivedMail) => boolean, o: { timeoutMs?: number } = {}): Promise<ReceivedMail> {
    const found = this.messages.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onMessage = (m: ReceivedMail) => {
        if (!predicate(m)) return;
        clearTimeout(timer);
        this.#events.off('message', onMessage);
        resolve(m);
      };
      const timer = setTimeout(() => {
        this.#events.off('message', onMessage);
        reject(new Error(`smtp sink: no matching message within ${o.timeoutMs ?? 5000} ms (received ${this.messages.length})`));
      }, o.timeoutMs ?? 5000);
      this.#events.on('message', onMessage);
    });
  }

  /** Resolves once at least `n` messages have been received. */
  async waitForCount(n: number, o: { timeoutMs?: number } = {}): Promise<ReceivedMail[]> {
    // The predicate runs after each arrival has been stored.
    if (this.messages.length < n) await this.waitFor(() => this.messages.length >= n, o);
    return this.messages.slice();
  }

  clear(): void {
    this.messages.length = 0;
    this.rejected.length = 0;
    this.#rejections = [];
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private takeRejection(stage: 'data' | 'rcpt'): Required<Rejection> | undefined {
    const i = this.#rejections.findIndex((r) => r.stage === stage);
    return i < 0 ? undefined : this.#rejections.splice(i, 1)[0];
  }

  private accept(m: ReceivedMail): void {
    this.messages.push(m);
    this.#events.emit('message', m);
  }
}

/** RFC 2047 encoded words (B and Q), adjacent ones joined without the space between them. */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?[^?]+\?[BbQq]\?[^?]*\?=)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_all, charset: string, enc: string, data: string) => {
      const bytes = enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : qBytes(data.replace(/_/g, ' '));
      return new TextDecoder(charset.toLowerCase()).decode(bytes);
    });
}

function qBytes(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(...Buffer.from(ch, 'utf8'));
  }
  return Buffer.from(out);
}

function quotedPrintable(body: string): Buffer {
  return qBytes(body.replace(/=\r?\n/g, ''));
}

function parseMail(from: string, to: string[], raw: string): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const field of head.split(/\r\n(?![ \t])/)) {
    const colon = field.indexOf(':');
    if (colon <= 0) continue;
    headers.set(field.slice(0, colon).trim().toLowerCase(), decodeEncodedWords(field.slice(colon + 1).replace(/\r\n[ \t]+/g, ' ').trim()));
  }
  const cte = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const charset = /charset="?([^";\s]+)"?/i.exec(headers.get('content-type') ?? '')?.[1] ?? 'utf-8';
  const bytes = cte === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64') : cte === 'quoted-printable' ? quotedPrintable(body) : Buffer.from(body, 'utf8');
  const text = new TextDecoder(charset.toLowerCase()).decode(bytes).replace(/\r\n/g, '\n');
  return { from, to, raw, headers, subject: headers.get('subject') ?? '', text };
}
