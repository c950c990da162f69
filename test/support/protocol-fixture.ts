import { createHash } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { startTestDnsServer, type TestDnsServer } from './dns-server.js';
import { eabJws, newAccountKey, RawAcme, type AccountKey, type RawResponse } from './raw-acme.js';
import { startTestShomei, type TestShomei, type TestShomeiOptions } from './test-shomei.js';

export interface Account {
  key: AccountKey;
  url: string;
}

/** A started Shomei + test DNS server + raw ACME client, with helpers for the common steps. */
export class ProtocolFixture {
  private constructor(
    readonly dns: TestDnsServer,
    readonly shomei: TestShomei,
    readonly acme: RawAcme,
  ) {}

  static async start(o: Partial<TestShomeiOptions> = {}): Promise<ProtocolFixture> {
    const dns = await startTestDnsServer({ zones: ['example.com', 'example.jp', 'example.net'] });
    const shomei = await startTestShomei({ dnsResolver: dns.address, ...o });
    const acme = await new RawAcme(shomei.directoryUrl, shomei.rootPem).init();
    return new ProtocolFixture(dns, shomei, acme);
  }

  get dir(): Record<string, string> {
    return this.acme.directory;
  }

  async newAccount(key?: AccountKey, payload: Record<string, unknown> = {}): Promise<Account> {
    const k = key ?? (await newAccountKey());
    const eab = await this.shomei.mintEab();
    const url = this.dir['newAccount'] as string;
    const r = await this.acme.signed(
      url,
      k,
      { termsOfServiceAgreed: true, externalAccountBinding: eabJws(k.jwk, eab.kid, eab.hmacKey, url), ...payload },
      { jwk: k.jwk },
    );
    if (r.status !== 201) throw new Error(`newAccount failed: ${r.status} ${r.body}`);
    return { key: k, url: r.headers['location'] as string };
  }

  /** POST signed with the account's kid. */
  post(a: Account, url: string, payload: unknown, header: Record<string, unknown> = {}): Promise<RawResponse> {
    return this.acme.signed(url, a.key, payload, { kid: a.url, ...header });
  }

  /** Create an order and complete every authorization with dns-01 through the test DNS server. */
  async readyOrder(a: Account, names: string[]): Promise<{ url: string; body: Record<string, unknown> }> {
    const r = await this.post(a, this.dir['newOrder'] as string, { identifiers: names.map((value) => ({ type: 'dns', value })) });
    if (r.status !== 201) throw new Error(`newOrder failed: ${r.status} ${r.body}`);
    const orderUrl = r.headers['location'] as string;
    const tp = await calculateJwkThumbprint(a.key.jwk, 'sha256');
    for (const authzUrl of r.json()['authorizations'] as string[]) {
      const authz = (await this.post(a, authzUrl, '')).json() as { identifier: { value: string }; challenges: { type: string; url: string; token: string }[] };
      const ch = authz.challenges.find((c) => c.type === 'dns-01');
      if (!ch) throw new Error('no dns-01 challenge');
      const digest = createHash('sha256').update(`${ch.token}.${tp}`).digest('base64url');
      this.dns.setTxt(`_acme-challenge.${authz.identifier.value}`, [digest]);
      const resp = await this.post(a, ch.url, {});
      if (resp.status !== 200) throw new Error(`challenge failed: ${resp.status} ${resp.body}`);
    }
    await this.shomei.inst.ra.drain();
    const order = await this.post(a, orderUrl, '');
    return { url: orderUrl, body: order.json() };
  }

  async close(): Promise<void> {
    await this.shomei.close();
    await this.dns.close();
  }
}
