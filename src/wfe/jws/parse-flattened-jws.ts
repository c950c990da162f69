import type { FlattenedJWSInput, JWK } from 'jose';
import { ShomeiError } from '../../core/errors.js';
import { fromB64u, isB64u } from '../../core/ids.js';

export interface ProtectedHeader {
  alg?: unknown;
  nonce?: unknown;
  url?: unknown;
  jwk?: JWK;
  kid?: unknown;
  [k: string]: unknown;
}

export interface ParsedJws {
  jws: FlattenedJWSInput & { protected: string; payload: string };
  header: ProtectedHeader;
}

const malformed = (d: string) => new ShomeiError('malformed', d);

/**
 * RFC 8555 §6.2: the body is a JWS in the flattened JSON serialization with
 * exactly `protected`, `payload` and `signature`. Stops general-serialization
 * multi-signature tricks and unprotected headers (which are not integrity
 * protected, so must not carry meaning).
 */
export function parseFlattenedJws(body: unknown): ParsedJws {
  if (typeof body !== 'string' || body.length === 0) throw malformed('Request body must be a JWS (application/jose+json)');
  let obj: unknown;
  try {
    obj = JSON.parse(body);
  } catch {
    throw malformed('Request body is not valid JSON');
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw malformed('JWS must be a JSON object');
  const o = obj as Record<string, unknown>;
  if ('signatures' in o) throw malformed('JWS general serialization is not allowed; use the flattened form');
  if ('header' in o) throw malformed('JWS unprotected header is not allowed (RFC 8555 §6.2)');
  for (const k of Object.keys(o)) {
    if (k !== 'protected' && k !== 'payload' && k !== 'signature') throw malformed(`unexpected JWS member "${k}"`);
  }
  const { protected: prot, payload, signature } = o;
  if (typeof prot !== 'string' || prot === '' || !isB64u(prot)) throw malformed('JWS "protected" must be non-empty base64url');
  if (typeof payload !== 'string' || !isB64u(payload)) throw malformed('JWS "payload" must be base64url');
  if (typeof signature !== 'string' || signature === '' || !isB64u(signature)) throw malformed('JWS "signature" must be base64url');
  let header: unknown;
  try {
    header = JSON.parse(fromB64u(prot).toString('utf8'));
  } catch {
    throw malformed('JWS protected header is not valid JSON');
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw malformed('JWS protected header must be an object');
  // RFC 7515 §4.1.11: we understand no extensions, so any `crit` makes the JWS unacceptable (also stops b64=false tricks).
  if ('crit' in header || 'b64' in header) throw malformed('JWS "crit"/"b64" header parameters are not supported');
  return { jws: { protected: prot, payload, signature }, header: header as ProtectedHeader };
}

/** The JWS payload as JSON; `null` for POST-as-GET (empty payload, RFC 8555 §6.3). */
export function decodePayload(payloadB64u: string): unknown {
  if (payloadB64u === '') return null;
  const text = fromB64u(payloadB64u).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw malformed('JWS payload is not valid JSON');
  }
}
