/**
 * Build and sign one CRL shard: a DER CertificateList v2 (RFC 5280 §5) with
 * the BR §7.2 profile.
 *
 *   TBSCertList ::= SEQUENCE { version v2, signature, issuer, thisUpdate,
 *     nextUpdate, revokedCertificates (omitted when empty),
 *     [0] EXPLICIT crlExtensions { authorityKeyIdentifier, cRLNumber,
 *     issuingDistributionPoint (critical) } }
 *
 * The envelope SEQUENCE { tbs, signatureAlgorithm, BIT STRING } is the same
 * as a certificate's (RFC 5280 §5.1.1 / §4.1.1), so signing goes through
 * `signTbs`, which also verifies the signature with the CA's public key
 * before the CRL leaves this function.
 */
import { encodeConstructed, encodeOid, encodeTime, encodeTlv, encodeUnsignedInteger, minimalUnsignedIntegerContent } from '../ca/der.js';
import type { IssuingCa } from '../ca/issuing-ca.js';
import { signTbs, signerAlgorithmDer } from '../ca/sign-certificate.js';
import { authorityKeyIdentifier, derOf, distributionPointFullNameDer, extensionDer } from '../ca/x509-extensions.js';
import { canonicalSerialHex } from '../core/serial-number.js';

/**
 * BR §7.2.2 CRLReasons for subscriber certificates: unspecified (0, written
 * as no reasonCode), keyCompromise (1), affiliationChanged (3), superseded
 * (4), cessationOfOperation (5), privilegeWithdrawn (9). certificateHold (6)
 * MUST NOT be used; no other code is listed.
 */
export const CRL_REASONS = [0, 1, 3, 4, 5, 9] as const;

/** BR §4.9.7: nextUpdate − thisUpdate of a subscriber-certificate CRL is at most 10 days. */
export const MAX_CRL_VALIDITY_MS = 10 * 24 * 3600 * 1000;

/** BR §7.2.2: 0 ≤ cRLNumber < 2^159 (at most 20 octets). */
const CRL_NUMBER_LIMIT = 1n << 159n;

export interface CrlEntry {
  /** Certificate serial, hex (with or without a 00 sign byte). */
  serialHex: string;
  revokedAt: Date;
  /** CRLReason; 0 = unspecified. */
  reason: number;
}

export interface CrlInput {
  /** The issuing CA: subject (the CRL's issuer, byte for byte), key identifier (AKI) and signer. */
  ca: Pick<IssuingCa, 'subjectDer' | 'keyIdentifier' | 'signer'>;
  crlNumber: bigint;
  thisUpdate: Date;
  nextUpdate: Date;
  /** The shard's URL: the IDP fullName, byte-identical to the CRL DP of the certificates it covers (BR §7.2.2.1). */
  idpUrl: string;
  entries: readonly CrlEntry[];
}

const VERSION_V2 = Uint8Array.of(0x02, 0x01, 0x01); // Version v2 = INTEGER 1 (RFC 5280 §5.1.2.1)
const DER_TRUE_IMPLICIT_1 = Uint8Array.of(0x81, 0x01, 0xff); // onlyContainsUserCerts [1] IMPLICIT BOOLEAN TRUE
const OID_REASON_CODE_DER = encodeOid('2.5.29.21');
const OID_CRL_NUMBER_DER = encodeOid('2.5.29.20');
const OID_IDP_DER = encodeOid('2.5.29.28');

/** BR §7.2.2: 0 ≤ n < 2^159. */
function assertCrlNumber(n: bigint): void {
  if (n < 0n || n >= CRL_NUMBER_LIMIT) throw new Error(`CRL number ${n} is outside 0 ≤ n < 2^159`);
}

/** RFC 5280 §5.1.2.5: nextUpdate after thisUpdate; BR §4.9.7: at most 10 days later (whole seconds, as encoded). */
function assertUpdateWindow(thisUpdate: Date, nextUpdate: Date): void {
  const from = Math.floor(thisUpdate.getTime() / 1000);
  const to = Math.floor(nextUpdate.getTime() / 1000);
  if (!(to > from)) throw new Error('CRL nextUpdate must be later than thisUpdate');
  if ((to - from) * 1000 > MAX_CRL_VALIDITY_MS) throw new Error('CRL nextUpdate is more than 10 days after thisUpdate (BR §4.9.7)');
}

/** BR §7.2.2: only the listed CRLReasons. */
function assertReason(reason: number): void {
  if (!(CRL_REASONS as readonly number[]).includes(reason)) throw new Error(`CRLReason ${reason} is not allowed on a subscriber CRL (BR §7.2.2)`);
}

/** Serial INTEGER content: positive, minimal, ≤ 20 octets — the certificate's own encoding (BR §7.2.2: byte-identical). */
function serialContent(serialHex: string): Uint8Array {
  const canonical = canonicalSerialHex(serialHex);
  if (!/^[0-9a-f]+$/.test(canonical) || /^0+$/.test(canonical)) throw new Error(`not a certificate serial: ${JSON.stringify(serialHex)}`);
  const content = minimalUnsignedIntegerContent(Buffer.from(canonical, 'hex'));
  if (content.length > 20) throw new Error(`certificate serial ${serialHex} is longer than 20 octets`);
  return content;
}

function bigintMagnitude(n: bigint): Uint8Array {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 === 1 ? `0${hex}` : hex, 'hex');
}

/**
 * One revokedCertificates entry: serial, revocationDate and — unless the
 * reason is unspecified — the non-critical reasonCode entry extension
 * (ENUMERATED; BR §7.2.2: absent for unspecified).
 */
function entryDer(e: CrlEntry): Uint8Array {
  assertReason(e.reason);
  const parts = [encodeTlv(0x02, serialContent(e.serialHex)), encodeTime(e.revokedAt)];
  if (e.reason !== 0) {
    const reasonCode = extensionDer(OID_REASON_CODE_DER, false, Uint8Array.of(0x0a, 0x01, e.reason));
    parts.push(encodeConstructed(0x30, [reasonCode]));
  }
  return encodeConstructed(0x30, parts);
}

/**
 * issuingDistributionPoint (RFC 5280 §5.2.5), critical (BR §7.2.2: MUST in
 * partitioned CRLs): distributionPoint fullName = the shard URL,
 * onlyContainsUserCerts TRUE; indirectCRL / onlyContainsAttributeCerts
 * FALSE (omitted as DEFAULT), no onlySomeReasons (BR §7.2.2.1).
 */
function issuingDistributionPointDer(url: string): Uint8Array {
  return extensionDer(OID_IDP_DER, true, encodeConstructed(0x30, [distributionPointFullNameDer(url), DER_TRUE_IMPLICIT_1]));
}

/** The DER TBSCertList for `input`, signed with `signatureAlgorithm` (DER AlgorithmIdentifier). */
export function encodeTbsCertList(input: CrlInput, signatureAlgorithm: Uint8Array): Uint8Array {
  assertCrlNumber(input.crlNumber);
  assertUpdateWindow(input.thisUpdate, input.nextUpdate);
  const seen = new Set<string>();
  const entries = [...input.entries]
    .map((e) => ({ ...e, serialHex: canonicalSerialHex(e.serialHex) }))
    .sort((a, b) => (a.serialHex.length - b.serialHex.length) || (a.serialHex < b.serialHex ? -1 : a.serialHex > b.serialHex ? 1 : 0));
  for (const e of entries) {
    if (seen.has(e.serialHex)) throw new Error(`certificate serial ${e.serialHex} is listed twice`);
    seen.add(e.serialHex);
  }
  const extensions = [
    derOf(authorityKeyIdentifier(input.ca.keyIdentifier)), // BR §7.2.2: keyIdentifier of the issuer, non-critical
    extensionDer(OID_CRL_NUMBER_DER, false, encodeUnsignedInteger(bigintMagnitude(input.crlNumber))), // BR §7.2.2: non-critical
    issuingDistributionPointDer(input.idpUrl),
  ];
  const parts = [
    VERSION_V2,
    signatureAlgorithm,
    input.ca.subjectDer, // BR §7.2: byte-identical to the CA's subject
    encodeTime(input.thisUpdate),
    encodeTime(input.nextUpdate),
  ];
  // RFC 5280 §5.1.2.6: absent (not an empty SEQUENCE) when nothing is revoked.
  if (entries.length > 0) parts.push(encodeConstructed(0x30, entries.map(entryDer)));
  parts.push(encodeConstructed(0xa0, [encodeConstructed(0x30, extensions)]));
  return encodeConstructed(0x30, parts);
}

/** Build, sign and verify one CRL; returns the CertificateList DER. */
export async function buildCrl(input: CrlInput): Promise<Uint8Array> {
  const tbs = encodeTbsCertList(input, signerAlgorithmDer(input.ca.signer));
  return signTbs(tbs, input.ca.signer);
}
