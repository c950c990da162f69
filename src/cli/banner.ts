import type { Config } from '../config/schema.js';

/** What `shomei start` prints once the CA is listening. */
export function startBanner(c: Config, rootPath: string, workers: number): string {
  const dataFlag = c.dataDir === `${process.cwd()}/data` ? '' : ` --data ${c.dataDir}`;
  return [
    '',
    `Shomei is running${workers > 1 ? ` (${workers} worker processes)` : ''}.`,
    `  ACME directory:   ${c.acme.baseUrl}/acme/directory`,
    `  Root certificate: ${rootPath}   (trust this to talk to the ACME endpoint)`,
    `  CA artefacts:     ${c.artefacts.baseUrl}/issuer/intermediate.der`,
    `  Database:         ${c.database.url.startsWith('sqlite:') ? c.database.url : 'postgres (from configuration)'}`,
    `  Operator API:     ${c.operatorApi.baseUrl}/operator/v1   (OpenAPI: /operator/v1/openapi.json)`,
    `  Admin API:        https://localhost:${c.adminApi.port}/admin/v1   (token: npx shomei admin-token create <your-name>${dataFlag})`,
    `  Designate an operator: npx shomei operator designate --help`,
    '',
  ].join('\n');
}
