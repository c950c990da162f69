import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isShomeiError } from '../../../src/core/errors.js';
import { allowedAddresses, classifyAddress } from '../../../src/va/address-policy.js';

describe('address classifier (IANA special-purpose registries, RFC 6890)', () => {
  const refused: Array<[string, RegExp]> = [
    ['0.1.2.3', /this network/],
    ['10.0.0.1', /private \(RFC 1918\)/],
    ['172.16.0.1', /private/],
    ['172.31.255.255', /private/],
    ['192.168.1.1', /private/],
    ['100.64.0.1', /CGNAT/],
    ['100.127.255.254', /CGNAT/],
    ['127.0.0.1', /loopback/],
    ['127.255.255.254', /loopback/],
    ['169.254.169.254', /link-local/],
    ['192.0.0.8', /IETF protocol/],
    ['192.0.2.10', /documentation/],
    ['198.51.100.7', /documentation/],
    ['203.0.113.99', /documentation/],
    ['198.18.0.1', /benchmarking/],
    ['192.88.99.1', /6to4 relay/],
    ['224.0.0.251', /multicast/],
    ['239.255.255.250', /multicast/],
    ['240.0.0.1', /reserved/],
    ['255.255.255.255', /reserved/],
    ['::', /unspecified/],
    ['::1', /loopback/],
    ['::ffff:8.8.8.8', /IPv4-mapped/],
    ['64:ff9b:1::1', /NAT64/],
    ['64:ff9b::a00:1', /NAT64/],
    ['100::1', /discard/],
    ['2001:db8::1', /documentation/],
    ['2001::1', /IETF protocol/],
    ['2002:c000:204::1', /6to4/],
    ['3fff::1', /documentation/],
    ['fc00::1', /unique-local/],
    ['fd12:3456::1', /unique-local/],
    ['fe80::1', /link-local/],
    ['fec0::1', /site-local/],
    ['ff02::1', /multicast/],
    ['4000::1', /outside 2000::\/3/],
  ];
  for (const [addr, reason] of refused) {
    it(`refuses ${addr}`, () => {
      const got = classifyAddress(addr);
      assert.ok(got !== null, `${addr} should be refused`);
      assert.match(got, reason);
    });
  }

  const allowed = [
    '8.8.8.8',
    '1.1.1.1',
    '9.255.255.255',
    '11.0.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '192.167.255.255',
    '192.169.0.0',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
    '2a00:1450:4001::1',
  ];
  for (const addr of allowed) {
    it(`allows ${addr}`, () => assert.equal(classifyAddress(addr), null));
  }

  it('throws on something that is not an address', () => {
    assert.throws(() => classifyAddress('example.com'));
  });
});

describe('allowedAddresses', () => {
  it('keeps the public addresses and drops the refused ones', () => {
    assert.deepEqual(allowedAddresses({ allowPrivateAddresses: false }, 'x.test', ['10.0.0.1', '8.8.8.8']), ['8.8.8.8']);
  });

  it('refuses with unauthorized, naming each address, when nothing is left', () => {
    assert.throws(
      () => allowedAddresses({ allowPrivateAddresses: false }, 'x.test', ['10.0.0.1', '::1']),
      (e: unknown) =>
        isShomeiError(e) &&
        e.kind === 'unauthorized' &&
        e.detail.includes('address 10.0.0.1 is not allowed by policy') &&
        e.detail.includes('address ::1 is not allowed by policy') &&
        e.detail.includes('x.test'),
    );
  });

  it('allows everything when allowPrivateAddresses is set', () => {
    assert.deepEqual(allowedAddresses({ allowPrivateAddresses: true }, 'x.test', ['127.0.0.1', '::1']), [
      '127.0.0.1',
      '::1',
    ]);
  });
});
