/**
 * Derived views of a linted certificate that several rules share: the SAN's
 * names, the subject's commonNames, the validity period, the DNS name shape.
 */
import { MAX_NAME_LENGTH, ldhLabelProblem, splitWildcard } from '../core/dns-name.js';
import type { LintAttribute, LintedCertificate } from './certificate.js';
import { GN_DNS_NAME, OID, decodeSubjectAltName, extensionValue, type GeneralNameValue } from './extension-values.js';
import type { LintTarget } from './types.js';

export const OID_COMMON_NAME = '2.5.4.3';

/** The GeneralNames of the (first) subjectAltName; undefined when absent or undecodable. */
export function sanGeneralNames(cert: LintedCertificate): GeneralNameValue[] | undefined {
  return extensionValue(cert, OID.subjectAltName, decodeSubjectAltName)?.value;
}

/** The SAN dNSNames as their IA5String characters, in order ([] without a SAN). */
export function sanDnsNames(cert: LintedCertificate): string[] {
  return (sanGeneralNames(cert) ?? []).filter((g) => g.tag === GN_DNS_NAME).map((g) => Buffer.from(g.value).toString('latin1'));
}

/** Every commonName attribute of the subject. */
export function commonNames(cert: LintedCertificate): LintAttribute[] {
  return cert.subjectRdns.flat().filter((a) => a.oid === OID_COMMON_NAME);
}

/** True when the subject is the empty Name (no RDNs). */
export function subjectIsEmpty(cert: LintedCertificate): boolean {
  return cert.subjectRdns.length === 0;
}

/**
 * BR §6.3.2 / RFC 5280 §4.1.2.5: the validity period in seconds, both ends
 * inclusive (notAfter − notBefore + 1 s); undefined when a time is unreadable.
 */
export function validityPeriodSeconds(t: LintTarget): number | undefined {
  const nb = t.cert.notBefore.date;
  const na = t.cert.notAfter.date;
  if (nb === undefined || na === undefined) return undefined;
  return (na.getTime() - nb.getTime()) / 1000 + 1;
}

/**
 * Why `name` is not an LDH dNSName of the shape BR §7.1.2.7.12 allows (case
 * aside: upper case has its own rule), or null. RFC 1035 §2.3.1 / RFC 5280
 * §4.2.1.6: ASCII LDH labels of 1–63 octets, at most 253 octets, no trailing
 * dot; a wildcard only as the whole leftmost label `*.`.
 */
export function dnsNameSyntaxProblem(name: string): string | null {
  if (name.length === 0) return 'is empty';
  if (/[^\x21-\x7e]/.test(name)) return 'contains non-printable or non-ASCII characters';
  if (name.length > MAX_NAME_LENGTH) return `is longer than ${MAX_NAME_LENGTH} characters`;
  if (name.endsWith('.')) return 'has a trailing dot';
  if (name.split('.').length < 2) return 'is not a fully-qualified domain name';
  const { base } = splitWildcard(name);
  if (base.includes('*')) return 'has a wildcard that is not the whole leftmost label';
  for (const label of base.toLowerCase().split('.')) {
    const problem = ldhLabelProblem(label);
    if (problem !== null) return `has a label "${label}" that is not an LDH label (${problem})`;
  }
  return null;
}

/** The SAN dNSNames that have the right shape (the other name rules only judge these). */
export function wellFormedDnsNames(cert: LintedCertificate): string[] {
  return sanDnsNames(cert).filter((n) => dnsNameSyntaxProblem(n) === null);
}
