/**
 * The signing component's front door: `createCertificateAuthority(config)`
 * wires the key backend (today the generated development hierarchy; later a
 * PKCS#11 WebCrypto provider behind the same `Signer`), the DV profile and
 * the validity rules into the `CertificateAuthority` contract of types.ts.
 */
import { join } from 'node:path';
import type { webcrypto } from 'node:crypto';
import { type Clock, systemClock } from '../core/clock.js';
import { ShomeiError } from '../core/errors.js';
import type { Config } from '../config/schema.js';
import { loadOrCreateDevHierarchy, type DevHierarchy } from './dev-hierarchy.js';
import { describeIssuingCa, type IssuingCa } from './issuing-ca.js';
import { checkSubscriberKey, previouslyCheckedKey } from './key-policy.js';
import { toPem } from './pem.js';
import { dvLeafProfile, type DvLeafProfile, type DvProfileOptions } from './profile-dv.js';
import { isValidSerialHex, newSerialHex, serialHexToBytes } from './serial.js';
import { signCertificate } from './sign-certificate.js';
import type { CertificateAuthority, IssueRequest, IssuedCertificate } from './types.js';
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

  return {
    issuingCa,
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
