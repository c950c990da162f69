// http-01 (RFC 8555 §8.3, BR §3.2.2.4.19) against real loopback servers.
import { strict as assert } from 'node:assert';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { isShomeiError, type ErrorKind } from '../../../src/core/errors.js';
import { createValidationAuthority } from '../../../src/va/authority.js';
import type { ValidationAuthority } from '../../../src/va/types.js';
import { startTestDnsServer, type TestDnsServer } from '../../support/dns-server.js';
import { startHttp01Responder, type Http01Responder } from '../../support/http01-responder.js';
import { buildAcmeTlsCertificate } from '../../support/tlsalpn01-responder.js';
import { challenge, vaConfig } from './va-fixture.js';

const fails = (kind: ErrorKind, detail: RegExp) => (e: unknown) => {
  assert.ok(isShomeiError(e), `expected ShomeiError, got ${String(e)}`);
  assert.equal(e.kind, kind, e.detail);
  assert.match(e.detail, detail);
  return true;
};
const path = (token: string): string => `/.well-known/acme-challenge/${token}`;

describe('http-01', () => {
  let dns: TestDnsServer;
  let web: Http01Responder;
  let https: HttpsServer;
  let httpsPort: number;
  let va: ValidationAuthority;
  const httpsBodies = new Map<string, string>();

  before(async () => {
    dns = await startTestDnsServer();
    web = await startHttp01Responder();
    const cert = await buildAcmeTlsCertificate('secure.example.test', 'unused');
    https = createHttpsServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
      const body = httpsBodies.get(req.url ?? '');
      res.writeHead(body === undefined ? 404 : 200).end(body ?? 'nope');
    });
    await new Promise<void>((r) => https.listen(0, '127.0.0.1', () => r()));
    httpsPort = (https.address() as AddressInfo).port;
    va = createValidationAuthority(vaConfig({ dnsResolver: dns.address, httpPort: web.port, tlsAlpnPort: httpsPort }));
  });
  after(async () => {
    await Promise.all([dns.close(), web.close(), new Promise((r) => https.close(r))]);
  });
  beforeEach(() => web.clear());

  it('passes when the body is the key authorization; records what was contacted', async () => {
    const c = challenge();
    web.set(c.token, c.keyAuthorization);
    const records = await va.validate({ type: 'http-01', domain: 'ok.example.test', ...c });
    assert.equal(records.length, 1);
    const r = records[0]!;
    assert.equal(r.hostname, 'ok.example.test');
    assert.equal(r.port, web.port);
    assert.equal(r.url, `http://ok.example.test:${web.port}${path(c.token)}`);
    assert.deepEqual(r.addressesResolved, ['::1', '127.0.0.1']);
    assert.equal(r.addressUsed, '127.0.0.1'); // IPv6 first, fell back to IPv4
    assert.equal(r.resolver, dns.address);
    assert.equal(web.requests.at(-1)?.host, 'ok.example.test');
  });

  it('ignores trailing whitespace (RFC 8555 §8.3) but not leading', async () => {
    const c = challenge();
    web.set(c.token, `${c.keyAuthorization} \r\n\t\n`);
    await va.validate({ type: 'http-01', domain: 'ws.example.test', ...c });
    web.set(c.token, ` ${c.keyAuthorization}`);
    await assert.rejects(va.validate({ type: 'http-01', domain: 'ws.example.test', ...c }), fails('incorrectResponse', /did not match/));
  });

  it('a wrong body is incorrectResponse naming expected and received', async () => {
    const c = challenge();
    web.set(c.token, 'something else');
    await assert.rejects(
      va.validate({ type: 'http-01', domain: 'wrong.example.test', ...c }),
      fails('incorrectResponse', new RegExp(`Expected "${c.keyAuthorization}" \\(got "something else"\\)`)),
    );
  });

  it('a 404 is unauthorized with the URL and status', async () => {
    const c = challenge();
    await assert.rejects(
      va.validate({ type: 'http-01', domain: 'missing.example.test', ...c }),
      fails('unauthorized', new RegExp(`^Invalid response from http://missing\\.example\\.test:${web.port}${path(c.token)} \\[127\\.0\\.0\\.1\\]: 404$`)),
    );
  });

  it('follows a redirect chain across hosts, relative Locations included', async () => {
    const c = challenge();
    web.redirect(path(c.token), `http://other.example.test:${web.port}/hop2`, 302);
    web.redirect('/hop2', '/hop3', 301);
    web.redirect('/hop3', path('final'), 307);
    web.set('final', c.keyAuthorization);
    const records = await va.validate({ type: 'http-01', domain: 'start.example.test', ...c });
    assert.deepEqual(
      records.map((r) => r.url),
      [
        `http://start.example.test:${web.port}${path(c.token)}`,
        `http://other.example.test:${web.port}/hop2`,
        `http://other.example.test:${web.port}/hop3`,
        `http://other.example.test:${web.port}${path('final')}`,
      ],
    );
    assert.equal(web.requests.at(-1)?.host, `other.example.test:${web.port}`);
  });

  it('follows a redirect to https without verifying the certificate', async () => {
    const c = challenge();
    httpsBodies.set('/secure', c.keyAuthorization);
    web.redirect(path(c.token), `https://secure.example.test:${httpsPort}/secure`, 308);
    const records = await va.validate({ type: 'http-01', domain: 'plain.example.test', ...c });
    assert.equal(records.length, 2);
    assert.equal(records[1]!.url, `https://secure.example.test:${httpsPort}/secure`);
  });

  it('stops after 10 redirects with a connection error', async () => {
    const c = challenge();
    web.redirect(path(c.token), '/loop');
    web.redirect('/loop', '/loop');
    await assert.rejects(va.validate({ type: 'http-01', domain: 'loop.example.test', ...c }), fails('connection', /Too many redirects/));
    assert.equal(web.requests.length, 11);
  });

  it('refuses a redirect to a port other than 80/443/the configured ones', async () => {
    const c = challenge();
    web.redirect(path(c.token), 'http://elsewhere.example.test:8081/x');
    await assert.rejects(
      va.validate({ type: 'http-01', domain: 'port.example.test', ...c }),
      fails('connection', /Invalid port in redirect target\. Only ports .* are supported, not 8081/),
    );
    assert.equal(web.requests.length, 1);
  });

  it('refuses a redirect to a scheme other than http/https', async () => {
    const c = challenge();
    web.redirect(path(c.token), 'ftp://elsewhere.example.test/x');
    await assert.rejects(
      va.validate({ type: 'http-01', domain: 'scheme.example.test', ...c }),
      fails('connection', /Invalid protocol scheme in redirect target.*not "ftp"/),
    );
  });

  it('does not follow a 303 (BR §3.2.2.4.19 lists 301/302/307/308)', async () => {
    const c = challenge();
    web.redirect(path(c.token), path('other'), 303);
    web.set('other', c.keyAuthorization);
    await assert.rejects(va.validate({ type: 'http-01', domain: 'see.example.test', ...c }), fails('unauthorized', /: 303$/));
  });

  it('refuses an oversize body', async () => {
    const c = challenge();
    web.route(path(c.token), { body: c.keyAuthorization + ' '.repeat(70 * 1024) + 'x' });
    await assert.rejects(
      va.validate({ type: 'http-01', domain: 'big.example.test', ...c }),
      fails('incorrectResponse', /larger than 65536 bytes/),
    );
  });

  it('connection refused is a connection error starting "Fetching <url>"', async () => {
    const closed = await startHttp01Responder();
    await closed.close();
    const v = createValidationAuthority(vaConfig({ dnsResolver: dns.address, httpPort: closed.port }));
    const c = challenge();
    await assert.rejects(
      v.validate({ type: 'http-01', domain: 'refused.example.test', ...c }),
      fails('connection', new RegExp(`^Fetching http://refused\\.example\\.test:${closed.port}${path(c.token)}: connection refused$`)),
    );
  });

  it('times out on a server that never answers', async () => {
    const held = new Set<Socket>();
    const silent = createTcpServer((s) => void held.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as AddressInfo).port;
    try {
      const v = createValidationAuthority(vaConfig({ dnsResolver: dns.address, httpPort: port, timeoutMs: 200 }));
      const t0 = Date.now();
      await assert.rejects(
        v.validate({ type: 'http-01', domain: 'slow.example.test', ...challenge() }),
        fails('connection', /Timeout after connect/),
      );
      assert.ok(Date.now() - t0 < 2000, 'timeoutMs is honoured');
    } finally {
      for (const s of held) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('a name that does not exist is a dns error', async () => {
    await assert.rejects(
      va.validate({ type: 'http-01', domain: 'nope.invalid', ...challenge() }),
      fails('dns', /NXDOMAIN looking up A for nope\.invalid/),
    );
  });
});
