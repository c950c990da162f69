// The CA's two issuance steps (RFC 6962 §3.1, BR §4.3.1.2): a linted
// precertificate with CRL DP and poison, then the final certificate whose TBS
// is the precertificate's byte for byte except the poison, replaced in place
// by the SCT list. Lint failures stop signing.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { createCertificateAuthority, LintError } from '../../../src/ca/authority.js';
import { checkCsr } from '../../../src/ca/csr.js';
import { children, readWhole } from '../../../src/ca/der.js';
import { tbsOf } from '../../../src/ca/tbs-extensions.js';
import { FakeClock } from '../../../src/core/clock.js';
import { canonicalSerialHex } from '../../../src/core/serial-number.js';
import { parseSctList } from '../../../src/ct/precertificate.js';
import type { ConfigInput } from '../../../src/config/schema.js';
import { encodeSct } from '../../../src/ct/rfc6962.js';
import { toPem } from '../../../src/ca/pem.js';
import { makeCsr, opensslText as opensslTextPem, opensslVerify as opensslVerifyPems, tempDir, testConfig } from './fixtures.js';

const opensslText = (dir: string, der: Uint8Array) => opensslTextPem(dir, toPem('CERTIFICATE', der));
const opensslVerify = (dir: string, root: string, der: Uint8Array, intermediate: string) =>
  opensslVerifyPems(dir, { root, intermediate, leaf: toPem('CERTIFICATE', der) }, NOW);

/** A well-formed SCT (RFC 6962 §3.2) from a made-up log; the CA embeds what it is given. */
function sct(seed: number): Uint8Array {
  return encodeSct({ logId: new Uint8Array(32).fill(seed), timestampMs: BigInt(NOW.getTime()), extensions: new Uint8Array(0), hashAlgorithm: 4, signatureAlgorithm: 3, signature: Uint8Array.of(0x30, 0x06, 0x02, 0x01, seed, 0x02, 0x01, seed) });
}

const NOW = new Date('2026-11-21T00:00:00Z');
const CRL_URL = 'http://localhost:14080/crl/0123456789abcdef/3.crl';

async function newCa(input: ConfigInput = {}) {
  const dir = tempDir();
  const ca = await createCertificateAuthority(testConfig(dir, input), { clock: new FakeClock(NOW) });
  return { dir, ca };
}

async function checkedKey() {
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  return checkCsr(makeCsr({ key, dnsNames: ['pre.example.com'] }));
}

/** The extensions of a certificate as [oid-hex-bytes, whole DER] pairs, in order. */
function extensionsOf(der: Uint8Array): Buffer[] {
  const tbs = tbsOf(der);
  const fields = children(tbs, readWhole(tbs));
  const exts = fields.at(-1)!;
  const seq = children(tbs, exts)[0]!;
  return children(tbs, seq).map((e) => Buffer.from(tbs.subarray(e.start, e.end)));
}

test('the precertificate carries the CRL DP and, last, the critical poison; openssl shows both and refuses to use it', async () => {
  const { dir, ca } = await newCa();
  const csr = await checkedKey();
  const pre = await ca.issuePrecertificate({ serialHex: ca.newSerial(), spki: csr.spki, names: csr.names, now: NOW, crlUrl: CRL_URL });
  const text = opensslText(dir, pre.der);
  assert.match(text, /CT Precertificate Poison: critical/);
  assert.match(text, new RegExp(`X509v3 CRL Distribution Points:\\s+Full Name:\\s+URI:${CRL_URL.replace(/[./]/g, '\\$&')}`));
  const exts = extensionsOf(pre.der);
  assert.ok(exts.at(-1)!.includes(Buffer.from('2b06010401d679020403', 'hex')), 'poison is the last extension');
  // The poison does its job: no TLS client accepts a precertificate.
  const v = opensslVerify(dir, ca.rootPem(), pre.der, ca.intermediatePem());
  assert.notEqual(v.status, 0);
  assert.match(v.output, /unhandled critical extension/);
});

test('the final certificate differs from the precertificate only by the poison → SCT list swap, in the same position', async () => {
  const { dir, ca } = await newCa();
  const csr = await checkedKey();
  const pre = await ca.issuePrecertificate({ serialHex: ca.newSerial(), spki: csr.spki, names: csr.names, now: NOW, crlUrl: CRL_URL });
  const fakeScts = [sct(1), sct(2)];
  const fin = await ca.issueFromPrecertificate(pre.der, fakeScts, NOW);
  assert.equal(canonicalSerialHex(fin.serialHex), canonicalSerialHex(pre.serialHex));
  assert.deepEqual([fin.notBefore, fin.notAfter], [pre.notBefore, pre.notAfter]);
  const a = extensionsOf(pre.der);
  const b = extensionsOf(fin.der);
  assert.equal(a.length, b.length);
  const poisonAt = a.findIndex((e) => e.includes(Buffer.from('2b06010401d679020403', 'hex')));
  for (let i = 0; i < a.length; i++) {
    if (i === poisonAt) assert.ok(b[i]!.includes(Buffer.from('2b06010401d679020402', 'hex')), 'SCT list replaces the poison');
    else assert.ok(a[i]!.equals(b[i]!), `extension ${i} unchanged`);
  }
  // Everything before the extensions is byte-identical too.
  const preTbs = tbsOf(pre.der);
  const finTbs = tbsOf(fin.der);
  const head = (t: Uint8Array) => children(t, readWhole(t)).slice(0, -1).map((f) => Buffer.from(t.subarray(f.start, f.end)).toString('hex'));
  assert.deepEqual(head(finTbs), head(preTbs));
  assert.deepEqual(parseSctList(fin.der).map((s) => Buffer.from(s).toString('hex')), fakeScts.map((s) => Buffer.from(s).toString('hex')));
  assert.doesNotMatch(opensslText(dir, fin.der), /Poison/);
  const v = opensslVerify(dir, ca.rootPem(), fin.der, ca.intermediatePem());
  assert.equal(v.status, 0, v.output);
});

test('with CT disabled the final certificate simply drops the poison', async () => {
  const { dir, ca } = await newCa({ ct: { enabled: false } });
  const csr = await checkedKey();
  const pre = await ca.issuePrecertificate({ serialHex: ca.newSerial(), spki: csr.spki, names: csr.names, now: NOW, crlUrl: CRL_URL });
  const fin = await ca.issueFromPrecertificate(pre.der, null, NOW);
  assert.equal(extensionsOf(fin.der).length, extensionsOf(pre.der).length - 1);
  const text = opensslText(dir, fin.der);
  assert.doesNotMatch(text, /Poison|Precertificate SCTs/);
});

test('a final certificate without SCTs fails the lint when CT is required, and nothing is signed', async () => {
  const { ca } = await newCa();
  const csr = await checkedKey();
  const pre = await ca.issuePrecertificate({ serialHex: ca.newSerial(), spki: csr.spki, names: csr.names, now: NOW, crlUrl: CRL_URL });
  await assert.rejects(ca.issueFromPrecertificate(pre.der, null, NOW), (e: unknown) => {
    assert.ok(e instanceof LintError);
    assert.equal(e.kind, 'serverInternal');
    assert.equal(e.what, 'certificate');
    assert.ok(e.findings.some((f) => /sct/i.test(f.rule)), JSON.stringify(e.findings));
    return true;
  });
});

test('a precertificate the lint refuses (an internal name the RA would have refused) is never signed', async () => {
  const { ca } = await newCa();
  const csr = await checkedKey();
  let signed = 0;
  const sign = ca.issuingCa.signer.sign.bind(ca.issuingCa.signer);
  (ca.issuingCa.signer as { sign: typeof sign }).sign = async (d) => {
    signed += 1;
    return sign(d);
  };
  await assert.rejects(
    ca.issuePrecertificate({ serialHex: ca.newSerial(), spki: csr.spki, names: ['intranet.corp'], now: NOW, crlUrl: CRL_URL }),
    (e: unknown) => e instanceof LintError && e.what === 'precertificate' && e.findings.some((f) => /internal/i.test(f.rule)),
  );
  assert.equal(signed, 0, 'the CA key signed nothing');
});
