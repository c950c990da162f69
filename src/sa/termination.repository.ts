import type { Executor } from './executor.js';
import type {
  CertificateRow,
  ConsentRecordRow,
  CorrectionNoticeRow,
  HandoverDemandRow,
  OperatorTerminationRow,
  SubscriberRow,
  UsageFqdnRow,
} from './schema.js';

/** Contract termination and hand-over (AR 19, AT 7). */

export async function getOperatorTermination(db: Executor, operatorId: string): Promise<OperatorTerminationRow | undefined> {
  return db.selectFrom('operator_terminations').selectAll().where('operator_id', '=', operatorId).executeTakeFirst();
}

/** One termination per operator: the unique index on operator_id refuses a second one. */
export async function insertOperatorTermination(db: Executor, row: OperatorTerminationRow): Promise<void> {
  await db.insertInto('operator_terminations').values(row).execute();
}

/** Terminations still scheduled whose effective instant is at or before `nowIso`, oldest first. */
export async function listDueOperatorTerminations(db: Executor, nowIso: string): Promise<OperatorTerminationRow[]> {
  return db
    .selectFrom('operator_terminations')
    .selectAll()
    .where('status', '=', 'scheduled')
    .where('effective_at', '<=', nowIso)
    .orderBy('effective_at')
    .orderBy('id')
    .execute();
}

/**
 * Compare-and-set scheduled → effective with the transfer record. False when
 * another runner (or an earlier run) already did it: the caller then rolls
 * back and transfers nothing a second time.
 */
export async function markOperatorTerminationEffective(
  db: Executor,
  id: string,
  t: { transferredAt: string; transferredTo: string; summary: string },
): Promise<boolean> {
  const res = await db
    .updateTable('operator_terminations')
    .set({ status: 'effective', transferred_at: t.transferredAt, transferred_to: t.transferredTo, transfer_summary: t.summary })
    .where('id', '=', id)
    .where('status', '=', 'scheduled')
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Store the final transfer summary (counts known only after moving) on a termination just marked effective. */
export async function setOperatorTerminationSummary(db: Executor, id: string, summary: string): Promise<void> {
  await db.updateTable('operator_terminations').set({ transfer_summary: summary }).where('id', '=', id).execute();
}

// ---------------------------------------------------------------------------
// Transfer (AT 7): the departed operator's live usage FQDNs and their subscribers

/** The usage FQDNs the operator manages that have not ended (applied or active), in application order. */
export async function listLiveUsageFqdnsOfOperator(db: Executor, operatorId: string): Promise<UsageFqdnRow[]> {
  return db
    .selectFrom('usage_fqdns')
    .selectAll()
    .where('operator_id', '=', operatorId)
    .where('status', 'in', ['applied', 'active'])
    .orderBy('applied_at')
    .orderBy('id')
    .execute();
}

/** Compare-and-set the managing operator of a live usage FQDN (from → to); false if it ended or moved meanwhile. */
export async function moveUsageFqdnOperator(db: Executor, id: string, from: string, to: string, nowIso: string): Promise<boolean> {
  const res = await db
    .updateTable('usage_fqdns')
    .set({ operator_id: to, updated_at: nowIso })
    .where('id', '=', id)
    .where('operator_id', '=', from)
    .where('status', 'in', ['applied', 'active'])
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Compare-and-set the operator of a subscriber (from → to); false if it is no longer the departed operator's. */
export async function moveSubscriberOperator(db: Executor, id: string, from: string, to: string, nowIso: string): Promise<boolean> {
  const res = await db
    .updateTable('subscribers')
    .set({ operator_id: to, updated_at: nowIso })
    .where('id', '=', id)
    .where('operator_id', '=', from)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Certificates of the subscriber that are neither revoked nor expired at `nowIso` ("certificates in use", AR 18). */
export async function countLiveCertificatesOfSubscriber(db: Executor, subscriberId: string, nowIso: string): Promise<number> {
  const r = await db
    .selectFrom('certificates')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .where('subscriber_id', '=', subscriberId)
    .where('revoked_at', 'is', null)
    .where('not_after', '>', nowIso)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

// ---------------------------------------------------------------------------
// Hand-over demands (AR 19)

export async function insertHandoverDemand(db: Executor, row: HandoverDemandRow): Promise<void> {
  await db.insertInto('handover_demands').values(row).execute();
}

export async function getHandoverDemand(db: Executor, id: string): Promise<HandoverDemandRow | undefined> {
  return db.selectFrom('handover_demands').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listHandoverDemands(db: Executor, operatorId: string): Promise<HandoverDemandRow[]> {
  return db.selectFrom('handover_demands').selectAll().where('operator_id', '=', operatorId).orderBy('demanded_at').orderBy('id').execute();
}

/** Compare-and-set the status of a demand from one of `from` to `to`; false when it was in none of them. */
export async function setHandoverDemandStatus(
  db: Executor,
  id: string,
  from: HandoverDemandRow['status'][],
  to: HandoverDemandRow['status'],
  fulfilledAt: string | null,
): Promise<boolean> {
  const res = await db
    .updateTable('handover_demands')
    .set({ status: to, ...(fulfilledAt !== null ? { fulfilled_at: fulfilledAt } : {}) })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Open demands whose deadline (a local date) is before `day`: their period passed unfulfilled. */
export async function listLapsingHandoverDemands(db: Executor, day: string): Promise<HandoverDemandRow[]> {
  return db.selectFrom('handover_demands').selectAll().where('status', '=', 'open').where('deadline', '<', day).orderBy('deadline').orderBy('id').execute();
}

// ---------------------------------------------------------------------------
// Hand-over package (AR 19, AR 10): the records the operator brokered or manages.
// "Its records" = what it manages now plus what it brokered (consent records and
// applications never change operator), so the package is the same before and
// after the transfer.

/** Subscribers the operator manages, or for whom it recorded consent (AR 10). */
export async function listHandoverSubscribers(db: Executor, operatorId: string): Promise<SubscriberRow[]> {
  return db
    .selectFrom('subscribers')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('operator_id', '=', operatorId),
        eb('id', 'in', eb.selectFrom('consent_records').select('subscriber_id').where('operator_id', '=', operatorId)),
      ]),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Usage FQDNs the operator manages or applied for. */
export async function listHandoverUsageFqdns(db: Executor, operatorId: string): Promise<UsageFqdnRow[]> {
  return db
    .selectFrom('usage_fqdns')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('operator_id', '=', operatorId),
        eb('id', 'in', eb.selectFrom('fqdn_applications').select('usage_fqdn_id').where('operator_id', '=', operatorId).where('usage_fqdn_id', 'is not', null).$narrowType<{ usage_fqdn_id: string }>()),
      ]),
    )
    .orderBy('applied_at')
    .orderBy('id')
    .execute();
}

/** Certificates of the subscribers of listHandoverSubscribers, in issuance order. */
export async function listHandoverCertificates(db: Executor, operatorId: string): Promise<CertificateRow[]> {
  return db
    .selectFrom('certificates')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('subscriber_id', 'in', eb.selectFrom('subscribers').select('id').where('operator_id', '=', operatorId)),
        eb('subscriber_id', 'in', eb.selectFrom('consent_records').select('subscriber_id').where('operator_id', '=', operatorId)),
      ]),
    )
    .orderBy('issued_at')
    .orderBy('serial')
    .execute();
}

/** serial → usage FQDN ids for the certificates of listHandoverCertificates. */
export async function listHandoverCertificateLinks(db: Executor, operatorId: string): Promise<{ serial: string; usage_fqdn_id: string }[]> {
  return db
    .selectFrom('certificate_usage_fqdns as l')
    .innerJoin('certificates as c', 'c.serial', 'l.serial')
    .select(['l.serial', 'l.usage_fqdn_id'])
    .where((eb) =>
      eb.or([
        eb('c.subscriber_id', 'in', eb.selectFrom('subscribers').select('id').where('operator_id', '=', operatorId)),
        eb('c.subscriber_id', 'in', eb.selectFrom('consent_records').select('subscriber_id').where('operator_id', '=', operatorId)),
      ]),
    )
    .orderBy('l.serial')
    .orderBy('l.usage_fqdn_id')
    .execute();
}

/** The consent records the operator obtained (AR 10: kept 7 years, copies handed to the CA on request). */
export async function listConsentRecordsOfOperator(db: Executor, operatorId: string): Promise<ConsentRecordRow[]> {
  return db.selectFrom('consent_records').selectAll().where('operator_id', '=', operatorId).orderBy('recorded_at').orderBy('id').execute();
}

/** The operator's correction notices still open (AR 16). */
export async function listOpenCorrectionNoticesForHandover(db: Executor, operatorId: string): Promise<CorrectionNoticeRow[]> {
  return db.selectFrom('correction_notices').selectAll().where('operator_id', '=', operatorId).where('status', '=', 'open').orderBy('issued_at').orderBy('id').execute();
}
