import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { configSchema, type Config, type ParsedConfig } from './schema.js';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function envName(path: string[]): string {
  return 'SHOMEI_' + path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_');
}

/** Unwrap ZodDefault/ZodOptional/ZodEffects to reach the structural type. */
function inner(t: z.ZodTypeAny): z.ZodTypeAny {
  let cur = t;
  for (;;) {
    if (cur instanceof z.ZodDefault) cur = cur._def.innerType;
    else if (cur instanceof z.ZodOptional) cur = cur._def.innerType;
    else if (cur instanceof z.ZodEffects) cur = cur._def.schema;
    else return cur;
  }
}

function coerce(t: z.ZodTypeAny, raw: string): Json {
  const base = inner(t);
  if (base instanceof z.ZodNumber) return raw.trim() === '' ? raw : Number(raw);
  if (base instanceof z.ZodBoolean) {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    return raw;
  }
  if (base instanceof z.ZodArray) {
    // Arrays of objects (log lists) come as JSON; arrays of strings as a comma-separated list.
    if (raw.trim().startsWith('[')) {
      try {
        return JSON.parse(raw) as Json;
      } catch {
        return raw;
      }
    }
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
  return raw;
}

/** Overlay SHOMEI_* environment variables onto `target`, following the schema's shape. */
function applyEnv(
  shape: z.ZodRawShape,
  target: Record<string, Json>,
  env: NodeJS.ProcessEnv,
  path: string[],
): void {
  for (const [key, t] of Object.entries(shape)) {
    const p = [...path, key];
    const base = inner(t);
    if (base instanceof z.ZodObject) {
      const existing = target[key];
      const sub: Record<string, Json> =
        existing !== null && typeof existing === 'object' && !Array.isArray(existing) ? existing : {};
      applyEnv(base.shape as z.ZodRawShape, sub, env, p);
      if (Object.keys(sub).length > 0) target[key] = sub;
      continue;
    }
    const v = env[envName(p)];
    if (v !== undefined) target[key] = coerce(t, v);
  }
}

export interface LoadOptions {
  file?: string | undefined;
  dataDir?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

/** All environment variable names the configuration understands. */
export function listEnvNames(): string[] {
  const out: string[] = [];
  const walk = (shape: z.ZodRawShape, path: string[]) => {
    for (const [key, t] of Object.entries(shape)) {
      const base = inner(t);
      if (base instanceof z.ZodObject) walk(base.shape as z.ZodRawShape, [...path, key]);
      else out.push(envName([...path, key]));
    }
  };
  walk(configSchema.shape, []);
  return out;
}

/**
 * Load configuration: defaults ← file (JSON) ← SHOMEI_* environment ← flags.
 * Throws ConfigError naming the offending field.
 */
export function loadConfig(opts: LoadOptions = {}): Config {
  const env = opts.env ?? process.env;
  let raw: Record<string, Json> = {};
  const file = opts.file ?? env['SHOMEI_CONFIG'];
  if (file !== undefined && file !== '') {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(`cannot read configuration file ${file}: ${(e as Error).message}`);
    }
    try {
      const parsed = JSON.parse(text) as Json;
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new ConfigError(`configuration file ${file}: top level must be a JSON object`);
      }
      raw = parsed;
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      throw new ConfigError(`configuration file ${file} is not valid JSON: ${(e as Error).message}`);
    }
  }
  applyEnv(configSchema.shape, raw, env, []);
  if (opts.dataDir !== undefined) raw['dataDir'] = opts.dataDir;
  return validateConfig(raw);
}

export function validateConfig(raw: unknown): Config {
  const res = configSchema.safeParse(raw);
  if (!res.success) {
    const msgs = res.error.issues.map((i) => {
      const field = i.path.join('.') || '(top level)';
      return `${field}: ${i.message}`;
    });
    throw new ConfigError(`invalid configuration — ${msgs.join('; ')}`);
  }
  return finish(res.data);
}

function finish(c: ParsedConfig): Config {
  const dataDir = resolve(c.dataDir);
  // Port 0 (tests) is resolved to the bound port by app.ts, which rewrites these.
  const acmeBase = (c.acme.baseUrl ?? `https://localhost:${c.acme.port}`).replace(/\/+$/, '');
  const artBase = (c.artefacts.baseUrl ?? `http://localhost:${c.artefacts.port}`).replace(/\/+$/, '');
  let dbUrl = c.database.url;
  if (dbUrl.startsWith('sqlite:')) {
    const p = dbUrl.slice('sqlite:'.length);
    dbUrl = p === ':memory:' ? dbUrl : `sqlite:${isAbsolute(p) ? p : resolve(dataDir, p)}`;
  }
  return {
    ...c,
    dataDir,
    acme: { ...c.acme, baseUrl: acmeBase, explicitBaseUrl: c.acme.baseUrl !== undefined },
    artefacts: { ...c.artefacts, baseUrl: artBase, explicitBaseUrl: c.artefacts.baseUrl !== undefined },
    operatorApi: {
      ...c.operatorApi,
      baseUrl: (c.operatorApi.baseUrl ?? `https://localhost:${c.operatorApi.port}`).replace(/\/+$/, ''),
      explicitBaseUrl: c.operatorApi.baseUrl !== undefined,
    },
    database: { ...c.database, url: dbUrl },
  };
}
