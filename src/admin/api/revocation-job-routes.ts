import { json, type ApiRoute, type JsonSchema } from '../../api-kit/route.js';
import { cursorQuery, idParam, limitQuery } from '../../operator-api/schemas.js';
import { cancelRevocationJob, createRevocationJob, getRevocationJob, listRevocationJobs, MAX_JOB_NOTE, MAX_JOB_SERIALS, REVOCATION_JOB_SELECTORS } from '../../registry/revocation-jobs.js';
import type { AdminApiContext, AdminPrincipal } from './context.js';

type R = ApiRoute<AdminPrincipal>;
const str = (q: Record<string, unknown>, k: string) => (typeof q[k] === 'string' ? q[k] : undefined);
const lim = (q: Record<string, unknown>) => (typeof q['limit'] === 'number' ? q['limit'] : undefined);
const nullable = (s: JsonSchema): JsonSchema => ({ anyOf: [s, { type: 'null' }] });

/** 10,000 serials of up to 80 characters, quoted and separated: more than the server-wide body limit. */
const JOB_BODY_BYTES = 1024 * 1024;

const JOB_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['id', 'selector', 'reason', 'status', 'revoked', 'skipped'],
  properties: {
    id: { type: 'string' },
    selector: { type: 'string', enum: [...REVOCATION_JOB_SELECTORS] },
    targetId: nullable({ type: 'string', description: 'Usage FQDN, subscriber or operator id, or the issuer key id (hex); null for `serials`' }),
    serialCount: nullable({ type: 'integer', description: 'How many serials the job lists; null for the other selectors' }),
    reason: { type: 'integer' },
    note: nullable({ type: 'string' }),
    status: { type: 'string', enum: ['pending', 'running', 'done', 'failed', 'cancelled'] },
    total: nullable({ type: 'integer', description: 'Certificates selected when the job was created (later ones are not part of it)' }),
    revoked: { type: 'integer', description: 'Revoked by this job' },
    skipped: { type: 'integer', description: 'Already revoked or expired when their turn came' },
    progress: nullable({ type: 'number', minimum: 0, maximum: 1, description: '(revoked + skipped) / total' }),
    error: nullable({ type: 'string', description: 'Last batch error; the job is retried unless it failed' }),
    createdBy: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    finishedAt: nullable({ type: 'string', format: 'date-time' }),
  },
};

const JOB_BODY: JsonSchema = {
  type: 'object',
  required: ['selector', 'reason'],
  additionalProperties: false,
  properties: {
    selector: { type: 'string', enum: [...REVOCATION_JOB_SELECTORS], description: 'What to revoke: the listed serials, or every certificate of a usage FQDN, subscriber, operator or issuing CA' },
    serials: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_JOB_SERIALS,
      items: { type: 'string', pattern: '^[0-9A-Fa-f:]{1,80}$' },
      description: 'Hex serial numbers (selector `serials` only); each must name a certificate of this CA',
    },
    id: { type: 'string', minLength: 1, maxLength: 200, description: '`fq_…`, `sub_…`, `op_…`, or the issuing CA key identifier in hex (selector `issuer`)' },
    reason: { type: 'integer', description: 'RFC 5280 reason code: 0, 1 (keyCompromise: also blocks every key and revokes its other certificates), 3, 4, 5 or 9 (SPEC §7)' },
    note: { type: 'string', maxLength: MAX_JOB_NOTE, description: 'Why (kept with the job and in the audit trail)' },
  },
};

const jobId = { jobId: idParam('rj') };

/** BR §5.7.1.2 mass revocation: CA staff create, watch and cancel bulk revocation jobs (processed by the job runner). */
export function adminRevocationJobRoutes(ctx: AdminApiContext): R[] {
  const d = ctx.registry.deps;
  return [
    {
      method: 'POST',
      path: '/revocation-jobs',
      operationId: 'createRevocationJob',
      summary: 'Start a bulk revocation (processed in batches by the job runner; resumable)',
      description:
        'Selects the certificates issued up to now; already revoked or expired ones are counted as skipped. Every revocation is audited with the job id and notified via the managing operator. Unknown ids or serials are 404.',
      tag: 'Revocation',
      body: JOB_BODY,
      maxBodyBytes: JOB_BODY_BYTES,
      responses: { 202: { description: 'Accepted: the job, pending', schema: JOB_SCHEMA } },
      handler: async (r) => json(202, await createRevocationJob(d, r.body, r.principal)),
    },
    {
      method: 'GET',
      path: '/revocation-jobs',
      operationId: 'listRevocationJobs',
      summary: 'List bulk revocation jobs, oldest first',
      tag: 'Revocation',
      query: { cursor: cursorQuery, limit: limitQuery },
      responses: {
        200: {
          description: 'A page of jobs',
          schema: { type: 'object', required: ['items', 'next'], properties: { items: { type: 'array', items: JOB_SCHEMA }, next: nullable({ type: 'string' }) } },
        },
      },
      handler: async (r) => json(200, await listRevocationJobs(d, { cursor: str(r.query, 'cursor'), limit: lim(r.query) })),
    },
    {
      method: 'GET',
      path: '/revocation-jobs/{jobId}',
      operationId: 'getRevocationJob',
      summary: 'A bulk revocation job: status, total, revoked, skipped, progress, error',
      tag: 'Revocation',
      params: jobId,
      responses: { 200: { description: 'The job', schema: JOB_SCHEMA } },
      handler: async (r) => json(200, await getRevocationJob(d, r.params['jobId'] as string)),
    },
    {
      method: 'POST',
      path: '/revocation-jobs/{jobId}/cancel',
      operationId: 'cancelRevocationJob',
      summary: 'Stop a pending or running job (what it revoked stays revoked); a finished job is 409',
      tag: 'Revocation',
      params: jobId,
      responses: { 200: { description: 'The cancelled job', schema: JOB_SCHEMA } },
      handler: async (r) => json(200, await cancelRevocationJob(d, r.params['jobId'] as string, r.principal)),
    },
  ];
}
