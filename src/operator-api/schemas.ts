import type { JsonSchema } from '../api-kit/route.js';

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
export const schemaRef = ref;

const str = (extra: JsonSchema = {}): JsonSchema => ({ type: 'string', ...extra });
const nullable = (s: JsonSchema): JsonSchema => ({ anyOf: [s, { type: 'null' }] });
const date = str({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const dateTime = str({ format: 'date-time' });
const period = { type: 'string', enum: ['1m', '1y'] };

export const idParam = (prefix: string): JsonSchema => str({ minLength: 3, maxLength: 64, pattern: `^${prefix}_[A-Za-z0-9_-]+$` });
export const limitQuery: JsonSchema = { type: 'integer', minimum: 1, maximum: 500, default: 100 };
/** A statement month: YYYY-MM, years 1000–9999 (what the calendar can hold a day before), months 01–12. */
export const monthParam: JsonSchema = str({ pattern: '^[1-9]\\d{3}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });
export const cursorQuery: JsonSchema = str({ maxLength: 512, description: 'The `next` value of the previous page' });

export const pageOf = (item: string): JsonSchema => ({
  type: 'object',
  required: ['items', 'next'],
  properties: { items: { type: 'array', items: ref(item) }, next: nullable(str({ description: 'Cursor of the next page; null on the last page' })) },
});

/** Components shared by the operator and admin APIs. */
export const SCHEMAS: Record<string, JsonSchema> = {
  OperatorContact: {
    type: 'object',
    required: ['email'],
    additionalProperties: false,
    properties: { name: str({ maxLength: 200 }), email: str({ format: 'email', maxLength: 254 }), phone: str({ maxLength: 200 }), role: str({ maxLength: 200 }), locale: str({ enum: ['ja', 'en'], description: 'Language of the notices this contact receives (default: the CA setting notifications.defaultLocale)' }) },
  },
  Operator: {
    type: 'object',
    properties: {
      id: str(),
      name: str(),
      representative: str(),
      address: nullable(str()),
      contacts: { type: 'array', items: ref('OperatorContact') },
      acmeHandling: { type: 'boolean', description: 'Filed the ACME-edition handling application (supplementary provision 3)' },
      domainDesignated: { type: 'boolean', description: 'Already designated for domain names: contract fee waived' },
      caDesk: { type: 'boolean', description: "The CA's own reseller desk (AR 5)" },
      status: str({ enum: ['active'] }),
      designatedAt: dateTime,
      updatedAt: dateTime,
    },
  },
  Subscriber: {
    type: 'object',
    properties: {
      id: str(),
      operatorId: str(),
      name: str(),
      emails: { type: 'array', items: str({ format: 'email' }), description: 'Where notices go (relayed by the operator, AR 11)' },
      phone: nullable(str()),
      externalRef: nullable(str({ description: "The operator's own reference" })),
      createdAt: dateTime,
      updatedAt: dateTime,
    },
  },
  SubscriberInput: {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: str({ minLength: 1, maxLength: 200 }),
      emails: { type: 'array', minItems: 1, maxItems: 10, items: str({ maxLength: 254 }) },
      phone: nullable(str({ maxLength: 50 })),
      externalRef: nullable(str({ maxLength: 100 })),
    },
  },
  Credential: {
    type: 'object',
    properties: {
      kid: str({ description: 'EAB key identifier (RFC 8555 §7.3.4)' }),
      subscriberId: nullable(str()),
      label: nullable(str()),
      createdAt: dateTime,
      revokedAt: nullable(dateTime),
      compromisedAt: nullable(dateTime),
    },
  },
  IssuedCredential: {
    type: 'object',
    required: ['credential', 'kid', 'hmacKey'],
    properties: {
      credential: ref('Credential'),
      kid: str(),
      hmacKey: str({ description: 'base64url HMAC key — shown only in this response, never again' }),
      directoryUrl: str({ format: 'uri' }),
    },
  },
  Consent: {
    type: 'object',
    required: ['termsVersion', 'cpsVersion', 'ctDisclosureVersion', 'agreedAt', 'confirmationMethod'],
    additionalProperties: false,
    description: "The subscriber's consent as the operator obtained it (AR 10): versions agreed to, when, how confirmed",
    properties: {
      termsVersion: str({ minLength: 1, maxLength: 64 }),
      cpsVersion: str({ minLength: 1, maxLength: 64 }),
      ctDisclosureVersion: str({ minLength: 1, maxLength: 64, description: 'Version of the disclosure on CT logs operated abroad' }),
      agreedAt: dateTime,
      confirmationMethod: str({ enum: ['online-form', 'electronic-contract', 'email', 'paper', 'other'] }),
      confirmationReference: nullable(str({ maxLength: 200 })),
    },
  },
  ApplicationInput: {
    type: 'object',
    required: ['subscriberId', 'fqdn', 'period', 'consent'],
    additionalProperties: false,
    properties: {
      subscriberId: str(),
      fqdn: str({ minLength: 1, maxLength: 1024, description: 'FQDN or `*.` wildcard; U-labels are converted to A-labels' }),
      period,
      consent: ref('Consent'),
    },
  },
  ScreeningReason: { type: 'object', required: ['code', 'detail'], properties: { code: str(), detail: str() } },
  ApplicationDecision: {
    type: 'object',
    required: ['applicationId', 'decision', 'reasons', 'usageFqdn'],
    properties: {
      applicationId: str(),
      decision: str({ enum: ['accepted', 'refused'] }),
      reasons: { type: 'array', items: ref('ScreeningReason') },
      usageFqdn: nullable(ref('UsageFqdn')),
    },
  },
  CertificateSummary: {
    type: 'object',
    properties: {
      serial: str({ description: 'Hex, lower case' }),
      names: { type: 'array', items: str() },
      notBefore: dateTime,
      notAfter: dateTime,
      issuedAt: dateTime,
      revokedAt: nullable(dateTime),
      revocationReason: nullable({ type: 'integer' }),
    },
  },
  UsageFqdn: {
    type: 'object',
    properties: {
      id: str(),
      subscriberId: str(),
      operatorId: str({ description: 'Managing operator' }),
      fqdn: str(),
      allowedNames: { type: 'array', items: str(), description: 'Names certificates may hold for it (SPEC §5.2)' },
      status: str({ enum: ['applied', 'active', 'ended'] }),
      period,
      continuationPeriod: period,
      appliedAt: dateTime,
      startDate: nullable(date),
      expiryDate: nullable(date),
      terminationNotice: nullable({ type: 'object', properties: { filedAt: dateTime, filedBy: nullable(str()) } }),
      endedOn: nullable(date),
      endReason: nullable(str()),
      certificates: { type: 'array', items: ref('CertificateSummary') },
    },
  },
  Certificate: {
    allOf: [
      ref('CertificateSummary'),
      {
        type: 'object',
        properties: {
          subscriberId: str(),
          operatorId: str(),
          usageFqdnIds: { type: 'array', items: str() },
          pem: str({ description: 'The certificate (PEM)' }),
        },
      },
    ],
  },
  StatementLine: {
    type: 'object',
    properties: {
      date: date,
      kind: str({ enum: ['contract', 'registration', 'continuation'] }),
      fqdn: nullable(str()),
      subscriberId: nullable(str()),
      usageFqdnId: nullable(str()),
      period: nullable(period),
      periodStart: nullable(date),
      periodEnd: nullable(date),
      unitPrice: { type: 'integer' },
      taxRatePercent: { type: 'integer' },
      tax: { type: 'integer' },
      total: { type: 'integer' },
    },
  },
  Statement: {
    type: 'object',
    properties: {
      operatorId: str(),
      operatorName: str(),
      month: str({ pattern: '^\\d{4}-\\d{2}$' }),
      currency: str(),
      lines: { type: 'array', items: ref('StatementLine') },
      subtotal: { type: 'integer' },
      tax: { type: 'integer' },
      total: { type: 'integer' },
      openingBalance: { type: 'integer' },
      payments: { type: 'array', items: { type: 'object', properties: { receivedOn: date, amount: { type: 'integer' }, reference: nullable(str()) } } },
      paymentsTotal: { type: 'integer' },
      closingBalance: { type: 'integer' },
    },
  },
};

export const revocationBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { reason: { type: 'integer', description: 'RFC 5280 reason code: 0, 1, 3, 4 or 5 (SPEC §7); default 0' } },
};
