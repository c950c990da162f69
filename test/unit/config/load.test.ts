import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, listEnvNames, loadConfig } from '../../../src/config/load.js';
import { brMaxDcvReuseDays, brMaxValidityDays } from '../../../src/config/schema.js';

describe('configuration', () => {
  test('no file, no environment: the embedded default', () => {
    const c = loadConfig({ env: {} });
    assert.equal(c.acme.host, '127.0.0.1');
    assert.equal(c.acme.port, 14000);
    assert.equal(c.acme.baseUrl, 'https://localhost:14000');
    assert.equal(c.artefacts.baseUrl, 'http://localhost:14080');
    assert.match(c.database.url, /^sqlite:\/.*\/data\/shomei\.db$/);
    assert.equal(c.timeZone, 'Asia/Tokyo');
    assert.equal(c.ca.validityDays, 90);
    assert.equal(c.va.httpPort, 80);
    assert.equal(c.va.tlsAlpnPort, 443);
    assert.equal(c.va.allowPrivateAddresses, false);
  });

  test('environment variables override the file, which overrides defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ acme: { port: 9000, caaIdentities: ['a.example'] }, va: { httpPort: 8080 } }));
    const c = loadConfig({
      file,
      env: { SHOMEI_ACME_PORT: '9443', SHOMEI_VA_DNS_RESOLVER: '127.0.0.1:5353', SHOMEI_VA_ALLOW_PRIVATE_ADDRESSES: 'true', SHOMEI_ACME_CAA_IDENTITIES: 'x.example, y.example' },
    });
    assert.equal(c.acme.port, 9443);
    assert.equal(c.va.httpPort, 8080);
    assert.equal(c.va.dnsResolver, '127.0.0.1:5353');
    assert.equal(c.va.allowPrivateAddresses, true);
    assert.deepEqual(c.acme.caaIdentities, ['x.example', 'y.example']);
  });

  const invalid: [string, Record<string, string>, RegExp][] = [
    ['port out of range', { SHOMEI_ACME_PORT: '70000' }, /acme\.port/],
    ['port not a number', { SHOMEI_VA_HTTP_PORT: 'eighty' }, /va\.httpPort/],
    ['resolver without port', { SHOMEI_VA_DNS_RESOLVER: '127.0.0.1' }, /va\.dnsResolver/],
    ['unknown time zone', { SHOMEI_TIME_ZONE: 'Mars/Olympus' }, /timeZone/],
    ['bad database URL', { SHOMEI_DATABASE_URL: 'mysql://x' }, /database\.url/],
    ['bad boolean', { SHOMEI_VA_ALLOW_PRIVATE_ADDRESSES: 'maybe' }, /va\.allowPrivateAddresses/],
    ['validity beyond 398 days', { SHOMEI_CA_VALIDITY_DAYS: '400' }, /ca\.validityDays/],
  ];
  for (const [name, env, field] of invalid) {
    test(`invalid configuration names the field: ${name}`, () => {
      assert.throws(() => loadConfig({ env }), (e: unknown) => e instanceof ConfigError && field.test(e.message));
    });
  }

  test('an unknown field in the file is refused, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ acme: { prot: 1 } }));
    assert.throws(() => loadConfig({ file, env: {} }), /acme.*prot/);
    writeFileSync(file, '{not json');
    assert.throws(() => loadConfig({ file, env: {} }), /not valid JSON/);
  });

  test('docs/configuration.md documents every environment variable', () => {
    const doc = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
    const missing = listEnvNames().filter((n) => !doc.includes(n));
    assert.deepEqual(missing, []);
  });

  test('BR maximum validity and DCV reuse follow the BR 1.2.2 schedule', () => {
    assert.equal(brMaxValidityDays(new Date('2026-03-14T23:59:59Z')), 398);
    assert.equal(brMaxValidityDays(new Date('2026-11-21T00:00:00Z')), 200);
    assert.equal(brMaxValidityDays(new Date('2027-03-15T00:00:00Z')), 100);
    assert.equal(brMaxValidityDays(new Date('2029-03-15T00:00:00Z')), 47);
    assert.equal(brMaxDcvReuseDays(new Date('2026-11-21T00:00:00Z')), 200);
    assert.equal(brMaxDcvReuseDays(new Date('2029-03-15T00:00:00Z')), 10);
  });
});
