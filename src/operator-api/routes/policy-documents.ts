import { json, type ApiRoute, type JsonSchema } from '../../api-kit/route.js';
import type { OperatorPrincipal } from '../../registry/operator-keys.js';
import type { PolicyDocumentView } from '../../registry/policy-documents.js';
import type { OperatorApiContext } from '../context.js';

type R = ApiRoute<OperatorPrincipal>;

export const POLICY_DOCUMENT_KINDS_ENUM = ['terms', 'cps', 'ct-disclosure'];

/** A published version of the terms, the CP/CPS or the CT-disclosure document (AT 21). */
export const POLICY_DOCUMENT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['id', 'kind', 'version', 'url', 'effectiveAt', 'state'],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: POLICY_DOCUMENT_KINDS_ENUM },
    version: { type: 'string', description: 'What a consent record names (termsVersion, cpsVersion, ctDisclosureVersion)' },
    url: { type: 'string', format: 'uri' },
    sha256: { anyOf: [{ type: 'string', pattern: '^[0-9a-f]{64}$' }, { type: 'null' }], description: 'SHA-256 of the document text, when published with one' },
    effectiveAt: { type: 'string', format: 'date-time' },
    state: { type: 'string', enum: ['announced', 'current', 'superseded'] },
    publishedAt: { type: 'string', format: 'date-time' },
    publishedBy: { type: 'string' },
  },
};

const nullableDoc: JsonSchema = { anyOf: [POLICY_DOCUMENT_SCHEMA, { type: 'null' }] };
/** The documents in force now and the versions announced to take effect later. */
export const CURRENT_POLICY_DOCUMENTS_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['terms', 'cps', 'ctDisclosure', 'announced'],
  properties: { terms: nullableDoc, cps: nullableDoc, ctDisclosure: nullableDoc, announced: { type: 'array', items: POLICY_DOCUMENT_SCHEMA } },
};

/** Operators show subscribers the versions in force, and record consent to them (AR 10, AT 21). */
export function policyDocumentRoutes(ctx: OperatorApiContext): R[] {
  const publicView = ({ publishedBy: _staff, ...v }: PolicyDocumentView) => v;
  return [
    {
      method: 'GET',
      path: '/policy-documents/current',
      operationId: 'getCurrentPolicyDocumentsForOperator',
      summary: 'The terms, CP/CPS and CT-disclosure versions in force now, and announced changes (AT 21)',
      description: 'A usage FQDN application must carry consent to published versions once versions of its kind are published: the current one, or an announced later one.',
      tag: 'Operator',
      responses: { 200: { description: 'Current documents', schema: CURRENT_POLICY_DOCUMENTS_SCHEMA } },
      handler: async () => {
        const c = await ctx.registry.currentPolicyDocuments();
        const v = (d: PolicyDocumentView | null) => (d === null ? null : publicView(d));
        return json(200, { terms: v(c.terms), cps: v(c.cps), ctDisclosure: v(c.ctDisclosure), announced: c.announced.map(publicView) });
      },
    },
  ];
}
