// A tls-alpn-01 responder for tests (RFC 8737): TLS on 127.0.0.1 (port 0 by
// default) negotiating ALPN "acme-tls/1" and presenting, per SNI, a
// self-signed certificate built for (domain, keyAuthorization). Options per
// domain produce the broken certificates validation must refuse; the server
// option `alpn: false` makes it negotiate no ALPN protocol at all.
import { listenOnLoopback } from './loopback-listen.js';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createSecureContext, createServer, type SecureContext } from 'node:tls';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  Certificate,
  Extension,
  Extensions,
  GeneralName,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
  id_ce_subjectAltName,
} from '@peculiar/asn1-x509';

export const ACME_TLS_1 = 'acme-tls/1';
export const ID_PE_ACME_IDENTIFIER = '1.3.6.1.5.5.7.1.31';
const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';

export interface AcmeTlsCertOptions {
  /** Mark id-pe-acmeIdentifier critical (RFC 8737 requires it). Default true. */
  critical?: boolean;
  /** Leave id-pe-acmeIdentifier out. */
  omitExtension?: boolean;
  /** dNSName SAN entries. Default: [domain]. */
  sans?: string[];
}

export interface AcmeTlsCertificate {
  der: Buffer;
  certPem: string;
  keyPem: string;
}

/** DER OCTET STRING (0x04 0x20 || SHA-256(keyAuthorization)), the extnValue of RFC 8737 §3. */
export function acmeIdentifierValue(keyAuthorization: string): Buffer {
  const digest = createHash('sha256').update(keyAuthorization, 'utf8').digest();
  return Buffer.concat([Buffer.from([0x04, 0x20]), digest]);
}

/**
 * A self-signed P-256 certificate for tls-alpn-01, built with
 * @peculiar/asn1-x509 and signed with node:crypto (no reflect polyfill).
 */
export async function buildAcmeTlsCertificate(
  domain: string,
  keyAuthorization: string,
  opts: AcmeTlsCertOptions = {},
): Promise<AcmeTlsCertificate> {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const san = new SubjectAlternativeName((opts.sans ?? [domain]).map((dNSName) => new GeneralName({ dNSName })));
  const extensions = [
    new Extension({ extnID: id_ce_subjectAltName, critical: false, extnValue: new OctetString(AsnConvert.serialize(san)) }),
  ];
  if (!opts.omitExtension) {
    extensions.push(
      new Extension({
        extnID: ID_PE_ACME_IDENTIFIER,
        critical: opts.critical ?? true,
        extnValue: new OctetString(acmeIdentifierValue(keyAuthorization)),
      }),
    );
  }
  const name = new Name([
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({ type: '2.5.4.3', value: new AttributeValue({ utf8String: 'ACME tls-alpn-01 test' }) }),
    ]),
  ]);
  const sigAlg = new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 });
  const serial = randomBytes(8);
  serial[0] = (serial[0]! & 0x3f) | 0x40; // positive, minimal INTEGER (a leading 0x00 byte would be illegal DER padding)
  const now = Date.now();
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: new Uint8Array(serial).buffer,
    signature: sigAlg,
    issuer: name,
    validity: new Validity({ notBefore: new Date(now - 60_000), notAfter: new Date(now + 86_400_000) }),
    subject: name,
    subjectPublicKeyInfo: AsnConvert.parse(spki, SubjectPublicKeyInfo),
    extensions: new Extensions(extensions),
  });
  const signature = sign('sha256', Buffer.from(AsnConvert.serialize(tbs)), privateKey);
  const cert = new Certificate({ tbsCertificate: tbs, signatureAlgorithm: sigAlg, signatureValue: new Uint8Array(signature).buffer });
  const der = Buffer.from(AsnConvert.serialize(cert));
  const certPem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { der, certPem, keyPem };
}

export interface TlsAlpn01Responder {
  host: '127.0.0.1';
  port: number;
  /** Answer SNI `domain` with a certificate for `keyAuthorization`. */
  set(domain: string, keyAuthorization: string, opts?: AcmeTlsCertOptions): void;
  remove(domain: string): void;
  /** SNI names of the handshakes seen. */
  handshakes: string[];
  close(): Promise<void>;
}

export async function startTlsAlpn01Responder(
  opts: { port?: number; host?: string; alpn?: boolean } = {},
): Promise<TlsAlpn01Responder> {
  const configs = new Map<string, { keyAuthorization: string; opts: AcmeTlsCertOptions }>();
  const contexts = new Map<string, Promise<SecureContext>>();
  const handshakes: string[] = [];

  const contextFor = (servername: string): Promise<SecureContext> => {
    const name = servername.toLowerCase();
    let ctx = contexts.get(name);
    if (ctx === undefined) {
      const cfg = configs.get(name);
      if (cfg === undefined) return Promise.reject(new Error(`no tls-alpn-01 certificate for ${name}`));
      ctx = buildAcmeTlsCertificate(name, cfg.keyAuthorization, cfg.opts).then((c) =>
        createSecureContext({ cert: c.certPem, key: c.keyPem }),
      );
      contexts.set(name, ctx);
    }
    return ctx;
  };

  const server = createServer({
    ...(opts.alpn === false ? {} : { ALPNProtocols: [ACME_TLS_1] }),
    SNICallback: (servername, cb) => {
      handshakes.push(servername);
      contextFor(servername).then(
        (ctx) => cb(null, ctx),
        (err: Error) => cb(err, undefined),
      );
    },
  });
  server.on('tlsClientError', () => {}); // handshakes that tests make fail on purpose
  server.on('secureConnection', (s) => s.end());
  const { port, close } = await listenOnLoopback(server, opts);

  return {
    host: '127.0.0.1',
    port,
    handshakes,
    set: (domain, keyAuthorization, o = {}) => {
      const name = domain.toLowerCase();
      configs.set(name, { keyAuthorization, opts: o });
      contexts.delete(name);
    },
    remove: (domain) => {
      configs.delete(domain.toLowerCase());
      contexts.delete(domain.toLowerCase());
    },
    close,
  };
}
