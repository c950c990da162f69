import type { NoticeLocale } from '../registry/contacts.js';
import type { NotificationKind } from '../registry/notifications.js';
import { CREDENTIAL_TEMPLATES } from './templates/credentials.js';
import type { KindTemplate, Payload, TemplateContext } from './templates/kit.js';
import { OPERATOR_TEMPLATES } from './templates/operator.js';
import { SERVICE_TEMPLATES } from './templates/service.js';
import { STANDING_TEMPLATES } from './templates/standing.js';
import { USAGE_FQDN_TEMPLATES } from './templates/usage-fqdn.js';

/** Every notification kind has a Japanese and an English template (the type makes a missing one a compile error). */
export const TEMPLATES: Readonly<Record<NotificationKind, KindTemplate>> = {
  ...OPERATOR_TEMPLATES,
  ...CREDENTIAL_TEMPLATES,
  ...USAGE_FQDN_TEMPLATES,
  ...STANDING_TEMPLATES,
  ...SERVICE_TEMPLATES,
};

export interface RenderInput extends TemplateContext {
  kind: NotificationKind;
  payload: Payload;
  /** Who signs: the display name of `notifications.from`. */
  signature: string;
}

export interface RenderedNotice {
  subject: string;
  /** Plain text, UTF-8, lines separated by \n. */
  body: string;
}

/** The display name of an address like `Shomei CA <noreply@shomei.test>` (the address itself when it has none). */
export function signatureOf(from: string): string {
  const m = /^\s*"?([^"<]*?)"?\s*<[^>]*>\s*$/.exec(from);
  const name = m?.[1]?.trim();
  return name !== undefined && name !== '' ? name : from.trim();
}

function greeting(c: RenderInput): string {
  const ja = c.locale === 'ja';
  if (c.role === 'subscriber') {
    const name = c.subscriber?.name;
    return ja ? `${name ?? '本サービス利用者'} 様` : `Dear ${name ?? 'subscriber'},`;
  }
  if (c.operatorName === null) return ja ? '指定事業者 ご担当者各位' : 'Dear operators,';
  return ja ? `${c.operatorName} ご担当者様` : `Dear ${c.operatorName},`;
}

/** AR 11: the operator relays the CA's notices about its subscribers to them without delay. */
function relayNote(c: RenderInput): string[] {
  if (c.role === 'subscriber' || c.subscriber === null) return [];
  return c.locale === 'ja'
    ? [`本通知は貴社が取り次いだ本サービス利用者（${c.subscriber.name}）に関するものです。遅滞なく本サービス利用者へお伝えください。`]
    : [`This notice concerns a subscriber you broker (${c.subscriber.name}). Please relay it to the subscriber without delay.`];
}

function footer(locale: NoticeLocale, signature: string): string[] {
  return locale === 'ja'
    ? ['--', signature, '本メールは送信専用のアドレスからお送りしています。ご返信いただいてもお答えできませんのでご了承ください。']
    : ['--', signature, 'This message was sent from an address that does not accept replies.'];
}

/** Render one notice: subject and plain-text body in the recipient's language. */
export function renderNotification(input: RenderInput): RenderedNotice {
  const draft = TEMPLATES[input.kind][input.locale](input.payload, input);
  const relay = relayNote(input);
  const lines = [greeting(input), '', ...draft.lines, ...(relay.length > 0 ? ['', ...relay] : []), '', ...footer(input.locale, input.signature)];
  return { subject: `[${input.signature}] ${draft.subject}`, body: lines.join('\n') + '\n' };
}
