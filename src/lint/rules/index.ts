/**
 * Every pre-issuance lint rule, one per file (one check per function), in
 * the order findings are reported: structure, top-level fields, validity,
 * subject, SAN, extensions, key, CT.
 */
import type { LintRule } from '../types.js';
import { derInvalid } from './der-invalid.js';
import { versionNotV3 } from './version-not-v3.js';
import { serialNotPositive } from './serial-not-positive.js';
import { serialLowEntropy } from './serial-low-entropy.js';
import { serialTooLong } from './serial-too-long.js';
import { serialNotMinimal } from './serial-not-minimal.js';
import { signatureAlgorithmMismatch } from './signature-algorithm-mismatch.js';
import { signatureAlgorithmNotAllowed } from './signature-algorithm-not-allowed.js';
import { signatureAlgorithmIssuerKey } from './signature-algorithm-issuer-key.js';
import { issuerNameMismatch } from './issuer-name-mismatch.js';
import { uniqueIdPresent } from './unique-id-present.js';
import { validityTimeFormat } from './validity-time-format.js';
import { validityTimeEncoding } from './validity-time-encoding.js';
import { validityReversed } from './validity-reversed.js';
import { validityTooLong } from './validity-too-long.js';
import { notBeforeFarFromSigning } from './not-before-far-from-signing.js';
import { subjectAttributeNotAllowed } from './subject-attribute-not-allowed.js';
import { subjectRdnStructure } from './subject-rdn-structure.js';
import { subjectCnNotInSan } from './subject-cn-not-in-san.js';
import { subjectCnStringType } from './subject-cn-string-type.js';
import { subjectCnTooLong } from './subject-cn-too-long.js';
import { sanMissing } from './san-missing.js';
import { sanEmpty } from './san-empty.js';
import { sanCriticality } from './san-criticality.js';
import { sanNotDnsName } from './san-not-dns-name.js';
import { sanDnsNameSyntax } from './san-dns-name-syntax.js';
import { sanDnsNameUpperCase } from './san-dns-name-upper-case.js';
import { sanDnsNameReservedLabel } from './san-dns-name-reserved-label.js';
import { sanDnsNameIpAddress } from './san-dns-name-ip-address.js';
import { sanInternalName } from './san-internal-name.js';
import { sanReverseDnsName } from './san-reverse-dns-name.js';
import { sanWildcardPublicSuffix } from './san-wildcard-public-suffix.js';
import { sanDuplicateName } from './san-duplicate-name.js';
import { keyUsageMissing } from './key-usage-missing.js';
import { keyUsageNotCritical } from './key-usage-not-critical.js';
import { keyUsageNoDigitalSignature } from './key-usage-no-digital-signature.js';
import { keyUsageKeyEnciphermentNonRsa } from './key-usage-key-encipherment-non-rsa.js';
import { keyUsageOtherBits } from './key-usage-other-bits.js';
import { ekuMissing } from './eku-missing.js';
import { ekuCritical } from './eku-critical.js';
import { ekuNoServerAuth } from './eku-no-server-auth.js';
import { ekuClientAuth } from './eku-client-auth.js';
import { ekuForbiddenPurpose } from './eku-forbidden-purpose.js';
import { ekuOtherPurpose } from './eku-other-purpose.js';
import { basicConstraintsNotCritical } from './basic-constraints-not-critical.js';
import { basicConstraintsCa } from './basic-constraints-ca.js';
import { basicConstraintsPathLen } from './basic-constraints-path-len.js';
import { akiMissing } from './aki-missing.js';
import { akiCritical } from './aki-critical.js';
import { akiNotKeyIdOnly } from './aki-not-key-id-only.js';
import { akiMismatch } from './aki-mismatch.js';
import { skiPresent } from './ski-present.js';
import { skiCritical } from './ski-critical.js';
import { policiesMissing } from './policies-missing.js';
import { policiesCritical } from './policies-critical.js';
import { policiesNotExactlyDv } from './policies-not-exactly-dv.js';
import { policiesAnyPolicy } from './policies-any-policy.js';
import { policiesUndocumentedOid } from './policies-undocumented-oid.js';
import { policiesDuplicateOid } from './policies-duplicate-oid.js';
import { policiesQualifierNotHttpCps } from './policies-qualifier-not-http-cps.js';
import { policiesQualifierPresent } from './policies-qualifier-present.js';
import { aiaMissing } from './aia-missing.js';
import { aiaCritical } from './aia-critical.js';
import { aiaAccessMethodNotAllowed } from './aia-access-method-not-allowed.js';
import { aiaLocationNotHttpUrl } from './aia-location-not-http-url.js';
import { aiaDuplicateLocation } from './aia-duplicate-location.js';
import { aiaNoCaIssuers } from './aia-no-ca-issuers.js';
import { crlDpMissing } from './crl-dp-missing.js';
import { crlDpCritical } from './crl-dp-critical.js';
import { crlDpNotOnePoint } from './crl-dp-not-one-point.js';
import { crlDpFields } from './crl-dp-fields.js';
import { crlDpNotHttpUrl } from './crl-dp-not-http-url.js';
import { spkiAlgorithmNotAllowed } from './spki-algorithm-not-allowed.js';
import { spkiKeyInvalid } from './spki-key-invalid.js';
import { rsaModulusSize } from './rsa-modulus-size.js';
import { rsaPublicExponent } from './rsa-public-exponent.js';
import { extensionNotAllowed } from './extension-not-allowed.js';
import { extensionUnknownCritical } from './extension-unknown-critical.js';
import { extensionDuplicate } from './extension-duplicate.js';
import { extensionValueMalformed } from './extension-value-malformed.js';
import { ctPoisonMissing } from './ct-poison-missing.js';
import { ctPoisonNotCritical } from './ct-poison-not-critical.js';
import { ctPoisonInCertificate } from './ct-poison-in-certificate.js';
import { ctSctListInPrecertificate } from './ct-sct-list-in-precertificate.js';
import { ctSctListMissing } from './ct-sct-list-missing.js';
import { ctSctListCritical } from './ct-sct-list-critical.js';
import { ctTooFewScts } from './ct-too-few-scts.js';

export const LINT_RULES: readonly LintRule[] = Object.freeze([
  derInvalid,
  versionNotV3,
  serialNotPositive,
  serialLowEntropy,
  serialTooLong,
  serialNotMinimal,
  signatureAlgorithmMismatch,
  signatureAlgorithmNotAllowed,
  signatureAlgorithmIssuerKey,
  issuerNameMismatch,
  uniqueIdPresent,
  validityTimeFormat,
  validityTimeEncoding,
  validityReversed,
  validityTooLong,
  notBeforeFarFromSigning,
  subjectAttributeNotAllowed,
  subjectRdnStructure,
  subjectCnNotInSan,
  subjectCnStringType,
  subjectCnTooLong,
  sanMissing,
  sanEmpty,
  sanCriticality,
  sanNotDnsName,
  sanDnsNameSyntax,
  sanDnsNameUpperCase,
  sanDnsNameReservedLabel,
  sanDnsNameIpAddress,
  sanInternalName,
  sanReverseDnsName,
  sanWildcardPublicSuffix,
  sanDuplicateName,
  keyUsageMissing,
  keyUsageNotCritical,
  keyUsageNoDigitalSignature,
  keyUsageKeyEnciphermentNonRsa,
  keyUsageOtherBits,
  ekuMissing,
  ekuCritical,
  ekuNoServerAuth,
  ekuClientAuth,
  ekuForbiddenPurpose,
  ekuOtherPurpose,
  basicConstraintsNotCritical,
  basicConstraintsCa,
  basicConstraintsPathLen,
  akiMissing,
  akiCritical,
  akiNotKeyIdOnly,
  akiMismatch,
  skiPresent,
  skiCritical,
  policiesMissing,
  policiesCritical,
  policiesNotExactlyDv,
  policiesAnyPolicy,
  policiesUndocumentedOid,
  policiesDuplicateOid,
  policiesQualifierNotHttpCps,
  policiesQualifierPresent,
  aiaMissing,
  aiaCritical,
  aiaAccessMethodNotAllowed,
  aiaLocationNotHttpUrl,
  aiaDuplicateLocation,
  aiaNoCaIssuers,
  crlDpMissing,
  crlDpCritical,
  crlDpNotOnePoint,
  crlDpFields,
  crlDpNotHttpUrl,
  spkiAlgorithmNotAllowed,
  spkiKeyInvalid,
  rsaModulusSize,
  rsaPublicExponent,
  extensionNotAllowed,
  extensionUnknownCritical,
  extensionDuplicate,
  extensionValueMalformed,
  ctPoisonMissing,
  ctPoisonNotCritical,
  ctPoisonInCertificate,
  ctSctListInPrecertificate,
  ctSctListMissing,
  ctSctListCritical,
  ctTooFewScts,
]);
