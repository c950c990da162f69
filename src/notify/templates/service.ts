import type { NotificationKind } from '../../registry/notifications.js';
import { text, when, type KindTemplate, type Payload } from './kit.js';

/** Broadcasts to every active operator: maintenance windows (AT 18) and new policy document versions (AT 21). */

const DOCUMENT_JA: Record<string, string> = { terms: 'ご利用条件', cps: '認証局運用規程（CP/CPS）', 'cp-cps': '認証局運用規程（CP/CPS）', 'ct-disclosure': 'CTログへの登録・公開に関する説明' };
const DOCUMENT_EN: Record<string, string> = { terms: 'Terms of use', cps: 'CP/CPS', 'cp-cps': 'CP/CPS', 'ct-disclosure': 'CT disclosure statement' };

const docJa = (p: Payload) => `${DOCUMENT_JA[text(p, 'kind')] ?? text(p, 'kind')}（${text(p, 'kind')}）`;
const docEn = (p: Payload) => `${DOCUMENT_EN[text(p, 'kind')] ?? text(p, 'kind')} (${text(p, 'kind')})`;

export const SERVICE_TEMPLATES = {
  'maintenance.announced': {
    ja: (p, c) => ({
      subject: `メンテナンスのお知らせ（${when(p, 'startsAt', c)} から）`,
      lines: [
        '次の日時にメンテナンスを行います。メンテナンス中はACMEによる証明書の発行・更新・失効をご利用いただけません（HTTP 503 と Retry-After でお答えします）。本サービス利用者の皆様へ遅滞なくお伝えください。',
        '',
        `メンテナンス番号: ${text(p, 'windowId')}`,
        `開始: ${when(p, 'startsAt', c)}`,
        `終了予定: ${when(p, 'endsAt', c)}`,
        `理由: ${text(p, 'reason')}`,
      ],
    }),
    en: (p, c) => ({
      subject: `Planned maintenance (from ${when(p, 'startsAt', c)})`,
      lines: [
        'The CA will carry out maintenance at the time below. Meanwhile certificates cannot be issued, renewed or revoked over ACME (the server answers HTTP 503 with Retry-After). Please relay this to your subscribers without delay.',
        '',
        `Maintenance: ${text(p, 'windowId')}`,
        `Starts: ${when(p, 'startsAt', c)}`,
        `Ends: ${when(p, 'endsAt', c)}`,
        `Reason: ${text(p, 'reason')}`,
      ],
    }),
  },
  'maintenance.cancelled': {
    ja: (p, c) => ({
      subject: `メンテナンスの中止のお知らせ（${when(p, 'startsAt', c)} 予定分）`,
      lines: [
        '先にお知らせした次のメンテナンスは中止します。この時間帯も通常どおりご利用いただけます。本サービス利用者の皆様へ遅滞なくお伝えください。',
        '',
        `メンテナンス番号: ${text(p, 'windowId')}`,
        `予定していた期間: ${when(p, 'startsAt', c)} から ${when(p, 'endsAt', c)} まで`,
        `理由: ${text(p, 'reason')}`,
      ],
    }),
    en: (p, c) => ({
      subject: `Maintenance cancelled (planned from ${when(p, 'startsAt', c)})`,
      lines: [
        'The following announced maintenance is cancelled: the service stays available during that time. Please relay this to your subscribers without delay.',
        '',
        `Maintenance: ${text(p, 'windowId')}`,
        `Was planned: from ${when(p, 'startsAt', c)} to ${when(p, 'endsAt', c)}`,
        `Reason: ${text(p, 'reason')}`,
      ],
    }),
  },
  'policy-document.published': {
    ja: (p, c) => ({
      subject: `${docJa(p)} 改定のお知らせ（版: ${text(p, 'version')}）`,
      lines: [
        `${docJa(p)} を改定し、次の版を公開しました。${when(p, 'effectiveAt', c)} から適用します。本サービス利用者の皆様へ遅滞なくお伝えください。`,
        '',
        `文書: ${docJa(p)}`,
        `版: ${text(p, 'version')}`,
        `適用開始: ${when(p, 'effectiveAt', c)}`,
        `URL: ${text(p, 'url')}`,
      ],
    }),
    en: (p, c) => ({
      subject: `${docEn(p)} updated (version ${text(p, 'version')})`,
      lines: [
        `A new version of the ${docEn(p)} has been published. It applies from ${when(p, 'effectiveAt', c)}. Please relay this to your subscribers without delay.`,
        '',
        `Document: ${docEn(p)}`,
        `Version: ${text(p, 'version')}`,
        `Effective: ${when(p, 'effectiveAt', c)}`,
        `URL: ${text(p, 'url')}`,
      ],
    }),
  },
} satisfies Partial<Record<NotificationKind, KindTemplate>>;
