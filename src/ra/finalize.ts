import type { JWK } from 'jose';
import { ShomeiError, isShomeiError } from '../core/errors.js';
import { fromB64u, isB64u } from '../core/ids.js';
import { jwkToSpki, sha256Hex } from '../core/keys.js';
import { checkCsr } from '../ca/csr.js';
import type { AccountRow, CertificateRow } from '../sa/index.js';
import { getOrder, orderNames, type OrderView } from './orders.js';
import { recordIssuanceForSubscriber } from '../registry/usage-lifecycle.js';
import { checkOrderNamesForAccount } from './subscriber-policy.js';
import { LintError } from '../ca/authority.js';
import { assertKeyNotBlocked } from './blocked-keys.js';
import { issueThroughCt, logFinalCertificate, type CycleResult } from './issuance.js';
import type { RaDeps } from './types.js';

const HOUR = 3600_000;

/** RFC 8555 §7.4: the CSR must name exactly the order's identifiers. */
export function checkCsrNamesMatchOrder(csrNames: string[], order: string[]): void {
  const want = new Set(order);
  const have = new Set(csrNames);
  const extra = [...have].filter((n) => !want.has(n));
  const missing = [...want].filter((n) => !have.has(n));
  if (extra.length > 0 || missing.length > 0) {
    const parts: string[] = [];
    if (extra.length > 0) parts.push(`names not in the order: ${extra.join(', ')}`);
    if (missing.length > 0) parts.push(`order names missing from the CSR: ${missing.join(', ')}`);
    throw new ShomeiError('badCSR', `CSR does not match the order — ${parts.join('; ')}`);
  }
}

/** BR 3.2.2.8: CAA checked at validation is re-checked when older than the recheck window. */
async function recheckStaleCaa(d: RaDeps, view: OrderView, account: AccountRow): Promise<void> {
  const staleBefore = d.clock.now().getTime() - d.config.va.caaRecheckHours * HOUR;
  const problems: ShomeiError[] = [];
  await Promise.all(
    view.authorizations.map(async (a) => {
      if (a.validated_at !== null && new Date(a.validated_at).getTime() >= staleBefore) return;
      const name = a.wildcard === 1 ? `*.${a.identifier}` : a.identifier;
      const method = (a.validated_method ?? 'http-01') as 'http-01' | 'dns-01' | 'tls-alpn-01';
      try {
        await d.va.checkCaa({ name, accountUri: d.accountUri(account.id), method });
      } catch (e) {
        if (!isShomeiError(e)) throw e;
        problems.push(new ShomeiError(e.kind, e.detail, { identifier: { type: 'dns', value: name } }));
      }
    }),
  );
  if (problems.length === 1) throw problems[0] as ShomeiError;
  if (problems.length > 1) {
    throw new ShomeiError('caa', 'CAA records forbid issuance for several names; see subproblems', { subErrors: problems });
  }
}

/**
 * Move an order to invalid with the reason and audit it in one transaction
 * (SPEC §11); a lint refusal (BR §4.3.1.2) is recorded with it. Nothing is
 * written when the order already left `from`.
 */
async function invalidateOrder(
  d: RaDeps,
  account: AccountRow,
  orderId: string,
  from: ('pending' | 'ready' | 'processing')[],
  error: { kind: string; detail: string },
  lint?: { what: string; findings: unknown },
): Promise<void> {
  const nowIso = d.clock.now().toISOString();
  const actor = `account:${account.id}`;
  await d.sa.transaction(async (tx) => {
    if (!(await tx.transitionOrder(orderId, from, { status: 'invalid', error: JSON.stringify(error) }, nowIso))) return;
    if (lint !== undefined) await tx.appendAudit({ at: nowIso, actor, channel: 'acme', action: 'certificate.lint-refused', objectType: 'order', objectId: orderId, details: lint });
    await tx.appendAudit({ at: nowIso, actor, channel: 'acme', action: 'order.invalid', objectType: 'order', objectId: orderId, details: { after: { status: 'invalid' }, error } });
  });
}

/**
 * RFC 8555 §7.4 finalize: check the CSR, move the order to processing exactly
 * once, sign, store the certificate and mark the order valid — or mark it
 * invalid with the reason, so the client is never left hanging.
 */
export async function finalizeOrder(
  d: RaDeps,
  account: AccountRow,
  orderId: string,
  payload: { csr?: unknown },
  track?: (p: Promise<void>) => void,
): Promise<OrderView> {
  const view = await getOrder(d, orderId, account.id);
  if (view.status !== 'ready') {
    throw new ShomeiError('orderNotReady', `Order is "${view.status}", not "ready"`);
  }
  if (typeof payload.csr !== 'string' || payload.csr === '' || !isB64u(payload.csr)) {
    throw new ShomeiError('malformed', 'csr must be the base64url DER of a PKCS#10 request');
  }
  const accountSpkiSha256 = sha256Hex(jwkToSpki(JSON.parse(account.jwk) as JWK));
  const csr = await checkCsr(fromB64u(payload.csr), { accountSpkiSha256 });
  // BR §4.9.1.1 / SPEC §7: a key reported compromised is never certified again.
  await assertKeyNotBlocked(d.sa.repos, csr.spkiSha256, 'certificate');
  const names = orderNames(view.order);
  checkCsrNamesMatchOrder(csr.names, names);
  await recheckStaleCaa(d, view, account);
  // SPEC §5.4: a usage FQDN may have ended since the order was created. Such an
  // order can never be finalized, so it becomes invalid with the reason.
  try {
    await checkOrderNamesForAccount(d, d.sa.repos, account, names);
  } catch (e) {
    if (isShomeiError(e) && e.kind === 'rejectedIdentifier') {
      await invalidateOrder(d, account, view.order.id, ['pending', 'ready'], { kind: e.kind, detail: e.detail });
    }
    throw e;
  }

  const start = d.clock.now().toISOString();
  // SPEC §11: the move to processing is the account's finalize request, audited with it.
  const moved = await d.sa.transaction(async (tx) => {
    if (!(await tx.transitionOrder(view.order.id, ['pending', 'ready'], { status: 'processing' }, start))) return false;
    await tx.appendAudit({ at: start, actor: `account:${account.id}`, channel: 'acme', action: 'order.processing', objectType: 'order', objectId: view.order.id, details: { before: { status: view.status }, after: { status: 'processing' }, keyType: csr.keyType } });
    return true;
  });
  if (!moved) throw new ShomeiError('orderNotReady', 'Order is already being finalized');
  let cycle: CycleResult | undefined;
  try {
    cycle = await issueThroughCt(d, { accountId: account.id, orderId: view.order.id, csr, names });
    const { issued, serial } = cycle;
    const now = d.clock.now().toISOString();
    const row: CertificateRow = {
      serial,
      account_id: account.id,
      order_id: view.order.id,
      der: Buffer.from(issued.der).toString('base64'),
      names: JSON.stringify(names),
      spki_sha256: csr.spkiSha256,
      issued_at: now,
      not_before: issued.notBefore.toISOString(),
      not_after: issued.notAfter.toISOString(),
      revoked_at: null,
      revocation_reason: null,
      subscriber_id: null,
      issuer_key_id: cycle.issuerKeyId,
      crl_shard: cycle.crlShard,
    };
    await d.sa.transaction(async (tx) => {
      // Checked again with the certificate's own transaction, so a usage FQDN ending meanwhile cannot slip through.
      row.subscriber_id = await checkOrderNamesForAccount(d, tx, account, names);
      // A key reported compromised while this order was being processed is refused too.
      await assertKeyNotBlocked(tx, csr.spkiSha256, 'certificate');
      await tx.insertCertificate(row);
      if (!(await tx.updateSerial(serial, ['precertificate', 'allocated'], { status: 'issued' }, now))) {
        throw new Error(`serial ${serial} left the issuance cycle before its certificate was stored`);
      }
      if (row.subscriber_id !== null) {
        await recordIssuanceForSubscriber(tx, d.config, { serial: row.serial, subscriberId: row.subscriber_id, names, issuedAt: new Date(now), actor: `account:${account.id}` });
      }
      await tx.transitionOrder(view.order.id, ['processing'], { status: 'valid', certificate_serial: row.serial }, now);
      await tx.appendAudit({
        at: now,
        actor: `account:${account.id}`,
        action: 'certificate.issued',
        objectType: 'certificate',
        objectId: row.serial,
        details: { order: view.order.id, names, notBefore: row.not_before, notAfter: row.not_after, keyType: csr.keyType, crlShard: row.crl_shard },
      });
    });
    track?.(logFinalCertificate(d, issued));
  } catch (e) {
    const nowIso = d.clock.now().toISOString();
    if (cycle !== undefined) await d.sa.repos.updateSerial(cycle.serial, ['precertificate', 'allocated'], { status: 'failed', error: e instanceof Error ? e.message : String(e) }, nowIso).catch(() => false);
    if (isShomeiError(e) && (e.kind === 'rejectedIdentifier' || e.kind === 'badPublicKey')) {
      await invalidateOrder(d, account, view.order.id, ['processing'], { kind: e.kind, detail: e.detail });
      throw e;
    }
    d.logger.error({ err: e, order: view.order.id }, 'issuance failed');
    // A CT shortfall is worth retrying with a new order; say so (the detail names no secrets).
    const ctShortfall = isShomeiError(e) && e.kind === 'serverInternal' && !(e instanceof LintError) && /Certificate Transparency/.test(e.detail);
    const err = { kind: 'serverInternal', detail: ctShortfall ? `${e.detail}; please create a new order later` : 'Issuance failed; please create a new order' };
    // BR §4.3.1.2: a lint error stops issuance and is recorded (with the order's move to invalid).
    const lint = e instanceof LintError ? { what: e.what, findings: e.findings } : undefined;
    await invalidateOrder(d, account, view.order.id, ['processing'], err, lint);
    throw new ShomeiError('serverInternal', err.detail, { cause: e });
  }
  return getOrder(d, view.order.id, account.id);
}
