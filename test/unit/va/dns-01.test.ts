// dns-01 (RFC 8555 §8.4) against the test DNS server.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { isShomeiError, type ErrorKind } from '../../../src/core/errors.js';
import { createValidationAuthority } from '../../../src/va/authority.js';
import { dns01Digest } from '../../../src/va/dns-01.js';
import type { ValidationAuthority } from '../../../src/va/types.js';
import { startTestDnsServer, type TestDnsServer } from '../../support/dns-server.js';
import { challenge, vaConfig } from './va-fixture.js';

const fails = (kind: ErrorKind, detail: RegExp) => (e: unknown) => {
  assert.ok(isShomeiError(e), `expected ShomeiError, got ${String(e)}`);
  assert.equal(e.kind, kind, e.detail);
  assert.match(e.detail, detail);
  return true;
};

describe('dns-01', () => {
  let dns: TestDnsServer;
  let va: ValidationAuthority;

  before(async () => {
    dns = await startTestDnsServer();
    va = createValidationAuthority(vaConfig({ dnsResolver: dns.address, timeoutMs: 500 }));
  });
  after(() => dns.close());

  it('digest is base64url(SHA-256(key authorization)) without padding', () => {
    const ka = 'token.thumbprint';
    const want = createHash('sha256').update(ka).digest('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    assert.equal(dns01Digest(ka), want);
    assert.equal(dns01Digest(ka).length, 43);
  });

  it('passes when one of several TXT records carries the digest', async () => {
    const c = challenge();
    dns.setTxt('_acme-challenge.ok.example.test', ['unrelated', dns01Digest(c.keyAuthorization)]);
    const records = await va.validate({ type: 'dns-01', domain: 'ok.example.test', ...c });
    assert.deepEqual(records, [{ hostname: 'ok.example.test', resolver: dns.address }]);
  });

  it('follows a CNAME at _acme-challenge (delegated validation)', async () => {
    const c = challenge();
    dns.setCname('_acme-challenge.delegated.example.test', 'delegated.acme-dns.test');
    dns.setTxt('delegated.acme-dns.test', [dns01Digest(c.keyAuthorization)]);
    await va.validate({ type: 'dns-01', domain: 'delegated.example.test', ...c });
  });

  it('a wrong TXT value is unauthorized, quoting what was found', async () => {
    const c = challenge();
    dns.setTxt('_acme-challenge.wrong.example.test', ['not-the-digest', 'other']);
    await assert.rejects(
      va.validate({ type: 'dns-01', domain: 'wrong.example.test', ...c }),
      fails('unauthorized', /^Incorrect TXT record "not-the-digest" \(and 1 more\) found at _acme-challenge\.wrong\.example\.test$/),
    );
  });

  it('the digest of another key authorization does not pass', async () => {
    const c = challenge();
    dns.setTxt('_acme-challenge.other.example.test', [dns01Digest(challenge().keyAuthorization)]);
    await assert.rejects(va.validate({ type: 'dns-01', domain: 'other.example.test', ...c }), fails('unauthorized', /Incorrect TXT record/));
  });

  it('an existing name without TXT is unauthorized "No TXT record found"', async () => {
    await assert.rejects(
      va.validate({ type: 'dns-01', domain: 'empty.example.test', ...challenge() }),
      fails('unauthorized', /^No TXT record found at _acme-challenge\.empty\.example\.test$/),
    );
  });

  it('NXDOMAIN is a dns error', async () => {
    await assert.rejects(
      va.validate({ type: 'dns-01', domain: 'nowhere.invalid', ...challenge() }),
      fails('dns', /NXDOMAIN looking up TXT for _acme-challenge\.nowhere\.invalid/),
    );
  });

  it('SERVFAIL is a dns error', async () => {
    dns.setFailure('_acme-challenge.broken.example.test', 'servfail');
    await assert.rejects(
      va.validate({ type: 'dns-01', domain: 'broken.example.test', ...challenge() }),
      fails('dns', /SERVFAIL looking up TXT for _acme-challenge\.broken\.example\.test/),
    );
  });

  it('a record added after a failure is seen on the next attempt (no caching)', async () => {
    const c = challenge();
    dns.setTxt('_acme-challenge.later.example.test', ['stale']);
    await assert.rejects(va.validate({ type: 'dns-01', domain: 'later.example.test', ...c }));
    dns.setTxt('_acme-challenge.later.example.test', [dns01Digest(c.keyAuthorization)]);
    await va.validate({ type: 'dns-01', domain: 'later.example.test', ...c });
  });
});
