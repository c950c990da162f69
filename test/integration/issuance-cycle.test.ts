// The issuance cycle over real ACME (SPEC §6, RFC 6962): serial ledger,
// precertificate in both built-in logs, SCTs verifying over the precertificate
// TBS, final certificate logged too, CRL shard recorded; and the failure
// paths — not enough CT logs, a lint refusal — fail the order cleanly with
// nothing issued and the serial never reused.
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { LintError } from '../../src/ca/authority.js';
import { canonicalSerialHex } from '../../src/core/serial-number.js';
import { issuerKeyHash, parseSctList, precertTbsFromCertificate, verifySct } from '../../src/ct/precertificate.js';
import { decodeSct } from '../../src/ct/rfc6962.js';
import { ProtocolFixture, type Account } from '../support/protocol-fixture.js';
import { makeCsr } from '../support/csr.js';

async function issue(f: ProtocolFixture, acct: Account, names: string[]) {
  const { url, body } = await f.readyOrder(acct, names);
  const csr = await makeCsr(names);
  const fin = await f.post(acct, body['finalize'] as string, { csr: csr.csrB64u });
  return { url, fin };
}

async function orderRowOf(f: ProtocolFixture, url: string) {
  const id = url.split('/').at(-1)!;
  return (await f.shomei.inst.sa.repos.getOrder(id))!;
}

describe('issuance cycle with the built-in CT logs', () => {
  let f: ProtocolFixture;
  let acct: Account;
  before(async () => {
    f = await ProtocolFixture.start();
    acct = await f.newAccount();
  });
  after(async () => f.close());

  test('precertificate → two SCTs → final certificate: ledger, logs, SCT signatures and CRL shard agree', async () => {
    const { url, fin } = await issue(f, acct, ['cycle.example.com']);
    assert.equal(fin.status, 200, fin.body);
    const order = await orderRowOf(f, url);
    const serial = order.certificate_serial!;
    const certRow = (await f.shomei.inst.sa.repos.getCertificate(serial))!;
    const ledger = (await f.shomei.inst.sa.repos.getSerial(serial))!;
    assert.equal(ledger.status, 'issued');
    assert.equal(ledger.order_id, order.id);
    assert.equal(certRow.issuer_key_id, f.shomei.inst.ca.issuerKeyIdHex());
    assert.equal(certRow.crl_shard, ledger.crl_shard);
    assert.ok(certRow.crl_shard! >= 0 && certRow.crl_shard! < f.shomei.inst.config.crl.shards);

    const der = new Uint8Array(Buffer.from(certRow.der, 'base64'));
    const precert = new Uint8Array(Buffer.from(ledger.precert_der!, 'base64'));
    // The final certificate is the precertificate with the poison swapped for the SCT list.
    assert.deepEqual(Buffer.from(precertTbsFromCertificate(der)), Buffer.from(precertTbsFromCertificate(precert)));
    assert.equal(canonicalSerialHex(new X509Certificate(der).serialNumber), serial);

    const scts = parseSctList(der).map(decodeSct);
    assert.equal(scts.length, 2);
    const stored = JSON.parse(ledger.scts!) as Array<{ log: string }>;
    assert.deepEqual(stored.map((s) => s.log).sort(), ['shomei-dev-a', 'shomei-dev-b']);
    const logs = f.shomei.inst.ctLogs.descriptors(f.shomei.inst.config.artefacts.baseUrl);
    const entry = { type: 'precert' as const, issuerKeyHash: issuerKeyHash(f.shomei.inst.ca.intermediateDer()), tbsDer: precertTbsFromCertificate(der) };
    for (const sct of scts) {
      const log = logs.find((l) => Buffer.from(l.logId).equals(Buffer.from(sct.logId)));
      assert.ok(log, 'SCT from a configured log');
      assert.ok(verifySct(sct, entry, log.publicKeySpki), `SCT of ${log.name} verifies`);
    }
    // Both logs hold the precertificate and (after the best-effort add-chain) the final certificate.
    await f.shomei.inst.ra.drain();
    for (const log of logs) {
      const sth = (await (await fetch(`${log.url}ct/v1/get-sth`)).json()) as { tree_size: number };
      assert.ok(sth.tree_size >= 2, `${log.name} has the precertificate and the certificate (tree size ${sth.tree_size})`);
      const entries = (await (await fetch(`${log.url}ct/v1/get-entries?start=0&end=${sth.tree_size - 1}`)).json()) as { entries: Array<{ leaf_input: string }> };
      const leafTypes = entries.entries.map((e) => Buffer.from(e.leaf_input, 'base64').readUInt16BE(10));
      assert.ok(leafTypes.includes(0) && leafTypes.includes(1), `x509 and precert entries in ${log.name}`);
    }
  });

  test('a lint refusal fails the order with serverInternal, is audited, and leaves the serial failed', async () => {
    const ca = f.shomei.inst.ca;
    const orig = ca.issuePrecertificate;
    ca.issuePrecertificate = async () => {
      throw new LintError('precertificate', [{ rule: 'e_test_rule', severity: 'error', message: 'broken on purpose', citation: 'test' }], new Error('lint'));
    };
    try {
      const { url, fin } = await issue(f, acct, ['lint.example.com']);
      assert.equal(fin.status, 500, fin.body);
      assert.equal(fin.json()['type'], 'urn:ietf:params:acme:error:serverInternal');
      const order = await orderRowOf(f, url);
      assert.equal(order.status, 'invalid');
      assert.equal(order.certificate_serial, null);
      const audits = await f.shomei.inst.sa.repos.listAudit('order', order.id);
      const refused = audits.find((a) => a.action === 'certificate.lint-refused');
      assert.ok(refused, 'the lint refusal is audited');
      assert.match(refused.details, /e_test_rule/);
      const ledger = await f.shomei.inst.sa.repos.listSerialsOfOrder(order.id);
      assert.deepEqual(ledger.map((l) => [l.status, l.precert_der]), [['failed', null]]);
      assert.match(ledger[0]!.error ?? '', /lint/);
    } finally {
      ca.issuePrecertificate = orig;
    }
  });
});

describe('issuance cycle when the CT policy cannot be met', () => {
  let f: ProtocolFixture;
  let acct: Account;
  before(async () => {
    // A third operator is required, and its only log does not answer.
    f = await ProtocolFixture.start({
      config: {
        ct: {
          minScts: 3,
          minDistinctOperators: 3,
          submitTimeoutMs: 500,
          logs: [{ name: 'dead', url: 'http://127.0.0.1:9/', key: deadLogKey(), operator: 'Nobody Home' }],
        },
      },
    });
    acct = await f.newAccount();
  });
  after(async () => f.close());

  test('the order fails with a retryable serverInternal, no certificate exists, the serial is burnt', async () => {
    const { url, fin } = await issue(f, acct, ['noct.example.com']);
    assert.equal(fin.status, 500, fin.body);
    const p = fin.json();
    assert.equal(p['type'], 'urn:ietf:params:acme:error:serverInternal');
    assert.match(String(p['detail']), /Certificate Transparency/);
    assert.match(String(p['detail']), /dead/);
    assert.match(String(p['detail']), /new order later/);
    const order = await orderRowOf(f, url);
    assert.equal(order.status, 'invalid');
    assert.equal(order.certificate_serial, null);
    const ledger = await f.shomei.inst.sa.repos.listSerialsOfOrder(order.id);
    assert.equal(ledger.length, 1);
    assert.equal(ledger[0]!.status, 'failed');
    assert.ok(ledger[0]!.precert_der !== null, 'the precertificate was signed and kept');
    assert.equal(await f.shomei.inst.sa.repos.getCertificate(ledger[0]!.serial), undefined);
  });
});

function deadLogKey(): string {
  // Any P-256 public key: the log never answers, so it never signs anything.
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}
