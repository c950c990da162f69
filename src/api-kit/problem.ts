import { isShomeiError, type ErrorKind, type ShomeiError } from '../core/errors.js';

/** Type URIs of the operator/admin API problem documents (RFC 9457). */
export const API_PROBLEM_PREFIX = 'urn:shomei:problem:';

const STATUS: Partial<Record<ErrorKind, number>> = {
  malformed: 400,
  badRevocationReason: 400,
  rejectedIdentifier: 400,
  invalidContact: 400,
  unauthorized: 401,
  forbidden: 403,
  notFound: 404,
  methodNotAllowed: 405,
  conflict: 409,
  alreadyRevoked: 409,
  payloadTooLarge: 413,
  unsupportedMediaType: 415,
  rateLimited: 429,
  unavailable: 503,
};

export interface ApiProblem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: ApiProblem[];
  [k: string]: unknown;
}

function title(kind: string): string {
  return kind.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase()).trim();
}

/** An internal error as an API problem document; anything else is a 500 whose detail stays in the log. */
export function apiProblem(e: unknown): ApiProblem {
  if (!isShomeiError(e)) {
    return { type: `${API_PROBLEM_PREFIX}serverInternal`, title: 'Server internal', status: 500, detail: 'Internal error; it has been logged' };
  }
  return shomeiProblem(e);
}

function shomeiProblem(e: ShomeiError): ApiProblem {
  const status = STATUS[e.kind] ?? (e.kind === 'serverInternal' ? 500 : 400);
  const doc: ApiProblem = { ...(e.extra ?? {}), type: API_PROBLEM_PREFIX + e.kind, title: title(e.kind), status, detail: e.detail };
  if (e.identifier) doc['identifier'] = e.identifier;
  if (e.subErrors.length > 0) doc.errors = e.subErrors.map(shomeiProblem);
  return doc;
}

/** JSON Schema of the problem document (components.schemas.Problem). */
export const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', examples: ['urn:shomei:problem:notFound'] },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: { type: 'array', items: { $ref: '#/components/schemas/Problem' } },
  },
} as const;
