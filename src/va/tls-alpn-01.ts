/**
 * tls-alpn-01 (RFC 8737; BR §3.2.2.4.20).
 *
 * RFC 8737 §3: connect to the domain's address on port 443 (`va.tlsAlpnPort`),
 * send SNI = the domain and offer only the ALPN protocol "acme-tls/1"; the
 * server must negotiate it and present a certificate checked in
 * `acme-tls-certificate.ts`. TLS 1.2 or higher (RFC 8737 §4). The certificate
 * is self-signed, so chain validation is off (`rejectUnauthorized: false`).
 *
 * Error kinds: cannot connect/timeout → `connection`; handshake failure →
 * `tls`; acme-tls/1 not negotiated or wrong certificate → `unauthorized`;
 * wrong digest → `incorrectResponse`; address policy → `unauthorized`.
 */
import { connect, type TLSSocket } from 'node:tls';
import { ShomeiError } from '../core/errors.js';
import { checkAcmeTlsCertificate } from './acme-tls-certificate.js';
import type { AddressPolicy } from './address-policy.js';
import type { DnsResolver } from './dns-resolver.js';
import { describeNetworkError } from './network-errors.js';
import type { ChallengeValidationRequest, ValidationRecord } from './types.js';
import { markConnectPhase, resolveTarget, withAddressFallback } from './validation-target.js';

/** RFC 8737 §6.2: the ALPN protocol ID. */
export const ACME_TLS_1 = 'acme-tls/1';

export interface TlsAlpn01Options {
  resolver: DnsResolver;
  policy: AddressPolicy;
  tlsAlpnPort: number;
  timeoutMs: number;
}

interface Handshake {
  alpn: string | false;
  der: Buffer | undefined;
}

function handshake(address: string, port: number, domain: string, timeoutMs: number): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const where = `${domain}:${port} [${address}]`;
    let connected = false;
    let settled = false;
    const socket: TLSSocket = connect({
      host: address,
      port,
      servername: domain,
      ALPNProtocols: [ACME_TLS_1],
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    });
    const done = (e: ShomeiError | null, h?: Handshake): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (e) socket.destroy();
      else {
        // Close politely (close_notify + FIN) so the client's server logs no handshake error.
        socket.end();
        setTimeout(() => socket.destroy(), 1000).unref();
      }
      if (e) reject(e);
      else resolve(h!);
    };
    const timer = setTimeout(() => {
      done(
        connected
          ? new ShomeiError('connection', `Timeout during TLS handshake with ${where} (your server may be slow or overloaded)`)
          : markConnectPhase(new ShomeiError('connection', `Timeout connecting to ${where} (likely firewall problem)`)),
      );
    }, timeoutMs);
    socket.once('connect', () => (connected = true));
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      const der = cert && Buffer.isBuffer(cert.raw) ? cert.raw : undefined;
      done(null, { alpn: socket.alpnProtocol ?? false, der });
    });
    socket.on('error', (err) => {
      const why = describeNetworkError(err);
      if (!connected) done(markConnectPhase(new ShomeiError('connection', `Connecting to ${where}: ${why}`, { cause: err })));
      else done(new ShomeiError('tls', `TLS handshake with ${where} failed: ${why}`, { cause: err }));
    });
  });
}

export async function validateTlsAlpn01(
  opts: TlsAlpn01Options,
  req: ChallengeValidationRequest,
): Promise<ValidationRecord[]> {
  const target = await resolveTarget(opts.resolver, opts.policy, req.domain);
  const record: ValidationRecord = {
    hostname: req.domain,
    port: opts.tlsAlpnPort,
    addressesResolved: target.addressesResolved,
    resolver: opts.resolver.description,
  };
  const { value: hs } = await withAddressFallback(target.candidates, (a) => {
    record.addressUsed = a;
    return handshake(a, opts.tlsAlpnPort, req.domain, opts.timeoutMs);
  });
  // RFC 8737 §3: the server must negotiate acme-tls/1, or validation fails.
  if (hs.alpn !== ACME_TLS_1) {
    throw new ShomeiError(
      'unauthorized',
      `Cannot negotiate ALPN protocol "${ACME_TLS_1}" for tls-alpn-01 challenge with ${req.domain}:${opts.tlsAlpnPort}` +
        (hs.alpn ? ` (server chose "${hs.alpn}")` : ' (server chose none)'),
    );
  }
  if (hs.der === undefined) {
    throw new ShomeiError('tls', `No certificate presented by ${req.domain}:${opts.tlsAlpnPort} for tls-alpn-01 challenge`);
  }
  checkAcmeTlsCertificate(hs.der, req.domain, req.keyAuthorization);
  return [record];
}
