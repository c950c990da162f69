// ACME as a subscriber in the agency suites: an account bound with the
// subscriber's EAB credentials, orders answered with dns-01 through the
// fixture's test DNS server, finalize with a fresh CSR.
import { createHash } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import type { AgencyFixture } from './agency-fixture.js';
import { makeCsr } from './csr.js';
import { eabJws, newAccountKey, type AccountKey, type RawResponse } from './raw-acme.js';
export type Eab = { kid: string; hmacKey: string };
export type Acct = { key: AccountKey; url: string; id: string };

export async function newAccountWith(f: AgencyFixture, eab: Eab): Promise<{ r: RawResponse; key: AccountKey }> {
  const key = await newAccountKey();
  const url = f.acme.directory['newAccount'] as string;
  const r = await f.acme.signed(url, key, { termsOfServiceAgreed: true, externalAccountBinding: eabJws(key.jwk, eab.kid, eab.hmacKey, url) }, { jwk: key.jwk });
  return { r, key };
}

export async function account(f: AgencyFixture, eab: Eab): Promise<Acct> {
  const { r, key } = await newAccountWith(f, eab);
  if (r.status !== 201) throw new Error(`newAccount failed: ${r.status} ${r.body}`);
  const url = r.headers['location'] as string;
  return { key, url, id: url.split('/').pop() as string };
}

export const post = (f: AgencyFixture, a: Acct, url: string, payload: unknown) => f.acme.signed(url, a.key, payload, { kid: a.url });
export const newOrder = (f: AgencyFixture, a: Acct, names: string[]) =>
  post(f, a, f.acme.directory['newOrder'] as string, { identifiers: names.map((value) => ({ type: 'dns', value })) });

/** Answer every pending authorization of the order with dns-01 through the test DNS server. */
export async function authorize(f: AgencyFixture, a: Acct, order: Record<string, unknown>): Promise<void> {
  const tp = await calculateJwkThumbprint(a.key.jwk, 'sha256');
  const txt = new Map<string, string[]>();
  const pending: string[] = [];
  for (const authzUrl of order['authorizations'] as string[]) {
    const authz = (await post(f, a, authzUrl, '')).json() as { status: string; identifier: { value: string }; challenges: { type: string; url: string; token: string }[] };
    if (authz.status !== 'pending') continue;
    const ch = authz.challenges.find((c) => c.type === 'dns-01');
    if (!ch) throw new Error('no dns-01 challenge');
    const name = `_acme-challenge.${authz.identifier.value}`;
    // *.x and x share one TXT name: publish both values together.
    txt.set(name, [...(txt.get(name) ?? []), createHash('sha256').update(`${ch.token}.${tp}`).digest('base64url')]);
    pending.push(ch.url);
  }
  for (const [name, values] of txt) f.dns.setTxt(name, values);
  for (const url of pending) {
    const r = await post(f, a, url, {});
    if (r.status !== 200) throw new Error(`challenge failed: ${r.status} ${r.body}`);
  }
  await f.shomei.inst.ra.drain();
}

/** newOrder, then dns-01 for every name: the order, status ready. */
export async function readyOrder(f: AgencyFixture, a: Acct, names: string[]): Promise<{ url: string; id: string; body: Record<string, unknown> }> {
  const r = await newOrder(f, a, names);
  if (r.status !== 201) throw new Error(`newOrder failed: ${r.status} ${r.body}`);
  const url = r.headers['location'] as string;
  await authorize(f, a, r.json());
  const body = (await post(f, a, url, '')).json();
  if (body['status'] !== 'ready') throw new Error(`order not ready: ${JSON.stringify(body)}`);
  return { url, id: url.split('/').pop() as string, body };
}

export const finalize = async (f: AgencyFixture, a: Acct, order: { body: Record<string, unknown> }, names: string[]) =>
  post(f, a, order.body['finalize'] as string, { csr: (await makeCsr(names)).csrB64u });

/** Issue a certificate for `names` at the fixture clock's time; returns its serial. */
export async function issue(f: AgencyFixture, a: Acct, names: string[]): Promise<string> {
  const order = await readyOrder(f, a, names);
  const r = await finalize(f, a, order, names);
  if (r.status !== 200 || r.json()['status'] !== 'valid') throw new Error(`finalize failed: ${r.status} ${r.body}`);
  const serial = (await f.shomei.inst.sa.repos.getOrder(order.id))?.certificate_serial;
  if (!serial) throw new Error('no certificate serial on the order');
  return serial;
}
