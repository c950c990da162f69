import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startShomei, type ShomeiInstance } from '../../src/app.js';
import { createEabCredentials, type EabCredentials } from '../../src/admin/eab.js';
import { systemClock, type Clock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { validateConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { freshDatabaseUrl } from './database.js';

export interface TestShomei {
  inst: ShomeiInstance;
  directoryUrl: string;
  rootPem: string;
  dataDir: string;
  mintEab(label?: string): Promise<EabCredentials>;
  close(): Promise<void>;
}

export interface TestShomeiOptions {
  /** host:port of the test DNS server the VA must use. */
  dnsResolver: string;
  httpPort?: number;
  tlsAlpnPort?: number;
  clock?: Clock;
  config?: Partial<ConfigInput>;
}

/**
 * A real Shomei on loopback with ephemeral ports, a fresh database (SQLite,
 * or PostgreSQL when SHOMEI_TEST_DB=postgres) and a throwaway data directory.
 * The VA is the real one, pointed at the test DNS server and responders.
 */
export async function startTestShomei(o: TestShomeiOptions): Promise<TestShomei> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shomei-test-'));
  const db = await freshDatabaseUrl();
  const extra = o.config ?? {};
  const config = validateConfig({
    ...extra,
    dataDir,
    log: { level: process.env['SHOMEI_TEST_LOG'] ?? 'silent' },
    database: { url: db.url },
    acme: { port: 0, ...(extra.acme ?? {}) },
    artefacts: { port: 0, ...(extra.artefacts ?? {}) },
    operatorApi: { port: 0, ...(extra.operatorApi ?? {}) },
    adminApi: { port: 0, ...(extra.adminApi ?? {}) },
    // Tests drive the scheduler themselves (with an injected clock).
    jobs: { enabled: false, ...(extra.jobs ?? {}) },
    // The foundation suites mint plain admin EAB credentials; agency suites turn this off.
    registry: { allowUnboundAccounts: true, ...(extra.registry ?? {}) },
    va: {
      dnsResolver: o.dnsResolver,
      allowPrivateAddresses: true,
      timeoutMs: 3000,
      ...(o.httpPort !== undefined ? { httpPort: o.httpPort } : {}),
      ...(o.tlsAlpnPort !== undefined ? { tlsAlpnPort: o.tlsAlpnPort } : {}),
      ...(extra.va ?? {}),
    },
  });
  const clock = o.clock ?? systemClock;
  const inst = await startShomei(config, { logger: createLogger(config.log.level), clock });
  return {
    inst,
    directoryUrl: inst.urls.directory,
    rootPem: inst.ca.rootPem(),
    dataDir,
    mintEab: (label?: string) => createEabCredentials({ sa: inst.sa, box: inst.box, clock }, label === undefined ? {} : { label }),
    close: async () => {
      await inst.stop();
      await db.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
