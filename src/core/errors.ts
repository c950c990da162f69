/**
 * The one internal error type (DESIGN.md "Rules of the house").
 *
 * Every component throws `ShomeiError` with a `kind` from the closed union
 * below. Only `wfe/` turns it into an RFC 8555 problem document
 * (see `src/wfe/problem.ts`); operator/admin APIs map it to their own
 * structured errors. A plain `Error` reaching a front end is a bug: it is
 * answered as `serverInternal` and its message stays in the log.
 */

/** RFC 8555 §6.7 error types (plus RFC 9773 alreadyReplaced), in RFC order. */
export const ERROR_KINDS = [
  'accountDoesNotExist',
  'alreadyRevoked',
  'badCSR',
  'badNonce',
  'badPublicKey',
  'badRevocationReason',
  'badSignatureAlgorithm',
  'caa',
  'compound',
  'connection',
  'dns',
  'externalAccountRequired',
  'incorrectResponse',
  'invalidContact',
  'malformed',
  'orderNotReady',
  'rateLimited',
  'rejectedIdentifier',
  'serverInternal',
  'tls',
  'unauthorized',
  'unsupportedContact',
  'unsupportedIdentifier',
  'userActionRequired',
  'alreadyReplaced',
  // Not ACME error types: internal kinds that front ends map to HTTP statuses.
  'notFound',
  'methodNotAllowed',
  'unsupportedMediaType',
  'payloadTooLarge',
  'conflict',
  /** Authenticated but not permitted (operator API: e.g. no ACME-edition handling application). */
  'forbidden',
  /** A dependency (the database) is briefly unavailable: 503 with Retry-After. */
  'unavailable',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface Identifier {
  type: 'dns';
  value: string;
}

export interface ShomeiErrorOptions {
  /** Per-identifier sub-errors (RFC 8555 §6.7.1). */
  subErrors?: ShomeiError[];
  /** The identifier this error is about (used inside subproblems). */
  identifier?: Identifier;
  /** Seconds the client should wait before retrying. */
  retryAfter?: number;
  /** Extra members for the problem document (e.g. `algorithms`). */
  extra?: Record<string, unknown>;
  cause?: unknown;
}

export class ShomeiError extends Error {
  readonly kind: ErrorKind;
  readonly subErrors: ShomeiError[];
  readonly identifier: Identifier | undefined;
  readonly retryAfter: number | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(kind: ErrorKind, detail: string, options: ShomeiErrorOptions = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ShomeiError';
    this.kind = kind;
    this.subErrors = options.subErrors ?? [];
    this.identifier = options.identifier;
    this.retryAfter = options.retryAfter;
    this.extra = options.extra;
  }

  get detail(): string {
    return this.message;
  }
}

export function isShomeiError(e: unknown): e is ShomeiError {
  return e instanceof ShomeiError;
}

/** Shorthand constructors used throughout the code base. */
export const errors = {
  malformed: (detail: string, o?: ShomeiErrorOptions) => new ShomeiError('malformed', detail, o),
  unauthorized: (detail: string, o?: ShomeiErrorOptions) => new ShomeiError('unauthorized', detail, o),
  notFound: (detail: string) => new ShomeiError('notFound', detail),
  serverInternal: (detail: string, o?: ShomeiErrorOptions) => new ShomeiError('serverInternal', detail, o),
  rejectedIdentifier: (detail: string, o?: ShomeiErrorOptions) =>
    new ShomeiError('rejectedIdentifier', detail, o),
  badCSR: (detail: string) => new ShomeiError('badCSR', detail),
  badPublicKey: (detail: string) => new ShomeiError('badPublicKey', detail),
};
