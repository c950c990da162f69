import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { SubjectAlternativeName } from '@peculiar/asn1-x509';
import { createCertificateAuthority } from '../../../src/ca/authority.js';
import { fromPem } from '../../../src/ca/pem.js';
import { issueServerCertificate } from '../../../src/ca/tls-server-cert.js';
import { certExtension, opensslVerify, parseCert, spkiOf, tempDir, testConfig } from './fixtures.js';

test('listener certificate: localhost + configured names + loopback IPs, key matches, chain verifies', async () => {
  const dir = tempDir();
  const now = new Date();
  const ca = await createCertificateAuthority(testConfig(dir));
  const sc = await issueServerCertificate(ca, ['acme.shomei.test', '192.0.2.10', '[2001:db8::1]'], now);

  const cert = parseCert(fromPem(sc.certPem, 'CERTIFICATE'));
  const san = certExtension(cert, '2.5.29.17', SubjectAlternativeName)!;
  assert.equal(san.critical, false); // subject CN = localhost, so SAN is non-critical
  assert.deepEqual(Array.from(san.value, (g) => g.dNSName).filter(Boolean), ['localhost', 'acme.shomei.test']);
  assert.deepEqual(Array.from(san.value, (g) => g.iPAddress).filter(Boolean), ['127.0.0.1', '::1', '192.0.2.10', '2001:db8::1']);

  const keySpki = spkiOf(createPublicKey(createPrivateKey(sc.keyPem)));
  assert.deepEqual(Buffer.from(keySpki), Buffer.from(spkiOf(createPublicKey(sc.certPem))));
  assert.equal(sc.chainPem, ca.intermediatePem());
  assert.equal(sc.fullChainPem, sc.certPem + ca.intermediatePem());

  const v = opensslVerify(dir, { root: ca.rootPem(), intermediate: sc.chainPem, leaf: sc.certPem }, now);
  assert.equal(v.status, 0, v.output);
});

test('a TLS client trusting only the root connects to the listener by name and by loopback IP', async () => {
  const ca = await createCertificateAuthority(testConfig(tempDir()));
  const sc = await issueServerCertificate(ca, [], new Date());
  const server = tls.createServer({ key: sc.keyPem, cert: sc.fullChainPem }, (s) => s.end('ok'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    for (const opts of [{ servername: 'localhost' }, {}]) {
      const sock = tls.connect({ host: '127.0.0.1', port, ca: ca.rootPem(), ...opts });
      await once(sock, 'secureConnect');
      assert.equal(sock.authorized, true, String(sock.authorizationError));
      sock.destroy();
    }
    // A name the certificate does not carry is refused by the client.
    const bad = tls.connect({ host: '127.0.0.1', port, ca: ca.rootPem(), servername: 'other.example' });
    const [err] = (await once(bad, 'error')) as [NodeJS.ErrnoException];
    assert.equal(err.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
  } finally {
    server.close();
  }
});
