import type { NotificationKind } from '../../registry/notifications.js';
import { count, list, reasonName, subscriberLine, text, type KindTemplate, type Payload, type TemplateContext } from './kit.js';

/** ACME credentials (AT 5), certificates issued and revoked (SPEC §6, §7; AT 11). */

function revocationExtrasJa(p: Payload): string[] {
  const out: string[] = [];
  if (typeof p['fqdn'] === 'string') out.push(`利用FQDN: ${text(p, 'fqdn')}（利用終了に伴う失効）`);
  if (typeof p['previousReason'] === 'number') out.push(`変更前の失効理由: ${reasonName(p['previousReason'])}`);
  if (typeof p['sourceSerial'] === 'string') out.push(`同じ鍵を用いた証明書 ${text(p, 'sourceSerial')} の鍵の危殆化に伴う失効です。`);
  return out;
}

function revocationExtrasEn(p: Payload): string[] {
  const out: string[] = [];
  if (typeof p['fqdn'] === 'string') out.push(`Usage FQDN: ${text(p, 'fqdn')} (revoked because its usage ended)`);
  if (typeof p['previousReason'] === 'number') out.push(`Previous reason: ${reasonName(p['previousReason'])}`);
  if (typeof p['sourceSerial'] === 'string') out.push(`Revoked because the key of certificate ${text(p, 'sourceSerial')}, which it shares, is compromised.`);
  return out;
}

const serial = (c: TemplateContext) => c.subjectId;

export const CREDENTIAL_TEMPLATES = {
  'credential.issued': {
    ja: (p, c) => ({
      subject: `ACME認証情報（EAB）を発行しました: ${text(p, 'kid')}`,
      lines: [
        '本サービス利用者のACMEアカウント登録に用いる認証情報（External Account Binding）を発行しました。',
        'HMACキーは本メールには記載していません。発行時に指定事業者へお渡ししたものを、安全な方法で本サービス利用者へお伝えください。',
        '',
        `鍵ID: ${text(p, 'kid')}`,
        ...subscriberLine(c),
      ],
    }),
    en: (p, c) => ({
      subject: `ACME credentials (EAB) issued: ${text(p, 'kid')}`,
      lines: [
        "ACME credentials (External Account Binding) for registering the subscriber's ACME account have been issued.",
        'The HMAC key is not in this message: pass the one handed to the operator at issuance on to the subscriber by a secure channel.',
        '',
        `Key id: ${text(p, 'kid')}`,
        ...subscriberLine(c),
      ],
    }),
  },
  'credential.revoked': {
    ja: (p, c) => ({
      subject: `ACME認証情報（EAB）を無効にしました: ${text(p, 'kid')}`,
      lines: [
        '次のACME認証情報を無効にしました。この認証情報で新たにACMEアカウントを登録することはできません。登録済みのACMEアカウントは引き続きご利用いただけます。',
        '',
        `鍵ID: ${text(p, 'kid')}`,
        ...subscriberLine(c),
      ],
    }),
    en: (p, c) => ({
      subject: `ACME credentials (EAB) revoked: ${text(p, 'kid')}`,
      lines: [
        'The following ACME credentials have been revoked: no new ACME account can be registered with them. Accounts already registered keep working.',
        '',
        `Key id: ${text(p, 'kid')}`,
        ...subscriberLine(c),
      ],
    }),
  },
  'credential.compromised': {
    ja: (p, c) => ({
      subject: `【重要】ACME認証情報（EAB）の漏えいに伴う措置: ${text(p, 'kid')}`,
      lines: [
        '次のACME認証情報は漏えいしたものとして取り扱い、これを用いて登録されたACMEアカウントをすべて無効にしました。',
        '',
        `鍵ID: ${text(p, 'kid')}`,
        `無効にしたACMEアカウント: ${count(p, 'deactivatedAccounts')}件${list(p, 'deactivatedAccounts').length > 0 ? `（${list(p, 'deactivatedAccounts').join(', ')}）` : ''}`,
        ...subscriberLine(c),
        '',
        '今後の手続き:',
        '1. 新しいACME認証情報の発行をお申し込みください。',
        '2. 新しい認証情報で新しいACMEアカウントを登録し、ACMEクライアントの設定を更新してください。',
        '3. 証明書の秘密鍵にも漏えいのおそれがある場合は、失効理由 keyCompromise で証明書の失効をお申し込みください。',
      ],
    }),
    en: (p, c) => ({
      subject: `[Important] ACME credentials (EAB) compromised: ${text(p, 'kid')}`,
      lines: [
        'The following ACME credentials are treated as compromised: every ACME account registered with them has been deactivated.',
        '',
        `Key id: ${text(p, 'kid')}`,
        `ACME accounts deactivated: ${count(p, 'deactivatedAccounts')}${list(p, 'deactivatedAccounts').length > 0 ? ` (${list(p, 'deactivatedAccounts').join(', ')})` : ''}`,
        ...subscriberLine(c),
        '',
        'What to do:',
        '1. Ask for new ACME credentials.',
        '2. Register a new ACME account with them and update the ACME client configuration.',
        '3. If the certificate private keys may be exposed too, request revocation with reason keyCompromise.',
      ],
    }),
  },
  'certificate.issued': {
    ja: (p, c) => ({
      subject: `証明書を発行しました: ${list(p, 'names')[0] ?? serial(c)}`,
      lines: ['次の証明書を発行しました。', '', `シリアル番号: ${serial(c)}`, `FQDN: ${list(p, 'names').join(', ')}`, ...subscriberLine(c)],
    }),
    en: (p, c) => ({
      subject: `Certificate issued: ${list(p, 'names')[0] ?? serial(c)}`,
      lines: ['The following certificate has been issued.', '', `Serial number: ${serial(c)}`, `Names: ${list(p, 'names').join(', ')}`, ...subscriberLine(c)],
    }),
  },
  'certificate.revoked': {
    ja: (p, c) => ({
      subject: `証明書を失効しました（失効理由: ${reasonName(p['reason'])}）: ${serial(c)}`,
      lines: [
        '次の証明書を失効しました。失効した証明書はご利用いただけません。',
        '',
        `シリアル番号: ${serial(c)}`,
        `失効理由: ${reasonName(p['reason'])}`,
        ...revocationExtrasJa(p),
        ...subscriberLine(c),
      ],
    }),
    en: (p, c) => ({
      subject: `Certificate revoked (reason: ${reasonName(p['reason'])}): ${serial(c)}`,
      lines: [
        'The following certificate has been revoked and must no longer be used.',
        '',
        `Serial number: ${serial(c)}`,
        `Reason: ${reasonName(p['reason'])}`,
        ...revocationExtrasEn(p),
        ...subscriberLine(c),
      ],
    }),
  },
} satisfies Partial<Record<NotificationKind, KindTemplate>>;
