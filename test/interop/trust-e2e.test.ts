// Issue 4's acceptance scenario with the real pieces: `shomei start` (the
// command `npm start` runs, on its embedded defaults: generated dev CA, two
// built-in CT logs; the database is SQLite or, with SHOMEI_TEST_DB=postgres,
// a throwaway PostgreSQL), Debian's certbot for issuance and revocation, and
// openssl for the CRL. Checked independently of Shomei's own code: the SCTs
// are verified here with @peculiar/asn1-x509 + node:crypto over the
// precertificate TBS rebuilt from the certificate, against the log keys from
// the published log list.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash, createPublicKey, verify, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AuthorityKeyIdentifier, Certificate, Extensions, id_ce_authorityKeyIdentifier } from '@peculiar/asn1-x509';
import { freshDatabaseUrl, type FreshDatabase } from '../support/database.js';
import { startTestDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { describeRun, freePort, removeDir, runClient, tempDir, type ClientResult } from './interop-support.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const OID_SCT_LIST = '1.3.6.1.4.1.11129.2.4.2';
const NAME = 'trust-e2e.example.test';

interface LogListEntry {
  log_id: string;
  key: string;
  url: string;
  operator: string;
}

/** RFC 6962 §3.3: SignedCertificateTimestampList → SCTs (independent TLS parser). */
function parseSctList(extnValue: Buffer): Buffer[] {
  // The extension's value is a DER OCTET STRING holding the TLS list.
  assert.equal(extnValue[0], 0x04);
  let off = 1;
  let len = extnValue[off++]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | extnValue[off++]!;
  }
  const list = extnValue.subarray(off, off + len);
  const total = list.readUInt16BE(0);
  assert.equal(total, list.length - 2);
  const out: Buffer[] = [];
  for (let p = 2; p < list.length; ) {
    const l = list.readUInt16BE(p);
    out.push(list.subarray(p + 2, p + 2 + l));
    p += 2 + l;
  }
  return out;
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function u24(n: number): Buffer {
  return Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
}

describe('trust pipeline end to end: shomei start + certbot + openssl', { timeout: 10 * 60_000 }, () => {
  let dns: TestDnsServer;
  let db: FreshDatabase;
  let data: string;
  let work: string;
  let httpPort: number;
  let child: ChildProcessWithoutNullStreams;
  let stderr = '';
  let directory: string;
  let artefacts: string;
  let rootPath: string;
  let env: NodeJS.ProcessEnv;

  const shomei = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args, '--data', data], { env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 120_000 });

  before(async () => {
    dns = await startTestDnsServer();
    db = await freshDatabaseUrl();
    data = tempDir('shomei-trust-data-');
    work = tempDir('shomei-trust-work-');
    httpPort = await freePort();
    env = {
      ...process.env,
      SHOMEI_ACME_PORT: '0',
      SHOMEI_ARTEFACTS_PORT: '0',
      SHOMEI_OPERATOR_API_PORT: '0',
      SHOMEI_ADMIN_API_PORT: '0',
      SHOMEI_DATABASE_URL: db.url,
      SHOMEI_REGISTRY_ALLOW_UNBOUND_ACCOUNTS: 'true',
      SHOMEI_POLICY_ADDITIONAL_TLDS: 'test',
      SHOMEI_VA_DNS_RESOLVER: dns.address,
      SHOMEI_VA_ALLOW_PRIVATE_ADDRESSES: 'true',
      SHOMEI_VA_HTTP_PORT: String(httpPort),
      SHOMEI_JOBS_ENABLED: 'false',
      SHOMEI_LOG_LEVEL: 'warn',
    };
    child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'start', '--data', data], { env });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const deadline = Date.now() + 60_000;
    while (!/Admin API/.test(stderr)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`shomei start did not come up:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    directory = /ACME directory:\s+(\S+)/.exec(stderr)![1]!;
    rootPath = /Root certificate:\s+(\S+)/.exec(stderr)![1]!;
    artefacts = new URL(/CA artefacts:\s+(\S+)/.exec(stderr)![1]!).origin;
  });

  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await dns?.close();
    await db?.cleanup();
    removeDir(data);
    removeDir(work);
  });

  function certbot(args: string[]): Promise<ClientResult> {
    return runClient('certbot', [...args, '--non-interactive', '--config-dir', join(work, 'config'), '--work-dir', join(work, 'work'), '--logs-dir', join(work, 'logs')], {
      env: { ...process.env, REQUESTS_CA_BUNDLE: rootPath },
      cwd: work,
    });
  }

  const live = (file: string) => join(work, 'config', 'live', NAME, file);
  let eab: { kid: string; hmacKey: string };
  let leaf: X509Certificate;
  let logs: LogListEntry[];

  test('certbot obtains a certificate carrying two SCTs from logs of two operators, each verifying over the precertificate TBS', async () => {
    const minted = shomei(['eab', 'create', '--json']);
    assert.equal(minted.status, 0, minted.stderr);
    eab = JSON.parse(minted.stdout) as { kid: string; hmacKey: string };
    const r = await certbot([
      'certonly', '--server', directory, '--agree-tos', '--email', 'ops@example.com', '--no-eff-email',
      `--eab-kid=${eab.kid}`, `--eab-hmac-key=${eab.hmacKey}`,
      '--standalone', '--http-01-port', String(httpPort), '--http-01-address', '127.0.0.1',
      '--cert-name', NAME, '-d', NAME,
    ]);
    assert.equal(r.code, 0, describeRun(r));
    const pem = readFileSync(live('cert.pem'), 'utf8');
    leaf = new X509Certificate(pem);

    // What a person sees: openssl prints both SCTs.
    const text = spawnSync('openssl', ['x509', '-noout', '-text'], { input: pem, encoding: 'utf8' }).stdout;
    assert.match(text, /CT Precertificate SCTs:/);
    assert.equal((text.match(/Signed Certificate Timestamp:/g) ?? []).length, 2, text);
    assert.doesNotMatch(text, /CT Precertificate Poison/);

    // The log list the CA publishes for monitors names the two logs and their keys.
    const list = (await (await fetch(`${artefacts}/ct/log-list.json`)).json()) as { operators: Array<{ name: string; logs: LogListEntry[] }> };
    logs = list.operators.flatMap((o) => o.logs.map((l) => ({ ...l, operator: o.name })));
    assert.equal(new Set(logs.map((l) => l.operator)).size, 2);

    // Rebuild the precertificate TBS (RFC 6962 §3.2): the TBS without the SCT list extension.
    const cert = AsnConvert.parse(leaf.raw, Certificate);
    const tbs = cert.tbsCertificate;
    const sctExt = tbs.extensions!.find((e) => e.extnID === OID_SCT_LIST)!;
    assert.ok(sctExt && !sctExt.critical);
    const scts = parseSctList(Buffer.from(sctExt.extnValue.buffer));
    assert.equal(scts.length, 2);
    tbs.extensions = new Extensions(tbs.extensions!.filter((e) => e.extnID !== OID_SCT_LIST));
    const precertTbs = Buffer.from(AsnConvert.serialize(tbs));
    const issuer = new X509Certificate(readFileSync(live('chain.pem'), 'utf8'));
    const issuerKeyHash = createHash('sha256').update(issuer.publicKey.export({ type: 'spki', format: 'der' })).digest();

    const seen = new Set<string>();
    for (const sct of scts) {
      assert.equal(sct[0], 0, 'SCT v1');
      const logId = sct.subarray(1, 33);
      const timestamp = sct.subarray(33, 41);
      const extLen = sct.readUInt16BE(41);
      const extensions = sct.subarray(43, 43 + extLen);
      let p = 43 + extLen;
      assert.equal(sct[p], 4, 'sha256');
      assert.equal(sct[p + 1], 3, 'ecdsa');
      const sigLen = sct.readUInt16BE(p + 2);
      const signature = sct.subarray(p + 4, p + 4 + sigLen);
      const log = logs.find((l) => Buffer.from(l.log_id, 'base64').equals(logId));
      assert.ok(log, `SCT from an unknown log ${logId.toString('base64')}`);
      seen.add(log.operator);
      const signed = Buffer.concat([
        Buffer.from([0, 0]), // v1, certificate_timestamp
        timestamp,
        u16(1), // precert_entry
        issuerKeyHash,
        u24(precertTbs.length),
        precertTbs,
        u16(extensions.length),
        extensions,
      ]);
      const key = createPublicKey({ key: Buffer.from(log.key, 'base64'), format: 'der', type: 'spki' });
      assert.ok(verify('sha256', signed, key, signature), `SCT of ${log.operator} does not verify`);
    }
    assert.equal(seen.size, 2, 'SCTs from two distinct operators');
  });

  let crlUrl: string;

  async function fetchCrl(): Promise<string> {
    const res = await fetch(crlUrl);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pkix-crl');
    assert.match(res.headers.get('cache-control') ?? '', /max-age=\d+/);
    const der = Buffer.from(await res.arrayBuffer());
    const path = join(work, 'crl.der');
    writeFileSync(path, der);
    const verifyCrl = spawnSync('openssl', ['crl', '-inform', 'DER', '-in', path, '-noout', '-verify', '-CAfile', live('chain.pem')], { encoding: 'utf8' });
    assert.match(verifyCrl.stderr + verifyCrl.stdout, /verify OK/, verifyCrl.stderr);
    return spawnSync('openssl', ['crl', '-inform', 'DER', '-in', path, '-noout', '-text'], { encoding: 'utf8' }).stdout;
  }

  test('the CRL DP names an http:// shard whose signed CRL does not list the fresh certificate', async () => {
    const text = spawnSync('openssl', ['x509', '-noout', '-ext', 'crlDistributionPoints'], { input: readFileSync(live('cert.pem')), encoding: 'utf8' }).stdout;
    crlUrl = /URI:(\S+)/.exec(text)![1]!;
    assert.match(crlUrl, /^http:\/\/.+\/crl\/[0-9a-f]+\/\d+\.crl$/);
    const crl = await fetchCrl();
    assert.match(crl, /X509v3 Issuing Distribution Point: critical/);
    assert.ok(crl.includes(crlUrl), crl);
    assert.doesNotMatch(crl, new RegExp(leaf.serialNumber, 'i'));
  });

  test('certbot revoke --reason keycompromise (signed with the certificate key) puts it on its CRL with the reason', async () => {
    const r = await certbot(['revoke', '--server', directory, '--cert-path', live('cert.pem'), '--key-path', live('privkey.pem'), '--reason', 'keycompromise', '--no-delete-after-revoke']);
    assert.equal(r.code, 0, describeRun(r));
    // The CLI signs next to the running server; it learns the public URL the CRLs are published under.
    const gen = shomei(['crl', 'generate'], { SHOMEI_ARTEFACTS_BASE_URL: artefacts });
    assert.equal(gen.status, 0, gen.stderr);
    const crl = await fetchCrl();
    assert.match(crl, new RegExp(`Serial Number: ${leaf.serialNumber}`, 'i'));
    assert.match(crl, /Key Compromise/);
    const chain = join(work, 'full.pem');
    writeFileSync(chain, readFileSync(rootPath, 'utf8') + readFileSync(live('chain.pem'), 'utf8'));
    const pemCrl = spawnSync('openssl', ['crl', '-inform', 'DER', '-in', join(work, 'crl.der'), '-outform', 'PEM'], { encoding: 'utf8' }).stdout;
    writeFileSync(join(work, 'crl.pem'), pemCrl);
    const v = spawnSync('openssl', ['verify', '-crl_check', '-CAfile', rootPath, '-untrusted', live('chain.pem'), '-CRLfile', join(work, 'crl.pem'), live('cert.pem')], { encoding: 'utf8' });
    assert.notEqual(v.status, 0);
    assert.match(v.stdout + v.stderr, /certificate revoked/);
  });

  test('the compromised key is refused for a new certificate (badPublicKey)', async () => {
    const csrPath = join(work, 'again.csr');
    const req = spawnSync('openssl', ['req', '-new', '-key', live('privkey.pem'), '-subj', '/', '-addext', `subjectAltName=DNS:again.${NAME}`, '-outform', 'DER', '-out', csrPath], { encoding: 'utf8' });
    assert.equal(req.status, 0, req.stderr);
    const r = await certbot([
      'certonly', '--server', directory, '--agree-tos', '--email', 'ops@example.com', '--no-eff-email',
      `--eab-kid=${eab.kid}`, `--eab-hmac-key=${eab.hmacKey}`,
      '--standalone', '--http-01-port', String(httpPort), '--http-01-address', '127.0.0.1',
      '--csr', csrPath, '--cert-path', join(work, 'again.pem'), '--fullchain-path', join(work, 'again-full.pem'), '--chain-path', join(work, 'again-chain.pem'),
    ]);
    assert.notEqual(r.code, 0, describeRun(r));
    const log = readFileSync(join(work, 'logs', 'letsencrypt.log'), 'utf8');
    assert.match(log, /urn:ietf:params:acme:error:badPublicKey/);
  });

  test('ARI answers for the revoked certificate with a window in the past', async () => {
    const cert = AsnConvert.parse(leaf.raw, Certificate);
    const akiExt = cert.tbsCertificate.extensions!.find((e) => e.extnID === id_ce_authorityKeyIdentifier)!;
    const aki = AsnConvert.parse(akiExt.extnValue, AuthorityKeyIdentifier);
    const keyId = Buffer.from(aki.keyIdentifier!.buffer);
    const serial = Buffer.from(cert.tbsCertificate.serialNumber);
    const certId = `${keyId.toString('base64url')}.${serial.toString('base64url')}`;
    const dir = JSON.parse(spawnSync('curl', ['-s', '--cacert', rootPath, directory], { encoding: 'utf8' }).stdout) as { renewalInfo: string };
    const res = spawnSync('curl', ['-s', '-i', '--cacert', rootPath, `${dir.renewalInfo}/${certId}`], { encoding: 'utf8' }).stdout;
    assert.match(res, /^HTTP\/\S+ 200/);
    assert.match(res, /retry-after: \d+/i);
    const body = JSON.parse(res.slice(res.indexOf('\r\n\r\n') + 4)) as { suggestedWindow: { start: string; end: string } };
    assert.ok(Date.parse(body.suggestedWindow.end) <= Date.now(), JSON.stringify(body));
    assert.ok(Date.parse(body.suggestedWindow.start) < Date.parse(body.suggestedWindow.end));
  });
});
