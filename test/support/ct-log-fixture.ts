// The built-in CT logs on their own: a fresh database (SQLite, or PostgreSQL
// with SHOMEI_TEST_DB=postgres), the generated development CA, the logs
// opened by openBuiltinLogs and served by the real artefacts listener on
// 127.0.0.1 — plus real (pre)certificates signed by the dev intermediate,
// to submit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildArtefactServer } from '../../src/artefacts/server.js';
import { loadOrCreateDevHierarchy, type DevHierarchy } from '../../src/ca/dev-hierarchy.js';
import { describeIssuingCa } from '../../src/ca/issuing-ca.js';
import type { CertificateAuthority } from '../../src/ca/types.js';
import { systemClock, type Clock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { validateConfig } from '../../src/config/load.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { openBuiltinLogs, type BuiltinCtLogs } from '../../src/ct/log/builtin-logs.js';
import { openDatabase, StorageAuthority } from '../../src/sa/index.js';
import { makeCert, type CertOptions, type Issuer } from './ct-certs.js';
import { freshDatabaseUrl } from './database.js';

export interface IssuedForTest {
  der: Uint8Array;
  /** [leaf, intermediate, root] as add-chain / add-pre-chain want it. */
  chain: Uint8Array[];
  /** The TBSCertificate built from the same fields without the poison (what a precert SCT covers, RFC 6962 §3.2). */
  tbsWithoutPoison: Uint8Array;
}

export interface CtLogFixture {
  config: Config;
  sa: StorageAuthority;
  logs: BuiltinCtLogs;
  hierarchy: DevHierarchy;
  /** http://127.0.0.1:<port> of the artefacts listener. */
  baseUrl: string;
  server: FastifyInstance;
  /** The dev intermediate as an issuer. */
  intermediate: Issuer;
  /** A certificate (or, with precert, a poisoned precertificate) for `names`, signed by the dev intermediate. */
  issue(names: string[], o?: Omit<CertOptions, 'names' | 'now'>): Promise<IssuedForTest>;
  close(): Promise<void>;
}

export async function startCtLogFixture(o: { clock?: Clock; config?: Partial<ConfigInput> } = {}): Promise<CtLogFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shomei-ctlog-'));
  const db = await freshDatabaseUrl();
  const clock = o.clock ?? systemClock;
  const config = validateConfig({ ...(o.config ?? {}), dataDir, database: { url: db.url }, artefacts: { host: '127.0.0.1', port: 0 } });
  const logger = createLogger(process.env['SHOMEI_TEST_LOG'] ?? 'silent');
  const sa = new StorageAuthority(openDatabase(config.database.url));
  await sa.migrate();
  const hierarchy = await loadOrCreateDevHierarchy(join(dataDir, 'ca'), { organization: 'Shomei CT Test', now: clock.now() });
  const inter = describeIssuingCa(hierarchy.intermediate.der, hierarchy.intermediateSigner);
  const logs = await openBuiltinLogs({ config, sa, clock, logger, acceptedRoots: () => [hierarchy.root.der] });
  const ca = {
    intermediateDer: () => hierarchy.intermediate.der,
    intermediatePem: () => hierarchy.intermediate.pem,
    rootDer: () => hierarchy.root.der,
    rootPem: () => hierarchy.root.pem,
  } as unknown as CertificateAuthority;
  const server = await buildArtefactServer(() => ca, logger, [logs.routes]);
  await server.listen({ host: '127.0.0.1', port: 0 });
  const addr = server.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  const baseUrl = `http://127.0.0.1:${addr.port}`;
  config.artefacts.baseUrl = baseUrl;

  const intermediate: Issuer = { subject: inter.subjectDer, signer: hierarchy.intermediateSigner };
  const issue: CtLogFixture['issue'] = async (names, io = {}) => {
    const c = await makeCert(intermediate, { ...io, names, now: clock.now() });
    return { der: c.der, chain: [c.der, hierarchy.intermediate.der, hierarchy.root.der], tbsWithoutPoison: c.tbsWithoutPoison };
  };

  return {
    config,
    sa,
    logs,
    hierarchy,
    intermediate,
    baseUrl,
    server,
    issue,
    close: async () => {
      await server.close();
      await sa.close();
      await db.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
