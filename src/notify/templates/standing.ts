import type { NotificationKind } from '../../registry/notifications.js';
import { count, operatorOf, text, when, type KindTemplate, type Payload, type TemplateContext } from './kit.js';

/**
 * Suspension (AR 16, AR 17) and termination (AR 19, AT 7). Addressed to the
 * operator itself, or — AR 18 direct notices — to each of its subscribers:
 * for a suspension its period, that applications through the operator are not
 * accepted, and the restrictions on usage FQDNs; for a termination the
 * effective date and what happens to the certificates in use.
 */

const toSubscriber = (c: TemplateContext) => c.role === 'subscriber';

function periodJa(p: Payload, c: TemplateContext): string {
  return `${when(p, 'startsAt', c)} から ${p['endsAt'] === null || p['endsAt'] === undefined ? '是正が確認されるまで' : when(p, 'endsAt', c)}`;
}

function periodEn(p: Payload, c: TemplateContext): string {
  return `from ${when(p, 'startsAt', c)} ${p['endsAt'] === null || p['endsAt'] === undefined ? 'until the CA confirms the correction' : `to ${when(p, 'endsAt', c)}`}`;
}

/** AR 18 (suspension): what the subscriber can and cannot do meanwhile (SPEC §8). */
function restrictionsJa(op: string): string[] {
  return [
    `一時停止期間中は、${op} を経由した本サービスのご利用申込み（利用FQDNのお申込み）をお受けできません。`,
    '一時停止前にお申し込みいただき、まだ利用期間が始まっていない利用FQDNは、期間中は利用を開始できません（証明書は発行されません）。',
    '一時停止期間中に有効期限を迎える利用FQDNは継続されず、有効期限をもって利用を終了します。',
    'すでに利用期間が始まっているその他の利用FQDNは、期間中も引き続き証明書の発行・更新を行えます。',
  ];
}

function restrictionsEn(op: string): string[] {
  return [
    `During the suspension, applications for usage FQDNs through ${op} are not accepted.`,
    'Usage FQDNs applied for before the suspension whose usage has not started cannot start meanwhile (no certificate is issued for them).',
    'Usage FQDNs whose expiry date falls within the suspension are not continued: their usage ends on the expiry date.',
    'Other usage FQDNs already in use keep working: certificates can still be issued and renewed over ACME.',
  ];
}

export const STANDING_TEMPLATES = {
  'operator.suspension-started': {
    ja: (p, c) => ({
      subject: `【重要】指定事業者の業務委託の一時停止のお知らせ: ${operatorOf(p, c)}`,
      lines: [
        toSubscriber(c)
          ? `お客様がご利用の指定事業者 ${operatorOf(p, c)} について、当社との業務委託を次のとおり一時停止いたしますので、直接お知らせします。`
          : `${operatorOf(p, c)} との業務委託を、次のとおり一時停止いたします。`,
        '',
        `一時停止番号: ${text(p, 'suspensionId')}`,
        `種別: ${p['kind'] === 'immediate' ? '即時の一時停止' : '是正期間経過による一時停止'}（${text(p, 'kind')}）`,
        `期間: ${periodJa(p, c)}`,
        `理由: ${text(p, 'reason')}`,
        '',
        ...restrictionsJa(operatorOf(p, c)),
      ],
    }),
    en: (p, c) => ({
      subject: `[Important] Operator suspended: ${operatorOf(p, c)}`,
      lines: [
        toSubscriber(c)
          ? `The CA suspends its contract with ${operatorOf(p, c)}, the operator you use, as follows. You are notified directly.`
          : `The CA suspends its contract with ${operatorOf(p, c)} as follows.`,
        '',
        `Suspension: ${text(p, 'suspensionId')}`,
        `Kind: ${text(p, 'kind')}`,
        `Period: ${periodEn(p, c)}`,
        `Reason: ${text(p, 'reason')}`,
        '',
        ...restrictionsEn(operatorOf(p, c)),
      ],
    }),
  },
  'operator.suspension-ended': {
    ja: (p, c) => ({
      subject: `指定事業者の業務委託の一時停止を終了しました: ${operatorOf(p, c)}`,
      lines: [
        `${operatorOf(p, c)} との業務委託の一時停止を終了しました。${toSubscriber(c) ? `${operatorOf(p, c)} を経由した本サービスのご利用申込みを再びお受けします。` : '取次業務を再開いただけます。'}`,
        '',
        `一時停止番号: ${text(p, 'suspensionId')}`,
        `終了日時: ${when(p, 'endedAt', c)}`,
        `終了の事由: ${p['how'] === 'lifted' ? '是正の確認による解除' : p['how'] === 'period-ended' ? '期間の満了' : text(p, 'how')}（${text(p, 'how')}）`,
      ],
    }),
    en: (p, c) => ({
      subject: `Operator suspension ended: ${operatorOf(p, c)}`,
      lines: [
        `The suspension of ${operatorOf(p, c)} has ended. ${toSubscriber(c) ? `Applications through ${operatorOf(p, c)} are accepted again.` : 'Brokering may resume.'}`,
        '',
        `Suspension: ${text(p, 'suspensionId')}`,
        `Ended: ${when(p, 'endedAt', c)}`,
        `How: ${text(p, 'how')}`,
      ],
    }),
  },
  'operator.immediate-suspension': {
    ja: (p, c) => ({
      subject: `【重要】指定事業者の業務委託の即時一時停止のお知らせ: ${operatorOf(p, c)}`,
      lines: [
        toSubscriber(c)
          ? `お客様がご利用の指定事業者 ${operatorOf(p, c)} について、当社は業務委託を直ちに一時停止しましたので、直接お知らせします。`
          : `${operatorOf(p, c)} のオペレーターAPIキーを無効にし、業務委託を直ちに一時停止しました。是正が確認されるまで、オペレーターAPIのすべての操作をお受けできません。`,
        '',
        `一時停止番号: ${text(p, 'suspensionId')}`,
        `開始日時: ${when(p, 'startsAt', c)}`,
        '期間: 是正が確認されるまで',
        `理由: ${text(p, 'reason')}`,
        ...(toSubscriber(c) ? ['', ...restrictionsJa(operatorOf(p, c))] : [`無効にしたAPIキー: ${count(p, 'keysRevoked')}件`]),
      ],
    }),
    en: (p, c) => ({
      subject: `[Important] Operator suspended with immediate effect: ${operatorOf(p, c)}`,
      lines: [
        toSubscriber(c)
          ? `The CA has suspended its contract with ${operatorOf(p, c)}, the operator you use, with immediate effect. You are notified directly.`
          : `The operator API keys of ${operatorOf(p, c)} have been revoked and the operator is suspended with immediate effect: until the CA confirms the correction, every operator API call is refused.`,
        '',
        `Suspension: ${text(p, 'suspensionId')}`,
        `Since: ${when(p, 'startsAt', c)}`,
        'Period: until the CA confirms the correction',
        `Reason: ${text(p, 'reason')}`,
        ...(toSubscriber(c) ? ['', ...restrictionsEn(operatorOf(p, c))] : [`API keys revoked: ${count(p, 'keysRevoked')}`]),
      ],
    }),
  },
  'operator.termination-scheduled': {
    ja: (p, c) => ({
      subject: `【重要】指定事業者の業務委託契約の終了のお知らせ: ${operatorOf(p, c)}`,
      lines: [
        toSubscriber(c)
          ? `お客様がご利用の指定事業者 ${operatorOf(p, c)} と当社との業務委託契約は、次の日時をもって終了しますので、直接お知らせします。`
          : `${operatorOf(p, c)} との業務委託契約は、次の日時をもって終了します。`,
        '',
        `契約終了番号: ${text(p, 'terminationId')}`,
        `効力発生日時: ${when(p, 'effectiveAt', c)}`,
        `理由: ${text(p, 'reason')}`,
        `承継先: ${text(p, 'successorName')}`,
        '',
        `利用中の証明書は失効せず、有効期限まで引き続きご利用いただけます。効力発生後、利用期間の残っている利用FQDNと証明書の取次は ${text(p, 'successorName')} が承継します。`,
      ],
    }),
    en: (p, c) => ({
      subject: `[Important] Operator contract ending: ${operatorOf(p, c)}`,
      lines: [
        toSubscriber(c)
          ? `The CA's contract with ${operatorOf(p, c)}, the operator you use, ends at the time below. You are notified directly.`
          : `The CA's contract with ${operatorOf(p, c)} ends at the time below.`,
        '',
        `Termination: ${text(p, 'terminationId')}`,
        `Effective: ${when(p, 'effectiveAt', c)}`,
        `Reason: ${text(p, 'reason')}`,
        `Successor: ${text(p, 'successorName')}`,
        '',
        `Certificates in use are not revoked and stay valid until they expire. From the effective date, usage FQDNs and certificates with time remaining are brokered by ${text(p, 'successorName')}.`,
      ],
    }),
  },
  'operator.termination-effective': {
    ja: (p, c) => ({
      subject: `指定事業者の業務委託契約が終了しました: ${operatorOf(p, c)}`,
      lines: [
        toSubscriber(c)
          ? `お客様がご利用の指定事業者 ${operatorOf(p, c)} と当社との業務委託契約が終了しましたので、直接お知らせします。`
          : `${operatorOf(p, c)} との業務委託契約が終了しました。オペレーターAPIはご利用いただけません。`,
        '',
        `契約終了番号: ${text(p, 'terminationId')}`,
        `効力発生日時: ${when(p, 'effectiveAt', c)}`,
        `承継先: ${text(p, 'transferredToName')}`,
        `承継した利用FQDN: ${count(p, 'usageFqdns')}件、本サービス利用者: ${count(p, 'subscribers')}件、証明書: ${count(p, 'certificates')}件`,
        '',
        `利用中の証明書は失効せず、有効期限まで引き続きご利用いただけます。今後のお問い合わせやお手続きは ${text(p, 'transferredToName')} が承ります。`,
      ],
    }),
    en: (p, c) => ({
      subject: `Operator contract ended: ${operatorOf(p, c)}`,
      lines: [
        toSubscriber(c)
          ? `The CA's contract with ${operatorOf(p, c)}, the operator you use, has ended. You are notified directly.`
          : `The CA's contract with ${operatorOf(p, c)} has ended; the operator API is no longer available to it.`,
        '',
        `Termination: ${text(p, 'terminationId')}`,
        `Effective: ${when(p, 'effectiveAt', c)}`,
        `Transferred to: ${text(p, 'transferredToName')}`,
        `Taken over: ${count(p, 'usageFqdns')} usage FQDNs, ${count(p, 'subscribers')} subscribers, ${count(p, 'certificates')} certificates`,
        '',
        `Certificates in use are not revoked and stay valid until they expire. ${text(p, 'transferredToName')} now handles enquiries and requests.`,
      ],
    }),
  },
} satisfies Partial<Record<NotificationKind, KindTemplate>>;
