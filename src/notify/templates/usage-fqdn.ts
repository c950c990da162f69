import type { NotificationKind } from '../../registry/notifications.js';
import { list, period, subscriberLine, text, when, type KindTemplate, type Payload } from './kit.js';

/** Applications and the usage period of usage FQDNs (SPEC §5; AT 4, AT 10, AT 12). */

function reasons(p: Payload): string[] {
  const v = p['reasons'];
  if (!Array.isArray(v) || v.length === 0) return [];
  return v.map((r: unknown) => {
    const o = (r ?? {}) as Record<string, unknown>;
    const code = typeof o['code'] === 'string' ? o['code'] : 'reason';
    return typeof o['detail'] === 'string' ? `- ${code}: ${o['detail']}` : `- ${code}`;
  });
}

function endReasonJa(v: string): string {
  const m: Record<string, string> = {
    expired: '有効期限の到来',
    'terminated-before-start': '利用開始前の解約',
    'termination-notice': '解約のお届け',
    'operator-suspended': '指定事業者の一時停止',
    'operator-terminated': '指定事業者の契約終了',
  };
  return m[v] ?? v;
}

export const USAGE_FQDN_TEMPLATES = {
  'application.accepted': {
    ja: (p, c) => ({
      subject: `利用FQDNのお申込みを受け付けました: ${text(p, 'fqdn')}`,
      lines: [
        '次の利用FQDNのお申込みを受け付けました。最初の証明書の発行をもって利用期間が始まります。',
        '',
        `利用FQDN: ${text(p, 'fqdn')}`,
        `利用期間: ${period(p, 'period', 'ja')}`,
        `利用FQDN ID: ${text(p, 'usageFqdnId')}`,
        ...subscriberLine(c),
      ],
    }),
    en: (p, c) => ({
      subject: `Usage FQDN application accepted: ${text(p, 'fqdn')}`,
      lines: [
        'The application for the following usage FQDN has been accepted. Its usage period starts with the first certificate issued for it.',
        '',
        `Usage FQDN: ${text(p, 'fqdn')}`,
        `Period: ${period(p, 'period', 'en')}`,
        `Usage FQDN id: ${text(p, 'usageFqdnId')}`,
        ...subscriberLine(c),
      ],
    }),
  },
  'application.refused': {
    ja: (p, c) => ({
      subject: `利用FQDNのお申込みをお受けできませんでした: ${text(p, 'fqdn')}`,
      lines: [
        '次の利用FQDNのお申込みは、以下の理由によりお受けできませんでした。',
        '',
        `利用FQDN: ${text(p, 'fqdn')}`,
        `利用期間: ${period(p, 'period', 'ja')}`,
        ...subscriberLine(c),
        '',
        '理由:',
        ...reasons(p),
      ],
    }),
    en: (p, c) => ({
      subject: `Usage FQDN application refused: ${text(p, 'fqdn')}`,
      lines: [
        'The application for the following usage FQDN could not be accepted, for the reasons below.',
        '',
        `Usage FQDN: ${text(p, 'fqdn')}`,
        `Period: ${period(p, 'period', 'en')}`,
        ...subscriberLine(c),
        '',
        'Reasons:',
        ...reasons(p),
      ],
    }),
  },
  'usage-fqdn.started': {
    ja: (p, c) => ({
      subject: `利用FQDNの利用期間が始まりました: ${text(p, 'fqdn')}`,
      lines: [
        '最初の証明書が発行され、次の利用FQDNの利用期間が始まりました。',
        '',
        `利用FQDN: ${text(p, 'fqdn')}`,
        `利用開始日: ${when(p, 'startDate', c)}`,
        `有効期限: ${when(p, 'expiryDate', c)}`,
        ...subscriberLine(c),
      ],
    }),
    en: (p, c) => ({
      subject: `Usage period started: ${text(p, 'fqdn')}`,
      lines: [
        'The first certificate has been issued and the usage period of the following usage FQDN has started.',
        '',
        `Usage FQDN: ${text(p, 'fqdn')}`,
        `Start date: ${when(p, 'startDate', c)}`,
        `Expiry date: ${when(p, 'expiryDate', c)}`,
        ...subscriberLine(c),
      ],
    }),
  },
  'usage-fqdn.continued': {
    ja: (p, c) => ({
      subject: `利用FQDNの利用期間を継続しました: ${text(p, 'fqdn')}`,
      lines: [
        '次の利用FQDNの利用期間を継続しました。',
        '',
        `利用FQDN: ${text(p, 'fqdn')}`,
        `継続期間: ${period(p, 'period', 'ja')}（${when(p, 'periodStart', c)}から）`,
        `新しい有効期限: ${when(p, 'expiryDate', c)}`,
        ...subscriberLine(c),
      ],
    }),
    en: (p, c) => ({
      subject: `Usage period continued: ${text(p, 'fqdn')}`,
      lines: [
        'The usage period of the following usage FQDN has been continued.',
        '',
        `Usage FQDN: ${text(p, 'fqdn')}`,
        `Continued for: ${period(p, 'period', 'en')} (from ${when(p, 'periodStart', c)})`,
        `New expiry date: ${when(p, 'expiryDate', c)}`,
        ...subscriberLine(c),
      ],
    }),
  },
  'usage-fqdn.termination-filed': {
    ja: (p, c) => ({
      subject: `利用FQDNの解約のお届けを受け付けました: ${text(p, 'fqdn')}`,
      lines: [
        '次の利用FQDNについて解約のお届けを受け付けました。有効期限をもって利用を終了し、その際に有効な証明書は失効します。有効期限までは取り下げることができます。',
        '',
        `利用FQDN: ${text(p, 'fqdn')}`,
        `利用終了日: ${when(p, 'endsAt', c)}`,
        ...(p['unavoidable'] === true ? ['やむを得ない事由による解約として届け出られています。'] : []),
        ...(typeof p['note'] === 'string' && p['note'] !== '' ? [`備考: ${text(p, 'note')}`] : []),
        ...subscriberLine(c),
      ],
    }),
    en: (p, c) => ({
      subject: `Termination notice filed: ${text(p, 'fqdn')}`,
      lines: [
        'A termination notice has been filed for the following usage FQDN. Its usage ends on the expiry date and the certificates then valid are revoked. The notice can be withdrawn until the expiry date.',
        '',
        `Usage FQDN: ${text(p, 'fqdn')}`,
        `Usage ends: ${when(p, 'endsAt', c)}`,
        ...(p['unavoidable'] === true ? ['Filed as an unavoidable termination.'] : []),
        ...(typeof p['note'] === 'string' && p['note'] !== '' ? [`Note: ${text(p, 'note')}`] : []),
        ...subscriberLine(c),
      ],
    }),
  },
  'usage-fqdn.termination-withdrawn': {
    ja: (p, c) => ({
      subject: `利用FQDNの解約のお届けが取り下げられました: ${text(p, 'fqdn')}`,
      lines: [
        '次の利用FQDNの解約のお届けが取り下げられました。有効期限に利用期間が継続されます。',
        '',
        `利用FQDN: ${text(p, 'fqdn')}`,
        `有効期限: ${when(p, 'expiryDate', c)}`,
        ...subscriberLine(c),
      ],
    }),
    en: (p, c) => ({
      subject: `Termination notice withdrawn: ${text(p, 'fqdn')}`,
      lines: [
        'The termination notice for the following usage FQDN has been withdrawn. Its usage period will be continued at the expiry date.',
        '',
        `Usage FQDN: ${text(p, 'fqdn')}`,
        `Expiry date: ${when(p, 'expiryDate', c)}`,
        ...subscriberLine(c),
      ],
    }),
  },
  'usage-fqdn.continuation-changed': {
    ja: (p, c) => ({
      subject: `利用FQDNの継続期間を変更しました: ${text(p, 'fqdn')}`,
      lines: [
        '次の利用FQDNについて、次回以降の継続期間を変更しました。',
        '',
        `利用FQDN: ${text(p, 'fqdn')}`,
        `継続期間: ${period(p, 'continuationPeriod', 'ja')}`,
        ...subscriberLine(c),
      ],
    }),
    en: (p, c) => ({
      subject: `Continuation period changed: ${text(p, 'fqdn')}`,
      lines: [
        'The period used for the next continuations of the following usage FQDN has been changed.',
        '',
        `Usage FQDN: ${text(p, 'fqdn')}`,
        `Continuation period: ${period(p, 'continuationPeriod', 'en')}`,
        ...subscriberLine(c),
      ],
    }),
  },
  'usage-fqdn.ending-soon': {
    ja: (p, c) => ({
      subject: `利用FQDNの利用がまもなく終了します: ${text(p, 'fqdn')}`,
      lines: [
        p['reason'] === 'operator-suspended'
          ? '次の利用FQDNは、管理指定事業者の一時停止期間中に有効期限を迎えるため継続されず、有効期限をもって利用を終了します。その際に有効な証明書は失効します。'
          : '次の利用FQDNは、解約のお届けにより有効期限をもって利用を終了します。その際に有効な証明書は失効します。',
        '',
        `利用FQDN: ${text(p, 'fqdn')}`,
        `有効期限: ${when(p, 'expiryDate', c)}`,
        `理由: ${text(p, 'reason')}`,
        ...subscriberLine(c),
      ],
    }),
    en: (p, c) => ({
      subject: `Usage ending soon: ${text(p, 'fqdn')}`,
      lines: [
        p['reason'] === 'operator-suspended'
          ? 'The following usage FQDN expires while its managing operator is suspended, so it will not be continued: its usage ends on the expiry date and the certificates then valid are revoked.'
          : 'A termination notice was filed for the following usage FQDN: its usage ends on the expiry date and the certificates then valid are revoked.',
        '',
        `Usage FQDN: ${text(p, 'fqdn')}`,
        `Expiry date: ${when(p, 'expiryDate', c)}`,
        `Reason: ${text(p, 'reason')}`,
        ...subscriberLine(c),
      ],
    }),
  },
  'usage-fqdn.ended': {
    ja: (p, c) => ({
      subject: `利用FQDNの利用が終了しました: ${text(p, 'fqdn')}`,
      lines: [
        '次の利用FQDNの利用が終了しました。',
        '',
        `利用FQDN: ${text(p, 'fqdn')}`,
        `終了日: ${when(p, 'endedOn', c)}`,
        `終了事由: ${endReasonJa(text(p, 'reason'))}（${text(p, 'reason')}）`,
        `失効した証明書: ${list(p, 'revokedCertificates').length}件${list(p, 'revokedCertificates').length > 0 ? `（シリアル番号: ${list(p, 'revokedCertificates').join(', ')}）` : ''}`,
        ...subscriberLine(c),
      ],
    }),
    en: (p, c) => ({
      subject: `Usage ended: ${text(p, 'fqdn')}`,
      lines: [
        'The usage of the following usage FQDN has ended.',
        '',
        `Usage FQDN: ${text(p, 'fqdn')}`,
        `Ended on: ${when(p, 'endedOn', c)}`,
        `Reason: ${text(p, 'reason')}`,
        `Certificates revoked: ${list(p, 'revokedCertificates').length}${list(p, 'revokedCertificates').length > 0 ? ` (serials: ${list(p, 'revokedCertificates').join(', ')})` : ''}`,
        ...subscriberLine(c),
      ],
    }),
  },
} satisfies Partial<Record<NotificationKind, KindTemplate>>;
