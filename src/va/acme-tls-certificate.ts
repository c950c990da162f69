/**
 * The certificate checks of tls-alpn-01 (RFC 8737 §3; BR §3.2.2.4.20), on
 * the raw DER the server presented. The certificate's signature and chain are
 * deliberately not checked: it is self-signed by design.
 *
 * Error kinds: a certificate of the wrong shape (SAN, missing or non-critical
 * extension) is `unauthorized` as in Boulder; the right shape carrying the
 * wrong digest is `incorrectResponse`, like a wrong http-01 body.
 */
import { createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, SubjectAlternativeName, id_ce_subjectAltName } from '@peculiar/asn1-x509';
import { ShomeiError } from '../core/errors.js';

/** RFC 8737 §6.1: id-pe-acmeIdentifier. */
export const ID_PE_ACME_IDENTIFIER = '1.3.6.1.5.5.7.1.31';

const PREFIX = 'Incorrect validation certificate for tls-alpn-01 challenge.';

/**
 * RFC 8737 §3: the extnValue of id-pe-acmeIdentifier is the DER encoding of
 * `Authorization ::= OCTET STRING (SIZE (32))` holding SHA-256 of the key
 * authorization: 0x04 0x20 followed by the 32 digest bytes.
 */
export function expectedAcmeIdentifierValue(keyAuthorization: string): Buffer {
  const digest = createHash('sha256').update(keyAuthorization, 'utf8').digest();
  return Buffer.concat([Buffer.from([0x04, 0x20]), digest]);
}

function unauthorized(detail: string): ShomeiError {
  return new ShomeiError('unauthorized', `${PREFIX} ${detail}`);
}

export function checkAcmeTlsCertificate(der: Uint8Array, domain: string, keyAuthorization: string): void {
  let cert: Certificate;
  try {
    cert = AsnConvert.parse(der, Certificate);
  } catch (e) {
    throw new ShomeiError('tls', `${PREFIX} The certificate presented for ${domain} cannot be parsed`, { cause: e });
  }
  const extensions = cert.tbsCertificate.extensions ?? [];

  // RFC 8737 §3: "a subjectAltName extension containing the dNSName being
  // validated and no other entries".
  const sanExts = extensions.filter((e) => e.extnID === id_ce_subjectAltName);
  if (sanExts.length !== 1) {
    throw unauthorized(`Requested ${domain}; the certificate has ${sanExts.length} subjectAltName extensions, expected 1.`);
  }
  let names: SubjectAlternativeName;
  try {
    names = AsnConvert.parse(sanExts[0]!.extnValue.buffer, SubjectAlternativeName);
  } catch (e) {
    throw new ShomeiError('tls', `${PREFIX} The subjectAltName extension cannot be parsed`, { cause: e });
  }
  const dnsNames = names.map((n) => n.dNSName).filter((n): n is string => n !== undefined);
  const only = names.length === 1 ? names[0]!.dNSName : undefined;
  if (only === undefined || only.toLowerCase() !== domain.toLowerCase()) {
    const got = dnsNames.length > 0 ? dnsNames.join(', ') : 'no dNSName';
    throw unauthorized(
      `Requested ${domain}; received a certificate with ${names.length} subjectAltName entries (${got}); expected exactly the dNSName ${domain}.`,
    );
  }

  // RFC 8737 §3: the acmeIdentifier extension MUST be present and critical.
  const acme = extensions.filter((e) => e.extnID === ID_PE_ACME_IDENTIFIER);
  if (acme.length === 0) throw unauthorized('Missing acmeIdentifier extension (1.3.6.1.5.5.7.1.31).');
  if (acme.length > 1) throw unauthorized('More than one acmeIdentifier extension (RFC 5280 §4.2).');
  if (!acme[0]!.critical) throw unauthorized('The acmeIdentifier extension is not marked critical.');

  const got = Buffer.from(acme[0]!.extnValue.buffer);
  const want = expectedAcmeIdentifierValue(keyAuthorization);
  if (!got.equals(want)) {
    throw new ShomeiError(
      'incorrectResponse',
      `${PREFIX} The acmeIdentifier extension value does not match: expected ${want.subarray(2).toString('hex')}, got ${got.toString('hex').slice(0, 100)}`,
    );
  }
}
