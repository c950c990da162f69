/**
 * The issuance cycle (SPEC §6; BR §4.3.1.2, §7.1.2; RFC 6962 §3):
 *
 *   allocate and store the serial → build + lint + sign the precertificate
 *   (stored) → submit it to the CT logs, collect and verify SCTs (stored) →
 *   build the final certificate from the precertificate's TBS with the poison
 *   replaced by the SCT list → lint → sign.
 *
 * Each step leaves its trace in the `serials` ledger before the next begins,
 * so a serial is never reused and an interrupted issuance is visible (the
 * order then fails cleanly, see interrupted-work.ts); the final certificate
 * is never signed without the SCTs the policy requires. Storing the final
 * certificate is the caller's transaction (finalize.ts).
 */
import { crlShardFor, crlShardUrl } from '../crl/shard-url.js';
import { canonicalSerialHex } from '../core/serial-number.js';
import type { CheckedCsr, IssuedCertificate } from '../ca/types.js';
import type { RaDeps } from './types.js';

export interface CycleResult {
  issued: IssuedCertificate;
  /** Canonical serial (the certificates/serials primary key). */
  serial: string;
  issuerKeyId: string;
  crlShard: number;
}

/** Run the cycle for one order; on failure the serial is marked failed with the reason. */
export async function issueThroughCt(d: RaDeps, input: { accountId: string; orderId: string; csr: CheckedCsr; names: string[] }): Promise<CycleResult> {
  const serialHex = d.ca.newSerial();
  const serial = canonicalSerialHex(serialHex);
  const issuerKeyId = d.ca.issuerKeyIdHex();
  const crlShard = crlShardFor(serial, d.config.crl.shards);
  const nowIso = () => d.clock.now().toISOString();
  await d.sa.repos.insertSerial({
    serial,
    order_id: input.orderId,
    account_id: input.accountId,
    issuer_key_id: issuerKeyId,
    crl_shard: crlShard,
    status: 'allocated',
    precert_der: null,
    scts: null,
    error: null,
    created_at: nowIso(),
    updated_at: nowIso(),
  });
  try {
    const precert = await d.ca.issuePrecertificate({
      serialHex,
      spki: input.csr.spki,
      names: input.names,
      now: d.clock.now(),
      crlUrl: crlShardUrl(d.config.artefacts.baseUrl, issuerKeyId, crlShard),
    });
    // BR §5.4.1 / SPEC §11: a precertificate is signed with the CA key — recorded with its ledger entry.
    const signedAt = nowIso();
    await d.sa.transaction(async (tx) => {
      await tx.updateSerial(serial, ['allocated'], { status: 'precertificate', precert_der: Buffer.from(precert.der).toString('base64') }, signedAt);
      await tx.appendAudit({ at: signedAt, actor: `account:${input.accountId}`, channel: 'acme', action: 'precertificate.signed', objectType: 'certificate', objectId: serial, details: { order: input.orderId, names: input.names, issuer: issuerKeyId } });
    });
    let scts: Uint8Array[] | null = null;
    if (d.ct !== null) {
      const got = await d.ct.submitPrecertificate({ precertDer: precert.der, issuerDer: d.ca.intermediateDer(), rootDer: d.ca.rootDer() }, precert.notAfter);
      scts = got.map((s) => s.sct);
      const stored = got.map((s) => ({ log: s.log, sct: Buffer.from(s.sct).toString('base64') }));
      await d.sa.repos.updateSerial(serial, ['precertificate'], { scts: JSON.stringify(stored) }, nowIso());
    }
    const issued = await d.ca.issueFromPrecertificate(precert.der, scts, d.clock.now());
    return { issued, serial, issuerKeyId, crlShard };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    await d.sa.repos.updateSerial(serial, ['allocated', 'precertificate'], { status: 'failed', error: why }, nowIso()).catch(() => false);
    throw e;
  }
}

/** RFC 6962 §3.1 / Chrome CT policy: the final certificate is logged too, best-effort, after it is stored. */
export async function logFinalCertificate(d: RaDeps, issued: IssuedCertificate): Promise<void> {
  if (d.ct === null) return;
  await d.ct.submitCertificate({ certDer: issued.der, issuerDer: d.ca.intermediateDer(), rootDer: d.ca.rootDer() }, issued.notAfter);
}
