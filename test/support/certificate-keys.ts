// Certificates whose key the test chooses (several certificates on one key,
// across accounts), and JWS signing with a certificate key (RFC 8555 §7.6
// revokeCert in the `jwk` form) — for the key-compromise and bulk-revocation
// suites. Issuance goes through the real ACME stack (agency-acme.ts).
import { createPrivateKey, createPublicKey } from 'node:crypto';
import acme from 'acme-client';
import { exportJWK } from 'jose';
import type { AgencyFixture } from './agency-fixture.js';
import { post, readyOrder, type Acct } from './agency-acme.js';
import { makeCsr } from './csr.js';
import type { AccountKey, RawResponse } from './raw-acme.js';

/** A fresh P-256 private key (PEM). */
export async function newCertificateKey(): Promise<Buffer> {
  return acme.crypto.createPrivateEcdsaKey('P-256');
}

/** The certificate key as a JWS signing key (ES256, public `jwk`). */
export async function keySigner(keyPem: Buffer): Promise<AccountKey> {
  const privateKey = createPrivateKey(keyPem);
  return { alg: 'ES256', privateKey, jwk: await exportJWK(createPublicKey(privateKey)) };
}

/** Order, validate and finalize `names` for `a` with a CSR for `keyPem`; the raw finalize response. */
export async function finalizeWithKey(f: AgencyFixture, a: Acct, names: string[], keyPem: Buffer): Promise<{ r: RawResponse; orderId: string }> {
  const order = await readyOrder(f, a, names);
  const r = await post(f, a, order.body['finalize'] as string, { csr: (await makeCsr(names, 'P-256', keyPem)).csrB64u });
  return { r, orderId: order.id };
}

/** Issue a certificate for `names` on `keyPem`; its serial and DER (base64url, as revokeCert takes it). */
export async function issueWithKey(f: AgencyFixture, a: Acct, names: string[], keyPem: Buffer): Promise<{ serial: string; der: string }> {
  const { r, orderId } = await finalizeWithKey(f, a, names, keyPem);
  if (r.status !== 200 || r.json()['status'] !== 'valid') throw new Error(`finalize failed: ${r.status} ${r.body}`);
  const serial = (await f.shomei.inst.sa.repos.getOrder(orderId))?.certificate_serial;
  if (!serial) throw new Error('no certificate serial on the order');
  const row = await f.shomei.inst.sa.repos.getCertificate(serial);
  if (!row) throw new Error(`certificate ${serial} not stored`);
  return { serial, der: Buffer.from(row.der, 'base64').toString('base64url') };
}

/** RFC 8555 §7.6 revokeCert signed with the certificate key itself. */
export async function revokeWithKey(f: AgencyFixture, keyPem: Buffer, der: string, reason?: number): Promise<RawResponse> {
  const signer = await keySigner(keyPem);
  return f.acme.signed(f.acme.directory['revokeCert'] as string, signer, { certificate: der, ...(reason === undefined ? {} : { reason }) }, { jwk: signer.jwk });
}

/** RFC 8555 §7.6 revokeCert signed by an account (`kid`). */
export function revokeAsAccount(f: AgencyFixture, a: Acct, der: string, reason?: number): Promise<RawResponse> {
  return post(f, a, f.acme.directory['revokeCert'] as string, { certificate: der, ...(reason === undefined ? {} : { reason }) });
}
