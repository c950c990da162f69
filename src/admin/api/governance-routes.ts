import { json, type ApiRoute, type JsonSchema } from '../../api-kit/route.js';
import { CONTACT_METHODS, CONTACT_OUTCOMES } from '../../registry/contact-attempts.js';
import { CORRECTION_GROUNDS, MIN_CORRECTION_DAYS } from '../../registry/correction-notices.js';
import { idParam } from '../../operator-api/schemas.js';
import type { AdminApiContext, AdminPrincipal } from './context.js';

/**
 * Operator governance (SPEC §8; AR 16–17): contact attempts and the
 * unreachable flag, correction notices, suspensions, immediate suspension,
 * and an operator's standing.
 */

type R = ApiRoute<AdminPrincipal>;
const TAG = 'Governance';
const str = (extra: JsonSchema = {}): JsonSchema => ({ type: 'string', ...extra });
const nullable = (s: JsonSchema): JsonSchema => ({ anyOf: [s, { type: 'null' }] });
const dateTime = str({ format: 'date-time' });
const operatorId = { operatorId: idParam('op') };
const items = (item: JsonSchema): JsonSchema => ({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: item } } });

const contactAttempt: JsonSchema = {
  type: 'object',
  properties: {
    id: str(),
    operatorId: str(),
    attemptedAt: dateTime,
    method: str({ enum: [...CONTACT_METHODS] }),
    outcome: str({ enum: [...CONTACT_OUTCOMES] }),
    note: nullable(str()),
    recordedBy: str(),
    recordedAt: dateTime,
  },
};

const reachability: JsonSchema = {
  type: 'object',
  properties: {
    unreachableSince: nullable(dateTime),
    unreachableDays: nullable({ type: 'integer' }),
    flagged: { type: 'boolean', description: 'Unreachable for at least governance.unreachableDays (AR 16: 21) days' },
    thresholdDays: { type: 'integer' },
  },
};

const notice: JsonSchema = {
  type: 'object',
  properties: {
    id: str(),
    operatorId: str(),
    ground: str({ enum: [...CORRECTION_GROUNDS] }),
    detail: str(),
    issuedAt: dateTime,
    correctionDays: { type: 'integer' },
    lastDay: str({ format: 'date', description: 'Last local date of the correction period (CA time zone)' }),
    deadline: { ...dateTime, description: 'End of the correction period: 00:00 local of the day after lastDay' },
    status: str({ enum: ['open', 'corrected', 'suspended', 'withdrawn'] }),
    resolvedAt: nullable(dateTime),
    resolvedBy: nullable(str()),
    resolutionNote: nullable(str()),
    createdBy: str(),
  },
};

const suspension: JsonSchema = {
  type: 'object',
  properties: {
    id: str(),
    operatorId: str(),
    kind: str({ enum: ['notice', 'immediate'] }),
    noticeId: nullable(str()),
    reason: str(),
    startsAt: dateTime,
    endsAt: nullable({ ...dateTime, description: 'null = until corrected (until lifted)' }),
    state: str({ enum: ['scheduled', 'in-force', 'ended', 'lifted', 'cancelled'] }),
    liftedAt: nullable(dateTime),
    liftedBy: nullable(str()),
    liftNote: nullable(str()),
    createdBy: str(),
    createdAt: dateTime,
    startNotifiedAt: nullable(dateTime),
    endNotifiedAt: nullable(dateTime),
  },
};

const standing: JsonSchema = {
  type: 'object',
  properties: {
    operatorId: str(),
    operatorName: str(),
    at: dateTime,
    suspended: { type: 'boolean' },
    suspension: nullable(suspension),
    scheduled: { type: 'array', items: suspension },
    unreachable: reachability,
    openNotices: { type: 'array', items: notice },
    accessRefused: nullable(str({ description: 'Why the operator API refuses this operator now (AR 17, AR 19)' })),
  },
};

const noteBody: JsonSchema = { type: 'object', additionalProperties: false, properties: { note: str({ minLength: 1, maxLength: 1000 }) } };

export function adminGovernanceRoutes(ctx: AdminApiContext): R[] {
  const reg = ctx.registry;
  const op = (r: { params: Record<string, string> }) => r.params['operatorId'] as string;
  const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
  return [
    {
      method: 'POST',
      path: '/operators/{operatorId}/contact-attempts',
      operationId: 'recordContactAttempt',
      summary: 'Record an attempt to reach the operator (AR 16: unreachable for 21+ days is a ground for a correction notice)',
      tag: TAG,
      params: operatorId,
      body: {
        type: 'object',
        required: ['method', 'outcome'],
        additionalProperties: false,
        properties: {
          attemptedAt: { ...dateTime, description: 'When the attempt was made (default now; not in the future)' },
          method: str({ enum: [...CONTACT_METHODS] }),
          outcome: str({ enum: [...CONTACT_OUTCOMES] }),
          note: str({ minLength: 1, maxLength: 1000 }),
        },
      },
      responses: { 201: { description: 'Recorded, with the reachability that follows', schema: { type: 'object', properties: { attempt: contactAttempt, reachability } } } },
      handler: async (r) => json(201, await reg.recordContactAttempt(op(r), r.body, r.principal)),
    },
    {
      method: 'GET',
      path: '/operators/{operatorId}/contact-attempts',
      operationId: 'listContactAttempts',
      summary: "The operator's recorded contact attempts, oldest first",
      tag: TAG,
      params: operatorId,
      responses: { 200: { description: 'Attempts', schema: items(contactAttempt) } },
      handler: async (r) => json(200, { items: await reg.listContactAttempts(op(r)) }),
    },
    {
      method: 'POST',
      path: '/operators/{operatorId}/correction-notices',
      operationId: 'issueCorrectionNotice',
      summary: 'Issue a correction notice (AR 16): correction period of at least 30 days, ending at the end of local day issue date + N',
      tag: TAG,
      params: operatorId,
      body: {
        type: 'object',
        required: ['ground', 'detail'],
        additionalProperties: false,
        properties: {
          ground: str({ enum: [...CORRECTION_GROUNDS], description: "'contact-unreachable' only while the operator is flagged unreachable" }),
          detail: str({ minLength: 1, maxLength: 2000 }),
          // Not limited to ≥ 30 here: the registry answers a shorter period with a `malformed` error naming AR 16.
          correctionDays: { type: 'integer', description: `Whole days (at least ${MIN_CORRECTION_DAYS}); default governance.defaultCorrectionDays` },
        },
      },
      responses: { 201: { description: 'Issued', schema: notice } },
      handler: async (r) => json(201, await reg.issueCorrectionNotice(op(r), r.body, r.principal)),
    },
    {
      method: 'GET',
      path: '/operators/{operatorId}/correction-notices',
      operationId: 'listCorrectionNotices',
      summary: "The operator's correction notices, oldest first",
      tag: TAG,
      params: operatorId,
      query: { status: str({ enum: ['open', 'corrected', 'suspended', 'withdrawn'] }) },
      responses: { 200: { description: 'Notices', schema: items(notice) } },
      handler: async (r) => json(200, { items: await reg.listCorrectionNotices({ operatorId: op(r), status: r.query['status'] as string | undefined }) }),
    },
    {
      method: 'POST',
      path: '/operators/{operatorId}/correction-notices/{noticeId}/corrected',
      operationId: 'markCorrectionNoticeCorrected',
      summary: 'Mark a correction notice corrected; suspensions imposed for it are lifted',
      tag: TAG,
      params: { ...operatorId, noticeId: idParam('cn') },
      body: noteBody,
      responses: { 200: { description: 'The notice', schema: notice } },
      handler: async (r) => json(200, await reg.resolveCorrectionNotice(op(r), r.params['noticeId'] as string, 'corrected', r.body, r.principal)),
    },
    {
      method: 'POST',
      path: '/operators/{operatorId}/correction-notices/{noticeId}/withdrawn',
      operationId: 'withdrawCorrectionNotice',
      summary: 'Withdraw an open correction notice',
      tag: TAG,
      params: { ...operatorId, noticeId: idParam('cn') },
      body: noteBody,
      responses: { 200: { description: 'The notice', schema: notice } },
      handler: async (r) => json(200, await reg.resolveCorrectionNotice(op(r), r.params['noticeId'] as string, 'withdrawn', r.body, r.principal)),
    },
    {
      method: 'POST',
      path: '/operators/{operatorId}/suspensions',
      operationId: 'suspendOperator',
      summary: 'Suspend the operator (AR 16) from startsAt (default now) to endsAt, or until corrected (endsAt absent or null)',
      tag: TAG,
      params: operatorId,
      body: {
        type: 'object',
        required: ['reason'],
        additionalProperties: false,
        properties: {
          startsAt: { ...dateTime, description: 'Default now; not in the past' },
          endsAt: nullable({ ...dateTime, description: 'null or absent: until corrected' }),
          reason: str({ minLength: 1, maxLength: 1000 }),
          noticeId: str({ maxLength: 64, description: 'The correction notice this follows: must be open and past its deadline; it becomes "suspended"' }),
        },
      },
      responses: { 201: { description: 'Suspended (or scheduled)', schema: suspension } },
      handler: async (r) => json(201, await reg.suspendOperator(op(r), r.body, r.principal)),
    },
    {
      method: 'GET',
      path: '/operators/{operatorId}/suspensions',
      operationId: 'listSuspensions',
      summary: "The operator's suspensions, by start",
      tag: TAG,
      params: operatorId,
      responses: { 200: { description: 'Suspensions', schema: items(suspension) } },
      handler: async (r) => json(200, { items: await reg.listSuspensions(op(r)) }),
    },
    {
      method: 'POST',
      path: '/operators/{operatorId}/suspensions/{suspensionId}/lift',
      operationId: 'liftSuspension',
      summary: 'Lift a suspension now (a scheduled one is cancelled); revoked API keys stay revoked — issue new ones',
      tag: TAG,
      params: { ...operatorId, suspensionId: idParam('susp') },
      body: noteBody,
      responses: { 200: { description: 'The suspension', schema: suspension } },
      handler: async (r) => json(200, await reg.liftSuspension(op(r), r.params['suspensionId'] as string, r.body, r.principal)),
    },
    {
      method: 'POST',
      path: '/operators/{operatorId}/immediate-suspension',
      operationId: 'suspendOperatorImmediately',
      summary: 'Immediate suspension (AR 17): revoke every API key of the operator and refuse every operator API call until lifted',
      tag: TAG,
      params: operatorId,
      body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: str({ minLength: 1, maxLength: 1000 }) } },
      responses: { 201: { description: 'Suspended', schema: { ...suspension, properties: { ...(suspension['properties'] as object), keysRevoked: { type: 'integer' } } } } },
      handler: async (r) => json(201, await reg.suspendImmediately(op(r), r.body, r.principal)),
    },
    {
      method: 'GET',
      path: '/operators/{operatorId}/standing',
      operationId: 'getOperatorStanding',
      summary: "The operator's standing now: suspension in force, scheduled ones, unreachable flag, open notices",
      tag: TAG,
      params: operatorId,
      responses: { 200: { description: 'Standing', schema: standing } },
      handler: async (r) => json(200, await reg.operatorStanding(op(r))),
    },
    {
      method: 'GET',
      path: '/operator-standings',
      operationId: 'listOperatorStandings',
      summary: 'The standing of every operator; filter the unreachable-flagged and/or suspended ones',
      tag: TAG,
      query: { unreachable: { type: 'boolean' }, suspended: { type: 'boolean' } },
      responses: { 200: { description: 'Standings', schema: items(standing) } },
      handler: async (r) => json(200, { items: await reg.listOperatorStandings({ unreachable: bool(r.query['unreachable']), suspended: bool(r.query['suspended']) }) }),
    },
  ];
}
