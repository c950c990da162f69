import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestDnsServer } from '../support/dns-server.js';
import type { TestShomei } from '../support/test-shomei.js';
import {
  describeRun,
  dnsSans,
  FORBIDDING_CAA,
  opensslVerify,
  readLeaf,
  runClient,
  storedSerial,
  type ClientResult,
  type TxtControl,
  startInteropEnv,
  type InteropEnv,
} from './interop-support.js';

/**
 * Interop with the real `certbot` binary (Debian's 2.1): account creation with
 * EAB, issuance over http-01 (standalone server) and dns-01 (manual hooks),
 * renewal, revocation with a reason, and refused orders. One Shomei for the
 * file; certbot runs one at a time.
 */
describe('certbot (real binary) against Shomei', { timeout: 15 * 60_000 }, () => {
  let dns: TestDnsServer;
  let s: TestShomei;
  let txt: TxtControl;
  let work: string;
  let rootPath: string;
  let httpPort: number;
  /** Config/work/logs of the profile most tests share; its account is made by whichever test runs first. */
  let shared: string;
  let sharedEab: { kid: string; hmacKey: string };

  let env: InteropEnv | undefined;

  before(async () => {
    env = await startInteropEnv('certbot');
    ({ dns, s, txt, work, rootPath, httpPort, shared, sharedEab } = env);
  });
  after(async () => env?.close());

  function certbot(profile: string, args: string[]): Promise<ClientResult> {
    return runClient(
      'certbot',
      [
        ...args,
        '--non-interactive',
        '--config-dir',
        join(profile, 'config'),
        '--work-dir',
        join(profile, 'work'),
        '--logs-dir',
        join(profile, 'logs'),
      ],
      { env: { ...process.env, REQUESTS_CA_BUNDLE: rootPath }, cwd: work },
    );
  }

  /** certbot's own debug log of its last run: it holds the server's responses verbatim. */
  function lastLog(profile: string): string {
    const p = join(profile, 'logs', 'letsencrypt.log');
    return existsSync(p) ? readFileSync(p, 'utf8') : '';
  }

  const account = (eab: { kid: string; hmacKey: string }) => [
    '--server',
    s.directoryUrl,
    '--agree-tos',
    '--email',
    'ops@example.com',
    '--no-eff-email',
    // One argument each: an HMAC key starting with "-" would otherwise be read as an option by argparse.
    `--eab-kid=${eab.kid}`,
    `--eab-hmac-key=${eab.hmacKey}`,
  ];

  const standalone = () => ['--standalone', '--http-01-port', String(httpPort), '--http-01-address', '127.0.0.1'];

  function ok(r: ClientResult): void {
    assert.equal(r.code, 0, `certbot failed:\n${describeRun(r)}`);
  }

  function live(profile: string, certName: string, file: string): string {
    return join(profile, 'config', 'live', certName, file);
  }

  /** The leaf verifies with `openssl verify` against Shomei's root, chain.pem as untrusted intermediates. */
  function assertVerifies(profile: string, certName: string, r: ClientResult): void {
    const v = opensslVerify(
      join(profile, 'work'),
      s.rootPem,
      readFileSync(live(profile, certName, 'cert.pem'), 'utf8'),
      readFileSync(live(profile, certName, 'chain.pem'), 'utf8'),
    );
    assert.ok(v.ok, `openssl verify failed:\n${v.output}\n${describeRun(r)}`);
  }

  async function issueHttp(certName: string, names: string[]): Promise<ClientResult> {
    const r = await certbot(shared, [
      'certonly',
      ...account(sharedEab),
      ...standalone(),
      '--cert-name',
      certName,
      ...names.flatMap((n) => ['-d', n]),
    ]);
    ok(r);
    return r;
  }

  test('new account with EAB + http-01 issuance (standalone) for two names', async () => {
    const profile = join(work, 'eab-http');
    const eab = await s.mintEab('certbot interop (http-01)');
    const names = ['cb-http.example.com', 'www.cb-http.example.com'];
    const r = await certbot(profile, ['certonly', ...account(eab), ...standalone(), '--cert-name', 'cb-http', ...names.flatMap((n) => ['-d', n])]);
    ok(r);
    assert.match(r.stdout + r.stderr, /Account registered/, describeRun(r));
    for (const f of ['cert.pem', 'chain.pem', 'fullchain.pem', 'privkey.pem']) {
      assert.ok(existsSync(live(profile, 'cb-http', f)), `${f} missing\n${describeRun(r)}`);
    }
    const leaf = readLeaf(live(profile, 'cb-http', 'cert.pem'));
    assert.deepEqual(dnsSans(leaf), names.sort());
    assertVerifies(profile, 'cb-http', r);
    // The account the certificate went to is bound to the EAB key id.
    const row = await s.inst.sa.repos.getCertificate(storedSerial(leaf));
    assert.ok(row, `certificate ${storedSerial(leaf)} not in the database`);
    const acct = await s.inst.sa.repos.getAccountById(row.account_id);
    assert.equal(acct?.eab_kid, eab.kid);
  });

  test('dns-01 via manual hooks: wildcard + base name (two TXT values at one owner name)', async () => {
    const names = ['*.cb-dns.example.com', 'cb-dns.example.com'];
    const owner = '_acme-challenge.cb-dns.example.com';
    const before = txt.calls.length;
    const r = await certbot(shared, [
      'certonly',
      ...account(sharedEab),
      '--manual',
      '--preferred-challenges',
      'dns',
      '--manual-auth-hook',
      `${txt.hookPath} certbot-present`,
      '--manual-cleanup-hook',
      `${txt.hookPath} certbot-cleanup`,
      '--cert-name',
      'cb-dns',
      ...names.flatMap((n) => ['-d', n]),
    ]);
    ok(r);
    const calls = txt.calls.slice(before);
    assert.deepEqual(
      calls.map((c) => `${c.action} ${c.name}`),
      [`present ${owner}`, `present ${owner}`, `cleanup ${owner}`, `cleanup ${owner}`],
      describeRun(r),
    );
    // certbot publishes both records before answering either challenge.
    assert.equal(txt.maxValues.get(owner), 2);
    assert.ok(dns.queries.some((q) => q.name === owner && q.type === 'TXT'), 'the VA looked the TXT record up');
    const leaf = readLeaf(live(shared, 'cb-dns', 'cert.pem'));
    assert.deepEqual(dnsSans(leaf), names.sort());
    assertVerifies(shared, 'cb-dns', r);
  });

  test('renewal (certbot renew --force-renewal) issues a new certificate', async () => {
    const first = await issueHttp('cb-renew', ['cb-renew.example.com']);
    const before = readLeaf(live(shared, 'cb-renew', 'cert.pem'));
    const r = await certbot(shared, ['renew', '--cert-name', 'cb-renew', '--force-renewal', '--no-random-sleep-on-renew']);
    ok(r);
    assert.match(r.stdout + r.stderr, /all renewals succeeded/i, describeRun(r));
    const renewed = readLeaf(live(shared, 'cb-renew', 'cert.pem'));
    assert.notEqual(storedSerial(renewed), storedSerial(before), `same serial after renewal\n${describeRun(first)}\n${describeRun(r)}`);
    assert.deepEqual(dnsSans(renewed), ['cb-renew.example.com']);
    assertVerifies(shared, 'cb-renew', r);
    for (const c of [before, renewed]) {
      const row = await s.inst.sa.repos.getCertificate(storedSerial(c));
      assert.ok(row, `certificate ${storedSerial(c)} not in the database`);
      assert.equal(row.revoked_at, null);
    }
  });

  test('revocation with reason keyCompromise', async () => {
    await issueHttp('cb-revoke', ['cb-revoke.example.com']);
    const leaf = readLeaf(live(shared, 'cb-revoke', 'cert.pem'));
    const r = await certbot(shared, [
      'revoke',
      '--server',
      s.directoryUrl,
      '--cert-path',
      live(shared, 'cb-revoke', 'cert.pem'),
      '--reason',
      'keycompromise',
      '--no-delete-after-revoke',
    ]);
    ok(r);
    assert.match(r.stdout + r.stderr, /successfully revoked/i, describeRun(r));
    const row = await s.inst.sa.repos.getCertificate(storedSerial(leaf));
    assert.ok(row, `certificate ${storedSerial(leaf)} not in the database`);
    assert.equal(row.revocation_reason, 1, describeRun(r));
    assert.ok(row.revoked_at);
  });

  test('refused order: CAA forbids this CA → urn:ietf:params:acme:error:caa', async () => {
    const name = 'cb-caa.example.com';
    dns.setCaa(name, FORBIDDING_CAA);
    const r = await certbot(shared, ['certonly', ...account(sharedEab), ...standalone(), '--cert-name', 'cb-caa', '-d', name]);
    assert.notEqual(r.code, 0, `certbot should have failed:\n${describeRun(r)}`);
    assert.ok(!existsSync(live(shared, 'cb-caa', 'cert.pem')), 'no certificate may be saved');
    // certbot prints the problem type without its prefix ("Type:   caa") and
    // logs the server's problem document verbatim.
    assert.match(r.stdout + r.stderr, new RegExp(`Domain: ${name.replace(/\./g, '\\.')}\\s+Type:\\s+caa\\s`), describeRun(r));
    assert.ok(lastLog(shared).includes('"type":"urn:ietf:params:acme:error:caa"'), `the server's caa problem is not in certbot's log\n${describeRun(r)}`);
  });

  test('refused order: identifier the server rejects (bad_name.example.com) → urn:ietf:params:acme:error:rejectedIdentifier', async () => {
    // certbot 2.1 sends the name as is. On Python ≥ 3.11 it then crashes on the
    // ACME error ("AttributeError: can't set attribute", certbot issue #9539,
    // fixed in certbot 2.2) instead of printing it, so the server's exact
    // problem is asserted from certbot's debug log, which records the response.
    const r = await certbot(shared, ['certonly', ...account(sharedEab), ...standalone(), '--cert-name', 'cb-bad', '-d', 'bad_name.example.com']);
    assert.notEqual(r.code, 0, `certbot should have failed:\n${describeRun(r)}`);
    assert.ok(!existsSync(live(shared, 'cb-bad', 'cert.pem')), 'no certificate may be saved');
    const log = lastLog(shared);
    assert.ok(
      log.includes('"type":"urn:ietf:params:acme:error:rejectedIdentifier"') && log.includes('bad_name.example.com'),
      `the server's rejectedIdentifier problem is not in certbot's log\n${describeRun(r)}`,
    );
    assert.match(log, /HTTP 400/, 'new-order answered 400');
  });
});
