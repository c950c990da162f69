/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it). */
export type JsonSchema = Record<string, unknown>;

export interface ApiResponseSpec {
  description: string;
  /** Schema of the JSON body (usually a `$ref` to components). */
  schema?: JsonSchema;
  /** Other media types with a string body (e.g. `text/csv`). */
  content?: Record<string, JsonSchema>;
}

/** What a handler sees: validated inputs and the authenticated principal. */
export interface ApiRequest<P> {
  principal: P;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

export interface ApiReply {
  status: number;
  body: unknown;
  /** Default `application/json`. */
  contentType?: string;
  headers?: Record<string, string>;
}

/**
 * One route of a REST API, described once: Fastify registers and validates it
 * from this, and the OpenAPI document is generated from the same table, so the
 * two cannot drift.
 */
export interface ApiRoute<P> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** OpenAPI path template below the API prefix, e.g. `/subscribers/{subscriberId}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Path parameter schemas (all required). */
  params?: Record<string, JsonSchema>;
  /** Query parameter schemas (all optional). */
  query?: Record<string, JsonSchema>;
  body?: JsonSchema;
  /** Largest accepted body in bytes, when the server-wide limit is too small for this route (e.g. a long list of serials). */
  maxBodyBytes?: number;
  responses: Record<number, ApiResponseSpec>;
  /** false = no authentication (e.g. the OpenAPI document itself). */
  auth?: boolean;
  handler(req: ApiRequest<P>): Promise<ApiReply>;
}

export const json = (status: number, body: unknown): ApiReply => ({ status, body });

/** A body schema (its top-level `$ref` already resolved) whose every property is optional: the body may be left out, meaning `{}`. */
export function bodyIsOptional(schema: JsonSchema): boolean {
  const required = schema['required'];
  return !(Array.isArray(required) && required.length > 0);
}
