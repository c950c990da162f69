#!/usr/bin/env node
// Regenerates the checked-in OpenAPI documents of the operator and admin APIs
// (docs/openapi/operator-v1.json, docs/openapi/admin-v1.json) from what a
// running Shomei serves at /operator/v1/openapi.json and /admin/v1/openapi.json,
// with servers[0].url set to the default listeners (https://localhost:14001,
// https://localhost:14002). The documents are generated from the same route
// tables Fastify registers, so this is the only place they are written.
//
//   npm run openapi            write the copies
//   npm run openapi -- --check exit 1 (and say which) when a copy is stale
//
// A throwaway instance is started for it: temp data directory, SQLite, port 0,
// no jobs, silent log; it is stopped and removed afterwards.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startShomei } from '../src/app.js';
import { validateConfig } from '../src/config/load.js';
import { createLogger } from '../src/core/logger.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The published copies: where they live and the server URL they name. */
export const OPENAPI_COPIES = {
  operator: { file: join(ROOT, 'docs/openapi/operator-v1.json'), serverUrl: 'https://localhost:14001/operator/v1' },
  admin: { file: join(ROOT, 'docs/openapi/admin-v1.json'), serverUrl: 'https://localhost:14002/admin/v1' },
} as const;

export type ApiName = keyof typeof OPENAPI_COPIES;

/** What to run when a copy is stale (the npm script runs `node --import tsx scripts/openapi.ts`). */
export const REGENERATE_COMMAND = 'npm run openapi';
export const REGENERATE_COMMAND_DIRECT = 'node --import tsx scripts/openapi.ts';

/** A served document as it is published: servers[0].url set to the default listener. */
export function publishedDocument(api: ApiName, served: Record<string, unknown>): Record<string, unknown> {
  return { ...served, servers: [{ url: OPENAPI_COPIES[api].serverUrl }] };
}

/** The file text of a published document (2-space JSON, trailing newline). */
export function documentText(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function getJson(url: string, ca: string): Promise<Record<string, unknown>> {
  return new Promise((resolvePromise, reject) => {
    const req = request(url, { ca, headers: { accept: 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`GET ${url}: ${res.statusCode} ${text.slice(0, 200)}`));
        else resolvePromise(JSON.parse(text) as Record<string, unknown>);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Start a throwaway Shomei and fetch both documents as published. */
export async function generateOpenApiDocuments(): Promise<Record<ApiName, Record<string, unknown>>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shomei-openapi-'));
  try {
    const config = validateConfig({
      dataDir,
      log: { level: 'silent' },
      database: { url: `sqlite:${join(dataDir, 'shomei.db')}` },
      acme: { port: 0 },
      artefacts: { port: 0 },
      operatorApi: { port: 0 },
      adminApi: { port: 0 },
      jobs: { enabled: false },
    });
    const inst = await startShomei(config, { logger: createLogger('silent') });
    try {
      const ca = inst.ca.rootPem();
      return {
        operator: publishedDocument('operator', await getJson(`${inst.operatorApiUrl}/openapi.json`, ca)),
        admin: publishedDocument('admin', await getJson(`${inst.adminApiUrl}/openapi.json`, ca)),
      };
    } finally {
      await inst.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const docs = await generateOpenApiDocuments();
  let stale = 0;
  for (const api of Object.keys(OPENAPI_COPIES) as ApiName[]) {
    const { file } = OPENAPI_COPIES[api];
    const text = documentText(docs[api]);
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    const rel = file.slice(ROOT.length + 1);
    if (current === text) {
      console.log(`${rel}: up to date`);
    } else if (check) {
      console.error(`${rel}: stale — run \`${REGENERATE_COMMAND}\``);
      stale += 1;
    } else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      console.log(`${rel}: written`);
    }
  }
  return stale === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.stack : err);
      process.exit(2);
    },
  );
}
