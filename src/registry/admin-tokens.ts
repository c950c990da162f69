import { ShomeiError } from '../core/errors.js';
import { newApiToken, parseApiToken, secretMatches } from '../core/api-token.js';
import { checkText } from './contacts.js';
import { actorString, type Actor, type RegistryDeps } from './types.js';

export interface AdminTokenView {
  id: string;
  name: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}

/** Mint an admin API token for a staff member; `name` becomes the actor in the audit trail. */
export async function createAdminToken(d: RegistryDeps, input: { name?: unknown }, actor: Actor): Promise<{ token: string; view: AdminTokenView }> {
  const name = checkText(input.name, 'name', { max: 64 }) as string;
  if (!/^[A-Za-z0-9._@-]+$/.test(name)) throw new ShomeiError('malformed', 'name may contain letters, digits and . _ @ - only');
  const t = newApiToken('at');
  const nowIso = d.clock.now().toISOString();
  const view: AdminTokenView = { id: t.id, name, createdAt: nowIso, createdBy: actorString(actor), revokedAt: null };
  await d.sa.transaction(async (tx) => {
    await tx.insertAdminToken({ id: t.id, name, secret_sha256: t.secretSha256, created_at: nowIso, created_by: view.createdBy, revoked_at: null });
    await tx.appendAudit({ at: nowIso, actor: view.createdBy, action: 'admin-token.created', objectType: 'admin-token', objectId: t.id, details: { name } });
  });
  return { token: t.token, view };
}

export async function listAdminTokens(d: RegistryDeps): Promise<AdminTokenView[]> {
  return (await d.sa.repos.listAdminTokens()).map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, createdBy: r.created_by, revokedAt: r.revoked_at }));
}

export async function revokeAdminToken(d: RegistryDeps, id: string, actor: Actor): Promise<void> {
  const nowIso = d.clock.now().toISOString();
  await d.sa.transaction(async (tx) => {
    if (!(await tx.revokeAdminToken(id, nowIso))) throw new ShomeiError('notFound', 'No active admin token with that id');
    await tx.appendAudit({ at: nowIso, actor: actorString(actor), action: 'admin-token.revoked', objectType: 'admin-token', objectId: id });
  });
}

/** Check an admin bearer token; returns the staff member as an actor. */
export async function authenticateAdmin(d: RegistryDeps, token: string | undefined): Promise<Actor & { kind: 'admin' }> {
  const parsed = token === undefined ? undefined : parseApiToken(token);
  const row = parsed ? await d.sa.repos.getAdminToken(parsed.id) : undefined;
  if (!parsed || !row || row.revoked_at !== null || !secretMatches(parsed.secret, row.secret_sha256)) {
    throw new ShomeiError('unauthorized', 'A valid admin token is required (Authorization: Bearer <token>)');
  }
  return { kind: 'admin', name: row.name };
}
