/**
 * ARI certificate identifiers (RFC 9773 §4.1): the base64url of the
 * keyIdentifier of the certificate's Authority Key Identifier extension, ".",
 * and the base64url of the DER content octets of its serialNumber INTEGER
 * (leading 0x00 sign byte included), both without "=" padding. Used as the
 * path of the renewalInfo resource and as the `replaces` field of newOrder.
 *
 * Parsing is strict: a CertID names one certificate in exactly one spelling,
 * so the text stored in `orders.replaces` can be compared as a string.
 */
import { ShomeiError } from '../core/errors.js';
import { canonicalSerialHex } from '../core/serial-number.js';
import { DerError, children, contentOf, decodeOid, expectTag, readTlv, readWhole, type Tlv } from './der.js';
import { isValidSerialHex } from './serial.js';

export interface CertId {
  /** AKI keyIdentifier of the certificate = subjectKeyIdentifier of its issuing CA. */
  keyIdentifier: Uint8Array;
  /** DER INTEGER content octets of the certificate's serialNumber (minimal, positive). */
  serial: Uint8Array;
}

/** RFC 5280 §4.2.1.1 id-ce-authorityKeyIdentifier. */
const OID_AUTHORITY_KEY_IDENTIFIER = '2.5.29.35';
/** Longest keyIdentifier accepted (RFC 7093 methods give at most 64 octets, SHA-512). */
const MAX_KEY_IDENTIFIER_OCTETS = 64;

/**
 * Strict unpadded base64url (RFC 4648 §5): URL-safe alphabet only, no "=",
 * and canonical (the unused low bits of the last character are zero), so a
 * value has exactly one spelling.
 */
function decodeStrictB64u(part: string, what: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]+$/.test(part) || part.length % 4 === 1) {
    throw new ShomeiError('malformed', `CertID ${what} is not unpadded base64url (RFC 9773 §4.1)`);
  }
  const bytes = Buffer.from(part, 'base64url');
  if (bytes.toString('base64url') !== part) throw new ShomeiError('malformed', `CertID ${what} is not canonical base64url`);
  return new Uint8Array(bytes);
}

/**
 * Parse a CertID (RFC 9773 §4.1). Throws `malformed` unless it is two
 * unpadded base64url parts joined by one "." — a non-empty keyIdentifier and
 * the content octets of a positive, minimally encoded INTEGER of at most 20
 * octets (RFC 5280 §4.1.2.2), i.e. with the 0x00 sign byte exactly when the
 * top bit of the value is set.
 */
export function parseCertId(text: string): CertId {
  const parts = text.split('.');
  if (parts.length !== 2) throw new ShomeiError('malformed', 'A CertID is "<AKI keyIdentifier>.<serial>" in base64url (RFC 9773 §4.1)');
  const keyIdentifier = decodeStrictB64u(parts[0] as string, 'keyIdentifier');
  if (keyIdentifier.length > MAX_KEY_IDENTIFIER_OCTETS) throw new ShomeiError('malformed', 'CertID keyIdentifier is too long');
  const serial = decodeStrictB64u(parts[1] as string, 'serial');
  if (!isValidSerialHex(Buffer.from(serial).toString('hex'))) {
    throw new ShomeiError('malformed', 'CertID serial must be the DER content octets of a positive, minimally encoded INTEGER of at most 20 octets');
  }
  return { keyIdentifier, serial };
}

/** The CertID text (RFC 9773 §4.1), unpadded base64url. */
export function formatCertId(id: CertId): string {
  return `${Buffer.from(id.keyIdentifier).toString('base64url')}.${Buffer.from(id.serial).toString('base64url')}`;
}

/** The serial as stored in `certificates.serial` (lower-case hex without the sign byte). */
export function certIdSerialHex(id: CertId): string {
  return canonicalSerialHex(Buffer.from(id.serial).toString('hex'));
}

/** The fields of tbsCertificate (RFC 5280 §4.1), with the index of serialNumber. */
function tbsFields(der: Uint8Array): { fields: Tlv[]; serialIndex: number } {
  const cert = readWhole(der);
  const tbs = expectTag(children(der, cert)[0], 0x30, 'tbsCertificate');
  const fields = children(der, tbs);
  return { fields, serialIndex: fields[0]?.tag === 0xa0 ? 1 : 0 };
}

/** RFC 5280 §4.2.1.1: the keyIdentifier ([0] IMPLICIT OCTET STRING) of an AuthorityKeyIdentifier value. */
function keyIdentifierOfAki(der: Uint8Array, extnValue: Tlv): Uint8Array | undefined {
  const aki = readTlv(der, extnValue.contentStart, extnValue.end);
  if (aki.end !== extnValue.end) throw new DerError('trailing bytes after AuthorityKeyIdentifier');
  const keyId = children(der, expectTag(aki, 0x30, 'AuthorityKeyIdentifier')).find((t) => t.tag === 0x80);
  return keyId === undefined ? undefined : Uint8Array.from(contentOf(der, keyId));
}

/** The keyIdentifier of a certificate's Authority Key Identifier extension, or undefined without one. */
export function authorityKeyIdentifierOf(der: Uint8Array): Uint8Array | undefined {
  const { fields } = tbsFields(der);
  const extensions = fields.find((t) => t.tag === 0xa3);
  if (extensions === undefined) return undefined;
  const list = expectTag(children(der, extensions)[0], 0x30, 'Extensions');
  for (const ext of children(der, list)) {
    const [oid, ...rest] = children(der, expectTag(ext, 0x30, 'Extension'));
    if (decodeOid(contentOf(der, expectTag(oid, 0x06, 'extnID'))) !== OID_AUTHORITY_KEY_IDENTIFIER) continue;
    return keyIdentifierOfAki(der, expectTag(rest[rest.length - 1], 0x04, 'extnValue'));
  }
  return undefined;
}

/** The DER content octets of a certificate's serialNumber. */
export function serialContentOf(der: Uint8Array): Uint8Array {
  const { fields, serialIndex } = tbsFields(der);
  return Uint8Array.from(contentOf(der, expectTag(fields[serialIndex], 0x02, 'serialNumber')));
}

/** The CertID of a certificate (DER). Throws DerError when it has no AKI keyIdentifier. */
export function certIdOfCertificate(der: Uint8Array): CertId {
  const keyIdentifier = authorityKeyIdentifierOf(der);
  if (keyIdentifier === undefined) throw new DerError('the certificate has no Authority Key Identifier keyIdentifier');
  return { keyIdentifier, serial: serialContentOf(der) };
}
