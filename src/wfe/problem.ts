import { ShomeiError, type ErrorKind } from '../core/errors.js';

export const ACME_ERROR_PREFIX = 'urn:ietf:params:acme:error:';

/** HTTP status for each internal kind (RFC 8555 §6.7 and Boulder's practice). */
const STATUS: Record<ErrorKind, number> = {
  accountDoesNotExist: 400,
  alreadyRevoked: 400,
  badCSR: 400,
  badNonce: 400,
  badPublicKey: 400,
  badRevocationReason: 400,
  badSignatureAlgorithm: 400,
  caa: 403,
  compound: 400,
  connection: 400,
  dns: 400,
  externalAccountRequired: 400,
  incorrectResponse: 400,
  invalidContact: 400,
  malformed: 400,
  orderNotReady: 403,
  rateLimited: 429,
  rejectedIdentifier: 400,
  serverInternal: 500,
  tls: 400,
  unauthorized: 403,
  unsupportedContact: 400,
  unsupportedIdentifier: 400,
  userActionRequired: 403,
  alreadyReplaced: 409,
  notFound: 404,
  methodNotAllowed: 405,
  unsupportedMediaType: 415,
  payloadTooLarge: 413,
  conflict: 409,
  forbidden: 403,
  unavailable: 503,
};

/** Internal kinds that are not ACME error types are sent as `malformed` with their own status. */
const WIRE_TYPE: Partial<Record<ErrorKind, string>> = {
  notFound: 'malformed',
  methodNotAllowed: 'malformed',
  unsupportedMediaType: 'malformed',
  payloadTooLarge: 'malformed',
  conflict: 'malformed',
  forbidden: 'unauthorized',
  unavailable: 'serverInternal',
};

export interface ProblemDocument {
  type: string;
  detail: string;
  status: number;
  identifier?: { type: string; value: string };
  subproblems?: ProblemDocument[];
  [k: string]: unknown;
}

export function problemStatus(kind: ErrorKind): number {
  return STATUS[kind];
}

/** RFC 7807 + RFC 8555 §6.7 problem document for an internal error. */
export function toProblem(e: ShomeiError): ProblemDocument {
  const status = STATUS[e.kind];
  const doc: ProblemDocument = {
    ...(e.extra ?? {}),
    type: ACME_ERROR_PREFIX + (WIRE_TYPE[e.kind] ?? e.kind),
    detail: e.detail,
    status,
  };
  if (e.identifier) doc.identifier = e.identifier;
  if (e.subErrors.length > 0) doc.subproblems = e.subErrors.map((s) => toProblem(s));
  return doc;
}

/** Problem for a stored error (challenge/order `error` columns). */
export function storedProblem(json: string | null): ProblemDocument | undefined {
  if (json === null) return undefined;
  const e = JSON.parse(json) as { kind: ErrorKind; detail: string };
  return toProblem(new ShomeiError(e.kind, e.detail));
}
