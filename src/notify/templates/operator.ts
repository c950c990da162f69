import type { NotificationKind } from '../../registry/notifications.js';
import { count, list, operatorOf, text, when, type KindTemplate, type Payload } from './kit.js';

/** The operator's own standing with the CA: designation, API keys, correction notices (AR 16), hand-over (AR 19). */

const GROUND_JA: Record<string, string> = {
  'material-breach': '重大な契約違反',
  'unpaid-fees': '利用料金の未払い',
  'adverse-change': '重大な状態の変化',
  'material-adverse-change': '重大な状態の変化',
  unreachable: '連絡不通',
};

function items(p: Payload, bullet = '- '): string[] {
  return list(p, 'items').map((i) => `${bullet}${i}`);
}

export const OPERATOR_TEMPLATES = {
  'operator.designated': {
    ja: (p) => ({
      subject: `指定事業者として指定いたしました: ${text(p, 'name')}`,
      lines: [`${text(p, 'name')} を指定事業者として指定いたしましたので、お知らせします。`, 'オペレーターAPIキーは別途お渡しします。今後、本サービスに関するお知らせはこのアドレスへお送りします。'],
    }),
    en: (p) => ({
      subject: `Designated as an operator: ${text(p, 'name')}`,
      lines: [`${text(p, 'name')} has been designated as an operator.`, "The operator API key is handed over separately. The CA's notices about the service will be sent to this address."],
    }),
  },
  'operator.api-key-issued': {
    ja: (p) => ({
      subject: `オペレーターAPIキーを発行しました: ${text(p, 'keyId')}`,
      lines: ['次のオペレーターAPIキーを発行しました。お心当たりのない場合は、直ちに当社までご連絡ください。', '', `キーID: ${text(p, 'keyId')}`, `ラベル: ${text(p, 'label')}`],
    }),
    en: (p) => ({
      subject: `Operator API key issued: ${text(p, 'keyId')}`,
      lines: ['The following operator API key has been issued. If you did not expect this, contact the CA at once.', '', `Key id: ${text(p, 'keyId')}`, `Label: ${text(p, 'label')}`],
    }),
  },
  'operator.api-key-revoked': {
    ja: (p) => ({
      subject: `オペレーターAPIキーを無効にしました: ${text(p, 'keyId')}`,
      lines: ['次のオペレーターAPIキーを無効にしました。このキーによるAPIの呼出しはお受けできません。', '', `キーID: ${text(p, 'keyId')}`],
    }),
    en: (p) => ({
      subject: `Operator API key revoked: ${text(p, 'keyId')}`,
      lines: ['The following operator API key has been revoked: calls made with it are refused.', '', `Key id: ${text(p, 'keyId')}`],
    }),
  },
  'operator.correction-notice': {
    ja: (p, c) => ({
      subject: `【重要】是正のご通知（期限: ${when(p, 'deadline', c)}）`,
      lines: [
        `${operatorOf(p, c)} に対し、次のとおり是正を求めます。期限までに是正されない場合、業務委託を一時停止することがあります。`,
        '',
        `通知番号: ${text(p, 'noticeId')}`,
        `事由: ${GROUND_JA[text(p, 'ground')] ?? text(p, 'ground')}（${text(p, 'ground')}）`,
        `内容: ${text(p, 'detail')}`,
        `通知日時: ${when(p, 'issuedAt', c)}`,
        `是正期間: ${text(p, 'correctionDays')}日間`,
        `是正期限: ${when(p, 'deadline', c)}`,
      ],
    }),
    en: (p, c) => ({
      subject: `[Important] Correction notice (deadline ${when(p, 'deadline', c)})`,
      lines: [
        `${operatorOf(p, c)} is asked to correct the following. If it is not corrected by the deadline, the CA may suspend the operator.`,
        '',
        `Notice: ${text(p, 'noticeId')}`,
        `Ground: ${text(p, 'ground')}`,
        `Detail: ${text(p, 'detail')}`,
        `Issued: ${when(p, 'issuedAt', c)}`,
        `Correction period: ${text(p, 'correctionDays')} days`,
        `Deadline: ${when(p, 'deadline', c)}`,
      ],
    }),
  },
  'operator.correction-resolved': {
    ja: (p, c) => ({
      subject: `是正のご通知を終了しました: ${text(p, 'noticeId')}`,
      lines: [
        `${operatorOf(p, c)} への是正のご通知を、次のとおり終了しました。`,
        '',
        `通知番号: ${text(p, 'noticeId')}`,
        `結果: ${p['resolution'] === 'corrected' ? '是正を確認しました' : p['resolution'] === 'withdrawn' ? '通知を取り下げました' : text(p, 'resolution')}（${text(p, 'resolution')}）`,
        `備考: ${text(p, 'note')}`,
      ],
    }),
    en: (p, c) => ({
      subject: `Correction notice closed: ${text(p, 'noticeId')}`,
      lines: [`The correction notice to ${operatorOf(p, c)} is closed.`, '', `Notice: ${text(p, 'noticeId')}`, `Resolution: ${text(p, 'resolution')}`, `Note: ${text(p, 'note')}`],
    }),
  },
  'operator.handover-demand': {
    ja: (p, c) => ({
      subject: `【重要】取次業務の引継ぎに必要な情報のご提出のお願い（期限: ${when(p, 'deadline', c)}）`,
      lines: [
        `業務委託契約の終了に伴い、${operatorOf(p, c)} に対し、取次業務の引継ぎに必要な次の情報を期限までに無償でご提出いただくよう求めます。`,
        '',
        `請求番号: ${text(p, 'demandId')}`,
        `提出期限: ${when(p, 'deadline', c)}`,
        '提出いただく情報:',
        ...items(p),
      ],
    }),
    en: (p, c) => ({
      subject: `[Important] Hand-over information requested (deadline ${when(p, 'deadline', c)})`,
      lines: [
        `As the contract has ended, ${operatorOf(p, c)} is asked to provide, free of charge and by the deadline, the following information needed to take over its brokering.`,
        '',
        `Demand: ${text(p, 'demandId')}`,
        `Deadline: ${when(p, 'deadline', c)}`,
        'Information requested:',
        ...items(p),
      ],
    }),
  },
  'operator.handover-received': {
    ja: (p) => ({
      subject: `取次の承継のお知らせ: ${text(p, 'fromOperatorName')} から`,
      lines: [
        `${text(p, 'fromOperatorName')} の取次にかかる次の記録を承継しました。承継した本サービス利用者への対応をお願いします。`,
        '',
        `利用FQDN: ${count(p, 'usageFqdns')}件`,
        `本サービス利用者: ${count(p, 'subscribers')}件`,
        `証明書: ${count(p, 'certificates')}件`,
      ],
    }),
    en: (p) => ({
      subject: `Brokering taken over from ${text(p, 'fromOperatorName')}`,
      lines: [
        `The following records brokered by ${text(p, 'fromOperatorName')} have been transferred to you. Please take care of the subscribers taken over.`,
        '',
        `Usage FQDNs: ${count(p, 'usageFqdns')}`,
        `Subscribers: ${count(p, 'subscribers')}`,
        `Certificates: ${count(p, 'certificates')}`,
      ],
    }),
  },
} satisfies Partial<Record<NotificationKind, KindTemplate>>;
