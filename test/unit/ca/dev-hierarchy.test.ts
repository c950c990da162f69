import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { chmodSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AuthorityKeyIdentifier, SubjectKeyIdentifier } from '@peculiar/asn1-x509';
import { DEV_FILES, loadOrCreateDevHierarchy } from '../../../src/ca/dev-hierarchy.js';
import { certExtension, hex, openssl, opensslText, parseCert, tempDir, writeTemp } from './fixtures.js';

const now = new Date('2026-11-21T00:00:00Z');
const opts = { organization: 'Shomei Test Org', now };

test('first call generates, second call reloads the identical hierarchy', async () => {
  const dir = join(tempDir(), 'ca');
  const a = await loadOrCreateDevHierarchy(dir, opts);
  assert.equal(a.created, true);
  const b = await loadOrCreateDevHierarchy(dir, { ...opts, now: new Date('2027-01-01T00:00:00Z') });
  assert.equal(b.created, false);
  assert.deepEqual(Buffer.from(b.root.der), Buffer.from(a.root.der));
  assert.deepEqual(Buffer.from(b.intermediate.der), Buffer.from(a.intermediate.der));
  assert.equal(b.root.path, join(dir, 'root.pem'));
  assert.equal(readFileSync(b.root.path, 'utf8'), a.root.pem);
  // The reloaded key still signs for the same certificate.
  assert.deepEqual(Buffer.from(b.intermediateSigner.spki), Buffer.from(a.intermediateSigner.spki));
});

test('key files are 0600 and the directory 0700', async () => {
  const dir = join(tempDir(), 'ca');
  await loadOrCreateDevHierarchy(dir, opts);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, DEV_FILES.rootKey)).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, DEV_FILES.intermediateKey)).mode & 0o777, 0o600);
  assert.match(readFileSync(join(dir, DEV_FILES.rootKey), 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
});

test('a key file readable by others is refused on load', async () => {
  const dir = join(tempDir(), 'ca');
  await loadOrCreateDevHierarchy(dir, opts);
  chmodSync(join(dir, DEV_FILES.intermediateKey), 0o644);
  await assert.rejects(loadOrCreateDevHierarchy(dir, opts), /accessible by group or others/);
});

test('a half-present hierarchy is refused, not silently regenerated', async () => {
  const dir = join(tempDir(), 'ca');
  await loadOrCreateDevHierarchy(dir, opts);
  rmSync(join(dir, DEV_FILES.intermediate));
  await assert.rejects(loadOrCreateDevHierarchy(dir, opts), /missing intermediate\.pem/);
});

test('a key that does not match its certificate is refused', async () => {
  const dirA = join(tempDir(), 'ca');
  const dirB = join(tempDir(), 'ca');
  await loadOrCreateDevHierarchy(dirA, opts);
  await loadOrCreateDevHierarchy(dirB, opts);
  writeTemp(dirA, DEV_FILES.intermediateKey, readFileSync(join(dirB, DEV_FILES.intermediateKey)));
  chmodSync(join(dirA, DEV_FILES.intermediateKey), 0o600);
  await assert.rejects(loadOrCreateDevHierarchy(dirA, opts), /does not match/);
});

test('root: self-signed P-384, 10 years, CA critical, keyCertSign+cRLSign critical, SKI', async () => {
  const dir = join(tempDir(), 'ca');
  const h = await loadOrCreateDevHierarchy(dir, opts);
  const text = opensslText(dir, h.root.pem);
  assert.match(text, /Subject: O = Shomei Test Org, CN = Shomei Development Root CA P-384/);
  assert.match(text, /Issuer: O = Shomei Test Org, CN = Shomei Development Root CA P-384/);
  assert.match(text, /NIST CURVE: P-384/);
  assert.match(text, /Signature Algorithm: ecdsa-with-SHA384/);
  assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:TRUE\n/);
  assert.match(text, /X509v3 Key Usage: critical\n\s+Certificate Sign, CRL Sign\n/);
  assert.match(text, /X509v3 Subject Key Identifier/);
  const v = parseCert(h.root.der).tbsCertificate.validity;
  // Backdated one hour so a leaf with the largest backdate fits inside it.
  assert.equal(v.notBefore.getTime().toISOString(), '2026-11-20T23:00:00.000Z');
  assert.equal(v.notAfter.getTime().toISOString(), '2036-11-20T22:59:59.000Z');
  const r = openssl(['verify', '-attime', String(now.getTime() / 1000), '-CAfile', h.root.path, h.root.path]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('intermediate: P-256 signed by the root with SHA-384, pathLen 0, serverAuth, AKI = root SKI, 5 years', async () => {
  const dir = join(tempDir(), 'ca');
  const h = await loadOrCreateDevHierarchy(dir, opts);
  const text = opensslText(dir, h.intermediate.pem);
  assert.match(text, /Subject: O = Shomei Test Org, CN = Shomei Development Issuing CA P-256/);
  assert.match(text, /Issuer: O = Shomei Test Org, CN = Shomei Development Root CA P-384/);
  assert.match(text, /NIST CURVE: P-256/);
  assert.match(text, /Signature Algorithm: ecdsa-with-SHA384/);
  assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:TRUE, pathlen:0\n/);
  assert.match(text, /X509v3 Key Usage: critical\n\s+Certificate Sign, CRL Sign\n/);
  assert.match(text, /X509v3 Extended Key Usage: \n\s+TLS Web Server Authentication\n/);
  const root = parseCert(h.root.der);
  const inter = parseCert(h.intermediate.der);
  const rootSki = certExtension(root, '2.5.29.14', SubjectKeyIdentifier)!.value;
  const interAki = certExtension(inter, '2.5.29.35', AuthorityKeyIdentifier)!.value;
  assert.equal(hex(interAki.keyIdentifier!.buffer), hex(rootSki.buffer));
  assert.equal(inter.tbsCertificate.validity.notAfter.getTime().toISOString(), '2031-11-20T22:59:59.000Z');
  const r = openssl(['verify', '-x509_strict', '-attime', String(now.getTime() / 1000), '-CAfile', h.root.path, h.intermediate.path]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
