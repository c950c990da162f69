// A running Shomei set up for the agency channel: unbound accounts refused,
// the `test` TLD allowed, an injected clock, the test DNS server answering for
// *.test, an admin token, and helpers that go through the real APIs to
// designate an operator, create subscribers, apply for usage FQDNs and issue
// EAB credentials.
import { FakeClock } from '../../src/core/clock.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { ApiClient } from './api-client.js';
import { startTestDnsServer, type TestDnsServer } from './dns-server.js';
import { RawAcme } from './raw-acme.js';
import { startTestShomei, type TestShomei } from './test-shomei.js';

export const CONSENT = {
  termsVersion: 'acme-terms-2026-04',
  cpsVersion: 'cps-3.2',
  ctDisclosureVersion: 'ct-disclosure-1',
  agreedAt: '2026-11-01T09:00:00Z',
  confirmationMethod: 'online-form',
};

export interface OperatorHandle {
  id: string;
  token: string;
  keyId: string;
  api: ApiClient;
}

export class AgencyFixture {
  private constructor(
    readonly clock: FakeClock,
    readonly dns: TestDnsServer,
    readonly shomei: TestShomei,
    readonly admin: ApiClient,
    readonly acme: RawAcme,
  ) {}

  static async start(o: { clock?: FakeClock; config?: Partial<ConfigInput> } = {}): Promise<AgencyFixture> {
    const clock = o.clock ?? new FakeClock('2026-11-21T03:00:00Z');
    const dns = await startTestDnsServer({ zones: ['test'] });
    const extra = o.config ?? {};
    const shomei = await startTestShomei({
      dnsResolver: dns.address,
      clock,
      config: {
        ...extra,
        policy: { additionalTlds: ['test'], ...(extra.policy ?? {}) },
        registry: { allowUnboundAccounts: false, ...(extra.registry ?? {}) },
      },
    });
    const { token } = await shomei.inst.registry.createAdminToken({ name: 'test-admin' }, { kind: 'admin', name: 'bootstrap' });
    const admin = new ApiClient(shomei.inst.adminApiUrl, shomei.rootPem, token);
    const acme = await new RawAcme(shomei.directoryUrl, shomei.rootPem).init();
    return new AgencyFixture(clock, dns, shomei, admin, acme);
  }

  operatorClient(token?: string): ApiClient {
    return new ApiClient(this.shomei.inst.operatorApiUrl, this.shomei.rootPem, token);
  }

  /** Designate an operator through the admin API and issue it an API key. */
  async designateOperator(o: { name?: string; acmeHandling?: boolean; domainDesignated?: boolean } = {}): Promise<OperatorHandle> {
    const r = await this.admin.post('/operators', {
      name: o.name ?? 'Example Reseller K.K.',
      representative: 'Taro Yamada',
      contacts: [{ name: 'Support desk', email: 'desk@reseller.test' }],
      acmeHandling: o.acmeHandling ?? true,
      domainDesignated: o.domainDesignated ?? false,
    });
    if (r.status !== 201) throw new Error(`designate failed: ${r.status} ${r.text}`);
    const id = r.json().id as string;
    const k = await this.admin.post(`/operators/${id}/api-keys`, { label: 'primary' });
    if (k.status !== 201) throw new Error(`api key failed: ${k.status} ${k.text}`);
    const token = k.json().token as string;
    return { id, token, keyId: k.json().key.id as string, api: this.operatorClient(token) };
  }

  async createSubscriber(op: OperatorHandle, name = 'Hanako Suzuki'): Promise<string> {
    const r = await op.api.post('/subscribers', { name, emails: ['hanako@customer.test'] });
    if (r.status !== 201) throw new Error(`subscriber failed: ${r.status} ${r.text}`);
    return r.json().id as string;
  }

  async apply(op: OperatorHandle, subscriberId: string, fqdn: string, period: '1m' | '1y'): Promise<string> {
    const r = await op.api.post('/usage-fqdns', { subscriberId, fqdn, period, consent: CONSENT });
    if (r.status !== 201) throw new Error(`application failed: ${r.status} ${r.text}`);
    return r.json().usageFqdn.id as string;
  }

  async issueEab(op: OperatorHandle, subscriberId: string): Promise<{ kid: string; hmacKey: string }> {
    const r = await op.api.post(`/subscribers/${subscriberId}/credentials`, {});
    if (r.status !== 201) throw new Error(`credentials failed: ${r.status} ${r.text}`);
    return { kid: r.json().kid as string, hmacKey: r.json().hmacKey as string };
  }

  /** Run the usage-period job now (at the fixture clock's time). */
  runLifecycle() {
    return this.shomei.inst.jobs.run('usage-lifecycle');
  }

  async close(): Promise<void> {
    await this.shomei.close();
    await this.dns.close();
  }
}
