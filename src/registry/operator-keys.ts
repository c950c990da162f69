import { ShomeiError } from '../core/errors.js';
import { newApiToken, parseApiToken, secretMatches } from '../core/api-token.js';
import { ipInCidrs, parseCidr } from '../core/cidr.js';
import type { OperatorApiKeyRow, OperatorRow } from '../sa/index.js';
import { checkText } from './contacts.js';
import { recordNotification } from './notifications.js';
import { operatorAccessRefusal } from './operator-standing.js';
import { actorString, type Actor, type RegistryDeps } from './types.js';

export interface OperatorApiKeyView {
  id: string;
  operatorId: string;
  label: string | null;
  allowedCidrs: string[];
  clientCertSha256: string | null;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}

export function apiKeyView(r: OperatorApiKeyRow): OperatorApiKeyView {
  return {
    id: r.id,
    operatorId: r.operator_id,
    label: r.label,
    allowedCidrs: JSON.parse(r.allowed_cidrs) as string[],
    clientCertSha256: r.client_cert_sha256,
    createdAt: r.created_at,
    createdBy: r.created_by,
    revokedAt: r.revoked_at,
  };
}

function checkCidrs(v: unknown): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > 50) throw new ShomeiError('malformed', 'allowedCidrs must be a list of at most 50 CIDRs');
  return v.map((c, i) => {
    if (typeof c !== 'string' || parseCidr(c) === undefined) throw new ShomeiError('malformed', `allowedCidrs[${i}] is not an IP address or CIDR`);
    return c.trim();
  });
}

/** `AB:CD:…` or `abcd…` → 64 lower-case hex digits. */
function checkFingerprint(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  const hex = typeof v === 'string' ? v.replace(/:/g, '').toLowerCase() : '';
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new ShomeiError('malformed', 'clientCertSha256 must be the SHA-256 fingerprint of the client certificate (64 hex digits)');
  return hex;
}

/**
 * AR 4: issue an operator API key. Several may be active at once (rotation
 * without downtime); each may be limited to source addresses and/or pinned to
 * a client certificate. The token is returned once; only its hash is stored.
 */
export async function issueOperatorApiKey(
  d: RegistryDeps,
  operatorId: string,
  input: { label?: unknown; allowedCidrs?: unknown; clientCertSha256?: unknown },
  actor: Actor,
): Promise<{ key: OperatorApiKeyView; token: string }> {
  const label = checkText(input.label, 'label', { optional: true });
  const cidrs = checkCidrs(input.allowedCidrs);
  const fp = checkFingerprint(input.clientCertSha256);
  const t = newApiToken('ok');
  const nowIso = d.clock.now().toISOString();
  const row: OperatorApiKeyRow = {
    id: t.id,
    operator_id: operatorId,
    label,
    secret_sha256: t.secretSha256,
    allowed_cidrs: JSON.stringify(cidrs),
    client_cert_sha256: fp,
    created_at: nowIso,
    created_by: actorString(actor),
    revoked_at: null,
  };
  await d.sa.transaction(async (tx) => {
    if (!(await tx.getOperator(operatorId))) throw new ShomeiError('notFound', 'No such operator');
    await tx.insertOperatorApiKey(row);
    await tx.appendAudit({ at: nowIso, actor: actorString(actor), action: 'operator.api-key-issued', objectType: 'operator', objectId: operatorId, details: { keyId: row.id, label, allowedCidrs: cidrs, clientCertSha256: fp } });
    await recordNotification(tx, { kind: 'operator.api-key-issued', operatorId, subjectType: 'operator-api-key', subjectId: row.id, payload: { keyId: row.id, label }, atIso: nowIso });
  });
  return { key: apiKeyView(row), token: t.token };
}

export async function listOperatorApiKeys(d: RegistryDeps, operatorId: string): Promise<OperatorApiKeyView[]> {
  if (!(await d.sa.repos.getOperator(operatorId))) throw new ShomeiError('notFound', 'No such operator');
  return (await d.sa.repos.listOperatorApiKeys(operatorId)).map(apiKeyView);
}

/** Revoke one key (AR 4: without downtime — the operator's other keys keep working). */
export async function revokeOperatorApiKey(d: RegistryDeps, operatorId: string, keyId: string, actor: Actor): Promise<OperatorApiKeyView> {
  const nowIso = d.clock.now().toISOString();
  return d.sa.transaction(async (tx) => {
    const key = await tx.getOperatorApiKey(keyId);
    if (!key || key.operator_id !== operatorId) throw new ShomeiError('notFound', 'No such API key');
    if (key.revoked_at !== null) throw new ShomeiError('conflict', 'The API key is already revoked');
    await tx.revokeOperatorApiKeys(operatorId, keyId, nowIso);
    await tx.appendAudit({ at: nowIso, actor: actorString(actor), action: 'operator.api-key-revoked', objectType: 'operator', objectId: operatorId, details: { keyId } });
    await recordNotification(tx, { kind: 'operator.api-key-revoked', operatorId, subjectType: 'operator-api-key', subjectId: keyId, payload: { keyId }, atIso: nowIso });
    return apiKeyView({ ...key, revoked_at: nowIso });
  });
}

export interface OperatorPrincipal {
  operator: OperatorRow;
  keyId: string;
}

/**
 * AR 4: a request that passes the check of the operator's credentials is
 * treated as the operator's own. Checks, in order: token shape, key exists and
 * is not revoked, secret matches (constant time), source address within the
 * key's CIDRs, client certificate pinned by the key. Every failure is the same
 * `unauthorized` to the caller (the reason goes to the log only).
 */
export async function authenticateOperator(
  d: RegistryDeps,
  req: { token: string | undefined; remoteAddress: string; clientCertSha256: string | null },
): Promise<OperatorPrincipal> {
  const fail = (why: string, keyId?: string): never => {
    d.logger.warn({ keyId, remoteAddress: req.remoteAddress, why }, 'operator API authentication failed');
    throw new ShomeiError('unauthorized', 'A valid operator API key is required (Authorization: Bearer <key>)');
  };
  const parsed = req.token === undefined ? undefined : parseApiToken(req.token);
  if (!parsed) return fail('missing or malformed token');
  const key = await d.sa.repos.getOperatorApiKey(parsed.id);
  if (!key || !secretMatches(parsed.secret, key.secret_sha256)) return fail('unknown key or wrong secret', parsed.id);
  if (key.revoked_at !== null) return fail('revoked key', key.id);
  const cidrs = JSON.parse(key.allowed_cidrs) as string[];
  if (cidrs.length > 0 && !ipInCidrs(req.remoteAddress, cidrs)) return fail('source address not allowed', key.id);
  if (key.client_cert_sha256 !== null && key.client_cert_sha256 !== req.clientCertSha256) return fail('client certificate does not match', key.id);
  const operator = await d.sa.repos.getOperator(key.operator_id);
  if (!operator) return fail('operator vanished', key.id);
  // AR 17 / AR 19: a valid key of an operator that may not act is refused with the reason (403).
  const refusal = await operatorAccessRefusal(d.sa.repos, operator.id, d.clock.now());
  if (refusal !== null) {
    d.logger.warn({ keyId: key.id, operatorId: operator.id }, 'operator API call refused: operator may not act');
    throw new ShomeiError('forbidden', refusal);
  }
  return { operator, keyId: key.id };
}
