// A tiny ACME Renewal Information client (RFC 9773) for the tests: the
// Debian lego (4.9.1) and certbot (2.1) have no ARI support. It computes the
// CertID from the certificate itself with @peculiar/asn1-x509 — never with
// Shomei's own code — so a server-side encoding bug cannot hide behind a
// matching client-side one.
import { X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AuthorityKeyIdentifier, Certificate, id_ce_authorityKeyIdentifier } from '@peculiar/asn1-x509';
import { httpsRequest, type RawResponse } from './raw-acme.js';

/** RFC 9773 §4.1: base64url(AKI keyIdentifier) "." base64url(serialNumber DER content octets), unpadded. */
export function certIdOf(certificate: string | Uint8Array): string {
  const der = typeof certificate === 'string' ? new X509Certificate(certificate).raw : Buffer.from(certificate);
  const cert = AsnConvert.parse(der, Certificate);
  const ext = cert.tbsCertificate.extensions?.find((e) => e.extnID === id_ce_authorityKeyIdentifier);
  if (ext === undefined) throw new Error('certificate has no Authority Key Identifier');
  const aki = AsnConvert.parse(ext.extnValue, AuthorityKeyIdentifier);
  if (aki.keyIdentifier === undefined) throw new Error('Authority Key Identifier has no keyIdentifier');
  const keyId = Buffer.from(aki.keyIdentifier.buffer);
  // The INTEGER's content octets as encoded, sign byte included (asn1js keeps them as they are).
  const serial = Buffer.from(cert.tbsCertificate.serialNumber);
  return `${keyId.toString('base64url')}.${serial.toString('base64url')}`;
}

export interface RenewalInfoAnswer {
  status: number;
  response: RawResponse;
  retryAfter: string | undefined;
  /** Present on 200. */
  window?: { start: Date; end: Date };
  explanationURL?: string;
}

export class AriClient {
  constructor(
    /** The directory's `renewalInfo` URL. */
    readonly renewalInfoUrl: string,
    readonly ca: string,
  ) {}

  static async fromDirectory(directoryUrl: string, ca: string): Promise<AriClient> {
    const dir = (await httpsRequest(directoryUrl, { ca })).json();
    const url = dir['renewalInfo'];
    if (typeof url !== 'string') throw new Error('the directory has no renewalInfo URL');
    return new AriClient(url, ca);
  }

  /** RFC 9773 §4.1: unauthenticated GET of `<renewalInfo>/<certID>`. */
  async get(certId: string, method: 'GET' | 'HEAD' | 'POST' = 'GET'): Promise<RenewalInfoAnswer> {
    const response = await httpsRequest(`${this.renewalInfoUrl}/${certId}`, {
      method,
      ca: this.ca,
      ...(method === 'POST' ? { headers: { 'content-type': 'application/jose+json' }, body: '{}' } : {}),
    });
    const retryAfter = response.headers['retry-after'] as string | undefined;
    const out: RenewalInfoAnswer = { status: response.status, response, retryAfter };
    if (response.status !== 200 || method === 'HEAD') return out;
    const body = response.json() as { suggestedWindow?: { start?: unknown; end?: unknown }; explanationURL?: unknown };
    const start = body.suggestedWindow?.start;
    const end = body.suggestedWindow?.end;
    if (typeof start !== 'string' || typeof end !== 'string') throw new Error(`no suggestedWindow in ${response.body}`);
    // RFC 9773 §4.2: RFC 3339 timestamps.
    const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
    if (!rfc3339.test(start) || !rfc3339.test(end)) throw new Error(`window is not RFC 3339: ${response.body}`);
    out.window = { start: new Date(start), end: new Date(end) };
    if (typeof body.explanationURL === 'string') out.explanationURL = body.explanationURL;
    return out;
  }
}
