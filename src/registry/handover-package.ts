import { createHash } from 'node:crypto';
import { ShomeiError } from '../core/errors.js';
import { csvText, type CsvValue } from '../core/csv.js';
import { localDateOf } from '../core/calendar.js';
import { tarGz, type TarEntry } from '../core/tar.js';
import type { CertificateRow, OperatorRow, Repositories } from '../sa/index.js';
import { operatorView, type OperatorView } from './operators.js';
import { suspensionInForce } from './operator-standing.js';
import { actorString, type Actor, type RegistryDeps } from './types.js';

/**
 * AR 19 (hand-over of the information needed to take over the brokering),
 * AR 10 (copies of consent records on request): one gzip-compressed ustar
 * archive with the operator's records as JSON and CSV, a manifest of SHA-256
 * hashes and a `SHA256SUMS` file that `sha256sum -c` checks.
 *
 * "The operator's records" are those it manages now plus those it brokered
 * (consent records and applications keep their operator), so the package
 * reads the same before and after the transfer. Every table is one JSON
 * array of objects and one CSV with the same columns (snake_case), one row
 * per object.
 */

export const HANDOVER_FILES = ['subscribers', 'usage-fqdns', 'certificates', 'consent-records', 'open-notices'] as const;

export interface HandoverManifest {
  operator: { id: string; name: string; status: string };
  generatedAt: string;
  /** Every file of the archive except manifest.json and SHA256SUMS. */
  files: { name: string; bytes: number; sha256: string }[];
}

export interface HandoverPackage {
  /** The .tar.gz archive. */
  archive: Buffer;
  filename: string;
  manifest: HandoverManifest;
  /** SHA-256 (hex) of manifest.json as stored in the archive (recorded in the audit trail). */
  manifestSha256: string;
  rowCounts: Record<(typeof HANDOVER_FILES)[number], number>;
}

type Row = Record<string, CsvValue>;
interface Table {
  columns: string[];
  rows: Row[];
  /** Extra fields only in the JSON (e.g. certificate PEMs). */
  jsonOnly?: Record<string, unknown>[];
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function pem(derB64: string): string {
  return `-----BEGIN CERTIFICATE-----\n${(derB64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`;
}

function certificateStatus(c: CertificateRow, nowIso: string): 'revoked' | 'expired' | 'valid' {
  if (c.revoked_at !== null) return 'revoked';
  return c.not_after <= nowIso ? 'expired' : 'valid';
}

interface Records {
  op: OperatorRow;
  tables: Record<(typeof HANDOVER_FILES)[number], Table>;
}

async function readRecords(tx: Repositories, operatorId: string, now: Date): Promise<Records> {
  const op = await tx.getOperator(operatorId);
  if (!op) throw new ShomeiError('notFound', 'No such operator');
  const nowIso = now.toISOString();
  const subscribers = await tx.listHandoverSubscribers(operatorId);
  const usage = await tx.listHandoverUsageFqdns(operatorId);
  const certs = await tx.listHandoverCertificates(operatorId);
  const links = new Map<string, string[]>();
  for (const l of await tx.listHandoverCertificateLinks(operatorId)) links.set(l.serial, [...(links.get(l.serial) ?? []), l.usage_fqdn_id]);
  const consents = await tx.listConsentRecordsOfOperator(operatorId);
  const subscriberName = new Map(subscribers.map((s) => [s.id, s.name]));

  const notices: Row[] = [];
  const t = await tx.getOperatorTermination(operatorId);
  if (t && t.status === 'scheduled') {
    notices.push({ kind: 'operator-termination', id: t.id, subject_type: 'operator', subject_id: operatorId, fqdn: null, status: t.status, since: t.created_at, until: t.effective_at, detail: t.reason });
  }
  for (const c of await tx.listOpenCorrectionNoticesForHandover(operatorId)) {
    notices.push({ kind: 'correction-notice', id: c.id, subject_type: 'operator', subject_id: operatorId, fqdn: null, status: c.status, since: c.issued_at, until: c.deadline, detail: `${c.ground}: ${c.detail}` });
  }
  for (const s of (await tx.listOperatorSuspensions(operatorId)).filter((x) => suspensionInForce(x, now))) {
    notices.push({ kind: 'suspension', id: s.id, subject_type: 'operator', subject_id: operatorId, fqdn: null, status: s.kind, since: s.starts_at, until: s.ends_at ?? 'until corrected', detail: s.reason });
  }
  for (const h of (await tx.listHandoverDemands(operatorId)).filter((x) => x.status === 'open')) {
    notices.push({ kind: 'handover-demand', id: h.id, subject_type: 'operator', subject_id: operatorId, fqdn: null, status: h.status, since: h.demanded_at, until: h.deadline, detail: (JSON.parse(h.items) as string[]).join('; ') });
  }
  for (const u of usage.filter((x) => x.termination_notice_at !== null && x.status !== 'ended')) {
    notices.push({
      kind: 'usage-fqdn-termination-notice',
      id: u.id,
      subject_type: 'usage-fqdn',
      subject_id: u.id,
      fqdn: u.fqdn,
      status: u.status,
      since: u.termination_notice_at,
      until: u.expiry_date,
      detail: `usage ends at the expiry date (filed by ${u.termination_notice_by ?? 'unknown'})`,
    });
  }

  const certRows: Row[] = certs.map((c) => ({
    serial: c.serial,
    subscriber_id: c.subscriber_id,
    names: (JSON.parse(c.names) as string[]).join(' '),
    usage_fqdn_ids: (links.get(c.serial) ?? []).join(' '),
    issued_at: c.issued_at,
    not_before: c.not_before,
    not_after: c.not_after,
    status: certificateStatus(c, nowIso),
    revoked_at: c.revoked_at,
    revocation_reason: c.revocation_reason,
  }));

  return {
    op,
    tables: {
      subscribers: {
        columns: ['id', 'name', 'emails', 'phone', 'external_ref', 'managing_operator_id', 'created_at', 'updated_at'],
        rows: subscribers.map((s) => ({
          id: s.id,
          name: s.name,
          emails: (JSON.parse(s.emails) as string[]).join(' '),
          phone: s.phone,
          external_ref: s.external_ref,
          managing_operator_id: s.operator_id,
          created_at: s.created_at,
          updated_at: s.updated_at,
        })),
      },
      'usage-fqdns': {
        columns: [
          'id', 'fqdn', 'subscriber_id', 'subscriber_name', 'managing_operator_id', 'status', 'period', 'continuation_period', 'applied_at',
          'start_date', 'expiry_date', 'ended_on', 'end_reason', 'termination_notice_at', 'termination_notice_by',
        ],
        rows: usage.map((u) => ({
          id: u.id,
          fqdn: u.fqdn,
          subscriber_id: u.subscriber_id,
          subscriber_name: subscriberName.get(u.subscriber_id) ?? null,
          managing_operator_id: u.operator_id,
          status: u.status,
          period: u.period,
          continuation_period: u.continuation_period,
          applied_at: u.applied_at,
          start_date: u.start_date,
          expiry_date: u.expiry_date,
          ended_on: u.ended_on,
          end_reason: u.end_reason,
          termination_notice_at: u.termination_notice_at,
          termination_notice_by: u.termination_notice_by,
        })),
      },
      certificates: {
        columns: ['serial', 'subscriber_id', 'names', 'usage_fqdn_ids', 'issued_at', 'not_before', 'not_after', 'status', 'revoked_at', 'revocation_reason'],
        rows: certRows,
        jsonOnly: certs.map((c) => ({ pem: pem(c.der) })),
      },
      'consent-records': {
        columns: ['id', 'subscriber_id', 'operator_id', 'terms_version', 'cps_version', 'ct_disclosure_version', 'agreed_at', 'confirmation_method', 'confirmation_reference', 'recorded_at'],
        rows: consents.map((c) => ({ ...c })),
      },
      'open-notices': { columns: ['kind', 'id', 'subject_type', 'subject_id', 'fqdn', 'status', 'since', 'until', 'detail'], rows: notices },
    },
  };
}

/** Lists (certificate names, usage FQDN ids, e-mails) are arrays in JSON and space-separated in CSV. */
const LIST_COLUMNS = ['names', 'usage_fqdn_ids', 'emails'];

function jsonRows(t: Table): unknown[] {
  return t.rows.map((r, i) => {
    const o: Record<string, unknown> = { ...r };
    for (const k of LIST_COLUMNS) if (typeof o[k] === 'string') o[k] = o[k] === '' ? [] : (o[k] as string).split(' ');
    return { ...o, ...(t.jsonOnly?.[i] ?? {}) };
  });
}

function fileEntries(records: Records): { name: string; data: Buffer }[] {
  const out: { name: string; data: Buffer }[] = [];
  for (const name of HANDOVER_FILES) {
    const t = records.tables[name];
    out.push({ name: `${name}.json`, data: Buffer.from(JSON.stringify(jsonRows(t), null, 2) + '\n') });
    out.push({ name: `${name}.csv`, data: Buffer.from(csvText([t.columns, ...t.rows.map((r) => t.columns.map((c) => r[c] ?? null))])) });
  }
  return out;
}

/**
 * Build the hand-over package of an operator and record the export in the
 * audit trail (who exported what, with the manifest's hash) — in one
 * transaction, so the archive and the audit entry see the same records.
 */
export async function buildHandoverPackage(d: RegistryDeps, operatorId: string, actor: Actor): Promise<HandoverPackage> {
  const now = d.clock.now();
  const generatedAt = now.toISOString();
  return d.sa.transaction(async (tx) => {
    const records = await readRecords(tx, operatorId, now);
    const files = fileEntries(records);
    const op: OperatorView = operatorView(records.op);
    const manifest: HandoverManifest = {
      operator: { id: op.id, name: op.name, status: op.status },
      generatedAt,
      files: files.map((f) => ({ name: f.name, bytes: f.data.length, sha256: sha256(f.data) })),
    };
    const manifestData = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
    const manifestSha256 = sha256(manifestData);
    const all = [...files, { name: 'manifest.json', data: manifestData }];
    // sha256sum format: "<hex>  <name>" (two spaces = text mode), one per line.
    const sums = Buffer.from(all.map((f) => `${sha256(f.data)}  ${f.name}\n`).join(''));
    const dir = `shomei-handover-${operatorId}-${localDateOf(now, d.config.timeZone)}`;
    const entries: TarEntry[] = [{ name: `${dir}/`, mtime: now }, ...[...all, { name: 'SHA256SUMS', data: sums }].map((f) => ({ name: `${dir}/${f.name}`, data: f.data, mtime: now }))];
    const archive = tarGz(entries);
    const rowCounts = Object.fromEntries(HANDOVER_FILES.map((n) => [n, records.tables[n].rows.length])) as HandoverPackage['rowCounts'];
    await tx.appendAudit({
      at: generatedAt,
      actor: actorString(actor),
      action: 'operator.handover-package-exported',
      objectType: 'operator',
      objectId: operatorId,
      details: { manifestSha256, archiveSha256: sha256(archive), archiveBytes: archive.length, rowCounts },
    });
    return { archive, filename: `${dir}.tar.gz`, manifest, manifestSha256, rowCounts };
  });
}
