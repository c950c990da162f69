// RFC 9773 §4.1 certificate identifiers (CertID): parsing is strict, encoding
// matches the RFC's own example and certificates made by openssl.
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { ShomeiError } from '../../../src/core/errors.js';
import { authorityKeyIdentifierOf, certIdOfCertificate, certIdSerialHex, formatCertId, parseCertId, serialContentOf } from '../../../src/ca/cert-id.js';
import { certIdOf } from '../../support/ari-client.js';
import { tempDir } from './fixtures.js';

/** RFC 9773 Appendix A: the example certificate (AKI 69:88:5B:…:D4, serial 0x87654321). */
const RFC9773_EXAMPLE_PEM = `-----BEGIN CERTIFICATE-----
MIIBQzCB66ADAgECAgUAh2VDITAKBggqhkjOPQQDAjAVMRMwEQYDVQQDEwpFeGFt
cGxlIENBMCIYDzAwMDEwMTAxMDAwMDAwWhgPMDAwMTAxMDEwMDAwMDBaMBYxFDAS
BgNVBAMTC2V4YW1wbGUuY29tMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEeBZu
7cbpAYNXZLbbh8rNIzuOoqOOtmxA1v7cRm//AwyMwWxyHz4zfwmBhcSrf47NUAFf
qzLQ2PPQxdTXREYEnKMjMCEwHwYDVR0jBBgwFoAUaYhba4dGQEHhs3uEe6CuLN4B
yNQwCgYIKoZIzj0EAwIDRwAwRAIge09+S5TZAlw5tgtiVvuERV6cT4mfutXIlwTb
+FYN/8oCIClDsqBklhB9KAelFiYt9+6FDj3z4KGVelYM5MdsO3pK
-----END CERTIFICATE-----`;
const RFC9773_EXAMPLE_ID = 'aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE';
const RFC9773_AKI_HEX = '69885b6b87464041e1b37b847ba0ae2cde01c8d4';

const derOfPem = (pem: string): Buffer => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');

function assertMalformed(text: string, why: RegExp): void {
  assert.throws(
    () => parseCertId(text),
    (e: unknown) => e instanceof ShomeiError && e.kind === 'malformed' && why.test(e.detail),
    `expected ${JSON.stringify(text)} to be malformed (${why})`,
  );
}

/** openssl: a CA with a subjectKeyIdentifier and a leaf it signs with the given serial (hex) and AKI. */
function opensslLeaf(serialHex: string, withAki = true): { leafDer: Buffer; caSkiHex: string } {
  const dir = tempDir('shomei-certid-');
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Test CA', '-days', '1');
  run('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=leaf.test');
  writeFileSync(join(dir, 'ext.cnf'), 'authorityKeyIdentifier=keyid\n');
  // Without -extfile, openssl x509 -req adds no extensions at all.
  run('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', `0x${serialHex}`, '-days', '1', '-out', 'leaf.pem', ...(withAki ? ['-extfile', 'ext.cnf'] : []));
  const ski = run('x509', '-in', 'ca.pem', '-noout', '-ext', 'subjectKeyIdentifier').split('\n')[1]?.trim().replace(/:/g, '').toLowerCase() ?? '';
  return { leafDer: new X509Certificate(readFileSync(join(dir, 'leaf.pem'))).raw, caSkiHex: ski };
}

describe('CertID (RFC 9773 §4.1)', () => {
  test('the RFC example: AKI 69:88:…:D4 and serial 00:87:65:43:21 give aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE', () => {
    const id = parseCertId(RFC9773_EXAMPLE_ID);
    assert.equal(Buffer.from(id.keyIdentifier).toString('hex'), RFC9773_AKI_HEX);
    assert.equal(Buffer.from(id.serial).toString('hex'), '0087654321');
    assert.equal(formatCertId(id), RFC9773_EXAMPLE_ID);
    // The stored serial (certificates.serial) has no sign byte.
    assert.equal(certIdSerialHex(id), '87654321');
  });

  test('the RFC example certificate itself yields the RFC CertID (server code and the independent test client agree)', () => {
    const der = derOfPem(RFC9773_EXAMPLE_PEM);
    assert.equal(formatCertId(certIdOfCertificate(der)), RFC9773_EXAMPLE_ID);
    assert.equal(certIdOf(der), RFC9773_EXAMPLE_ID);
    assert.equal(Buffer.from(authorityKeyIdentifierOf(der) as Uint8Array).toString('hex'), RFC9773_AKI_HEX);
  });

  test('a serial with its top bit set keeps the 0x00 sign byte (openssl certificate, serial 0x800102 → AIABAg)', () => {
    const { leafDer, caSkiHex } = opensslLeaf('800102');
    assert.equal(Buffer.from(serialContentOf(leafDer)).toString('hex'), '00800102');
    const expected = `${Buffer.from(caSkiHex, 'hex').toString('base64url')}.AIABAg`;
    assert.equal(formatCertId(certIdOfCertificate(leafDer)), expected);
    assert.equal(certIdOf(leafDer), expected);
  });

  test('a serial without the top bit set has no sign byte (0x017f → AX8)', () => {
    const { leafDer, caSkiHex } = opensslLeaf('017f');
    assert.equal(formatCertId(certIdOfCertificate(leafDer)), `${Buffer.from(caSkiHex, 'hex').toString('base64url')}.AX8`);
  });

  test('a certificate without an Authority Key Identifier has no CertID', () => {
    const { leafDer } = opensslLeaf('01', false);
    assert.equal(authorityKeyIdentifierOf(leafDer), undefined);
    assert.throws(() => certIdOfCertificate(leafDer), /Authority Key Identifier/);
  });

  test('padding is refused in either part', () => {
    assertMalformed('aYhba4dGQEHhs3uEe6CuLN4ByNQ=.AIdlQyE', /base64url/);
    assertMalformed('aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE=', /base64url/);
  });

  test('the serial must be a minimal positive INTEGER: sign byte required when the top bit is set, never a superfluous one', () => {
    assertMalformed('aYhba4dGQEHhs3uEe6CuLN4ByNQ.h2VDIQ', /positive, minimally encoded/); // 87 65 43 21: negative without 0x00
    assertMalformed('aYhba4dGQEHhs3uEe6CuLN4ByNQ.AAEC', /positive, minimally encoded/); // 00 01 02: non-minimal
    assertMalformed('aYhba4dGQEHhs3uEe6CuLN4ByNQ.AA', /positive, minimally encoded/); // zero
    assertMalformed(`aYhba4dGQEHhs3uEe6CuLN4ByNQ.${Buffer.alloc(21, 0x11).toString('base64url')}`, /at most 20 octets/);
    assert.equal(certIdSerialHex(parseCertId(`aYhba4dGQEHhs3uEe6CuLN4ByNQ.${Buffer.from('7f'.repeat(20), 'hex').toString('base64url')}`)), '7f'.repeat(20));
  });

  test('one spelling per CertID: non-zero unused bits, standard base64 characters, whitespace are refused', () => {
    assertMalformed('aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyF', /canonical/); // last character carries bits beyond the 5 octets
    assertMalformed('aYhba4dGQEHhs3uEe6CuLN4ByNR.AIdlQyE', /canonical/);
    assertMalformed('aYhba4dGQEHhs3uEe6CuLN4By+Q.AIdlQyE', /base64url/);
    assertMalformed('aYhba4dGQEHhs3uEe6CuLN4By/Q.AIdlQyE', /base64url/);
    assertMalformed(' aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE', /base64url/);
    assertMalformed('aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQ', /base64url/); // 5 characters: length ≡ 1 (mod 4)
  });

  test('exactly two non-empty parts', () => {
    assertMalformed('aYhba4dGQEHhs3uEe6CuLN4ByNQ', /<AKI keyIdentifier>\.<serial>/);
    assertMalformed('aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE.AQ', /<AKI keyIdentifier>\.<serial>/);
    assertMalformed('.AIdlQyE', /keyIdentifier is not unpadded base64url/);
    assertMalformed('aYhba4dGQEHhs3uEe6CuLN4ByNQ.', /serial is not unpadded base64url/);
    assertMalformed('', /<AKI keyIdentifier>\.<serial>/);
    assertMalformed(`${Buffer.alloc(65, 1).toString('base64url')}.AQ`, /too long/);
  });
});
