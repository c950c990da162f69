/**
 * The signing component's front door: `createCertificateAuthority(config)`
 * wires the key backend (today the generated development hierarchy; later a
 * PKCS#11 WebCrypto provider behind the same `Signer`), the DV profile and
 * the validity rules into the `CertificateAuthority` contract of types.ts.
 */
import { join } from 'node:path';
import { X509Certificate, generateKeyPairSync, sign as nodeSign, type KeyObject, type webcrypto } from 'node:crypto';
import { canonicalSerialHex } from '../core/serial-number.js';
import { type Clock, systemClock } from '../core/clock.js';
import { ShomeiError } from '../core/errors.js';
import type { Config } from '../config/schema.js';
import { loadOrCreateDevHierarchy, type DevHierarchy } from './dev-hierarchy.js';
import { describeIssuingCa, type IssuingCa } from './issuing-ca.js';
import { checkSubscriberKey, previouslyCheckedKey } from './key-policy.js';
import { toPem } from './pem.js';
import { dvLeafProfile, type DvLeafProfile, type DvProfileOptions } from './profile-dv.js';
import { isValidSerialHex, newSerialHex, serialHexToBytes } from './serial.js';
import { encodeBitString, encodeConstructed } from './der.js';
import { ECDSA_WITH_SHA384 } from './signer.js';
import { encodeTbs, signCertificate, signerAlgorithmDer, signTbs } from './sign-certificate.js';
import { replaceTbsExtension, tbsOf } from './tbs-extensions.js';
import type { CertificateAuthority, IssueRequest, IssuedCertificate, PrecertificateRequest } from './types.js';
import { OID_CT_POISON, sctListExtensionDer } from '../ct/precertificate.js';
import { assertLintClean, lintCertificate, type LintFinding } from '../lint/index.js';
import { computeValidity, type ValidityPeriod, type ValidityPolicy } from './validity.js';

export interface CertificateAuthorityOptions {
  /** Time source for generating the development hierarchy (default: system clock). */
  clock?: Clock;
  /** WebCrypto implementation holding the CA keys (default: Node's). */
  subtle?: webcrypto.SubtleCrypto;
}

/** The in-process CA: the contract plus what internal callers (listener certificate) need. */
export interface LocalCertificateAuthority extends CertificateAuthority {
  readonly issuingCa: IssuingCa;
  readonly profile: DvProfileOptions;
  /** The DV leaf template of `issuingCa`, constant parts encoded once. */
  readonly leafProfile: DvLeafProfile;
  readonly validityPolicy: ValidityPolicy;
  readonly hierarchy: DevHierarchy;
  /** The validity period a certificate signed at `now` gets, checked against the issuing CA's. */
  validityAt(now: Date): ValidityPeriod;
}

/** Pre-issuance lint refused a (pre)certificate: nothing was signed. */
export class LintError extends ShomeiError {
  constructor(
    readonly what: 'precertificate' | 'certificate',
    readonly findings: LintFinding[],
    cause: unknown,
  ) {
    super('serverInternal', `pre-issuance lint refused the ${what}`, { cause });
  }
}

/**
 * BR §4.3.1.2 lints the to-be-signed certificate before the CA key touches
 * it: the TBS is signed with a throwaway key of the CA key's type, the
 * result is linted, and only a clean TBS goes on to the real signature.
 */
function throwawayLintSigner(caSignatureOid: string): { key: KeyObject; hash: string } {
  const p384 = caSignatureOid === ECDSA_WITH_SHA384;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: p384 ? 'P-384' : 'P-256' });
  return { key: privateKey, hash: p384 ? 'sha384' : 'sha256' };
}

/** Path the artefacts listener serves the issuing CA certificate on (DER). */
export const INTERMEDIATE_DER_PATH = '/issuer/intermediate.der';

/** BR §7.1.2.7.7: AIA accessLocation is an HTTP URI (no TLS: fetched to build a path). */
export function caIssuersUrl(artefactsBaseUrl: string): string {
  const url = new URL(`${artefactsBaseUrl.replace(/\/+$/, '')}${INTERMEDIATE_DER_PATH}`);
  if (url.protocol !== 'http:') {
    throw new Error(`artefacts.baseUrl must be an http:// URL (BR §7.1.2.7.7), got ${artefactsBaseUrl}`);
  }
  return url.toString();
}

export async function createCertificateAuthority(
  config: Config,
  opts: CertificateAuthorityOptions = {},
): Promise<LocalCertificateAuthority> {
  const clock = opts.clock ?? systemClock;
  const profile: DvProfileOptions = {
    includeCommonName: config.ca.includeCommonName,
    caIssuersUrl: caIssuersUrl(config.artefacts.baseUrl),
  };
  const validityPolicy: ValidityPolicy = {
    validityDays: config.ca.validityDays,
    backdateSeconds: config.ca.backdateSeconds,
    timeZone: config.timeZone,
  };
  const hierarchyOpts = { organization: config.ca.devOrganization, now: clock.now() };
  const hierarchy = await loadOrCreateDevHierarchy(
    join(config.dataDir, 'ca'),
    opts.subtle === undefined ? hierarchyOpts : { ...hierarchyOpts, subtle: opts.subtle },
  );
  const issuingCa = describeIssuingCa(hierarchy.intermediate.der, hierarchy.intermediateSigner);
  const leafProfile = dvLeafProfile(issuingCa, profile);
  const sigAlg = signerAlgorithmDer(issuingCa.signer);
  const lintSigner = throwawayLintSigner(issuingCa.signer.signatureAlgorithmOid);
  const lintOptions = { allowedTestTlds: config.policy.additionalTlds, ctRequired: config.ct.enabled };

  /** Lint `tbsDer` as `what`; throws LintError on any error finding. */
  function lint(tbsDer: Uint8Array, what: 'precertificate' | 'certificate', at: Date): void {
    const sig = nodeSign(lintSigner.hash, tbsDer, { key: lintSigner.key, dsaEncoding: 'der' });
    const der = encodeConstructed(0x30, [tbsDer, sigAlg, encodeBitString(sig)]);
    const findings = lintCertificate(der, { kind: what, issuerDer: issuingCa.der, at, ...lintOptions });
    try {
      assertLintClean(findings, what);
    } catch (e) {
      throw new LintError(what, findings.filter((f) => f.severity === 'error'), e);
    }
  }

  // computeValidity depends on the signing second only (X.509 times have 1 s
  // resolution; the BR limits change on whole seconds) and costs several Intl
  // time-zone conversions, so the last second's answer is kept.
  let lastSecond = Number.NaN;
  let last: ValidityPeriod | undefined;
  function validityAt(now: Date): ValidityPeriod {
    const second = Math.floor(now.getTime() / 1000);
    if (second !== lastSecond || last === undefined) {
      last = computeValidity(now, validityPolicy);
      lastSecond = second;
    }
    const v: ValidityPeriod = { notBefore: new Date(last.notBefore), notAfter: new Date(last.notAfter) };
    // RFC 5280 §6.1.3 path validation fails outside the issuer's validity; never sign such a leaf.
    if (v.notBefore < issuingCa.notBefore || v.notAfter > issuingCa.notAfter) {
      throw new ShomeiError('serverInternal', 'the issuing CA certificate does not cover the new certificate\'s validity');
    }
    return v;
  }

  async function issue(req: IssueRequest): Promise<IssuedCertificate> {
    if (!isValidSerialHex(req.serialHex)) {
      throw new ShomeiError('serverInternal', `invalid serial ${JSON.stringify(req.serialHex)}`);
    }
    // Defence in depth: the key policy is applied at signing time, whoever called. An SPKI
    // is taken as checked only when it is the unaltered array checkCsr/checkSubscriberKey returned.
    const key = previouslyCheckedKey(req.spki) ?? (await checkSubscriberKey(req.spki));
    const validity = validityAt(req.now);
    const fields = leafProfile.fields({ serial: serialHexToBytes(req.serialHex), spki: key.spki, names: req.names, ...validity });
    const der = await signCertificate(fields, issuingCa.signer);
    return { serialHex: req.serialHex, der, pem: toPem('CERTIFICATE', der), ...validity };
  }

  async function issuePrecertificate(req: PrecertificateRequest): Promise<IssuedCertificate> {
    if (!isValidSerialHex(req.serialHex)) {
      throw new ShomeiError('serverInternal', `invalid serial ${JSON.stringify(req.serialHex)}`);
    }
    const key = previouslyCheckedKey(req.spki) ?? (await checkSubscriberKey(req.spki));
    const validity = validityAt(req.now);
    const fields = leafProfile.fields({
      serial: serialHexToBytes(req.serialHex),
      spki: key.spki,
      names: req.names,
      ...validity,
      crlUrl: req.crlUrl,
      precertificate: true,
    });
    const tbsDer = encodeTbs(fields, sigAlg);
    lint(tbsDer, 'precertificate', req.now);
    const der = await signTbs(tbsDer, issuingCa.signer);
    return { serialHex: req.serialHex, der, pem: toPem('CERTIFICATE', der), ...validity };
  }

  async function issueFromPrecertificate(precertDer: Uint8Array, scts: readonly Uint8Array[] | null, at: Date): Promise<IssuedCertificate> {
    const tbsDer = replaceTbsExtension(tbsOf(precertDer), OID_CT_POISON, scts === null ? null : sctListExtensionDer(scts));
    lint(tbsDer, 'certificate', at);
    const der = await signTbs(tbsDer, issuingCa.signer);
    const parsed = new X509Certificate(der);
    return {
      serialHex: canonicalSerialHex(parsed.serialNumber),
      der,
      pem: toPem('CERTIFICATE', der),
      notBefore: new Date(parsed.validFrom),
      notAfter: new Date(parsed.validTo),
    };
  }

  return {
    issuingCa,
    issuePrecertificate,
    issueFromPrecertificate,
    issuerKeyIdHex: () => Buffer.from(issuingCa.keyIdentifier).toString('hex'),
    profile,
    leafProfile,
    validityPolicy,
    hierarchy,
    validityAt,
    newSerial: () => newSerialHex(),
    issue,
    intermediatePem: () => hierarchy.intermediate.pem,
    intermediateDer: () => Uint8Array.from(hierarchy.intermediate.der),
    rootPem: () => hierarchy.root.pem,
    rootDer: () => Uint8Array.from(hierarchy.root.der),
    rootPath: () => hierarchy.root.path,
  };
}
