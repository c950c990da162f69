/**
 * The checks a log's add-chain / add-pre-chain answer must pass before its
 * SCT may be embedded, one per function. An SCT that fails any of them is
 * worthless to relying parties (Chrome and Apple verify every embedded SCT),
 * so the log counts as not having answered.
 */
import { isShomeiError } from '../../core/errors.js';
import { verifySct } from '../precertificate.js';
import { sctFromJson, type Sct, type SignedEntry } from '../rfc6962.js';
import type { CtLogDescriptor } from '../types.js';
import { CtLogFailure } from './post-chain.js';

/**
 * How far an SCT timestamp may lie ahead of the CA's clock. Browsers treat an
 * SCT timestamped in the future as invalid (Chromium:
 * SCT_STATUS_INVALID_TIMESTAMP); a small allowance absorbs clock skew between
 * the CA and the log.
 */
export const MAX_SCT_FUTURE_SKEW_MS = 60_000;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

/** RFC 6962 §4.1 response shape and sct_version v1 (0), via the shared decoder. */
export function parseSctResponse(json: unknown): Sct {
  try {
    return sctFromJson(json);
  } catch (e) {
    // sctFromJson's messages are fixed strings (no echo of the response).
    throw new CtLogFailure(isShomeiError(e) ? e.detail : 'malformed SCT response');
  }
}

/**
 * RFC 6962 §3.2: LogID is SHA-256 of the log's key. An SCT carrying another
 * id was signed (or claims to be) by another log — or the log rotated its key
 * — and would not verify for clients looking the log up by id.
 */
export function checkSctLogId(sct: Sct, log: CtLogDescriptor): void {
  if (!sameBytes(sct.logId, log.logId)) throw new CtLogFailure('SCT carries another log id');
}

/** The SCT timestamp is not in the future beyond MAX_SCT_FUTURE_SKEW_MS. */
export function checkSctTimestamp(sct: Sct, now: Date): void {
  if (sct.timestampMs > BigInt(now.getTime() + MAX_SCT_FUTURE_SKEW_MS)) throw new CtLogFailure('SCT timestamp is in the future');
}

/** RFC 6962 §3.2: the signature verifies under the configured log key over exactly what was submitted. */
export function checkSctSignature(sct: Sct, entry: SignedEntry, log: CtLogDescriptor): void {
  if (!verifySct(sct, entry, log.publicKeySpki)) throw new CtLogFailure('SCT signature does not verify');
}

/** All checks, in order; returns the SCT or throws CtLogFailure with the first reason. */
export function acceptSct(json: unknown, log: CtLogDescriptor, entry: SignedEntry, now: Date): Sct {
  const sct = parseSctResponse(json);
  checkSctLogId(sct, log);
  checkSctTimestamp(sct, now);
  checkSctSignature(sct, entry, log);
  return sct;
}
