/**
 * Helpers for the ct/ tests: a small issuing hierarchy that signs
 * precertificates and certificates, and loopback RFC 6962 test logs (real
 * HTTP servers on 127.0.0.1 with their own P-256 keys).
 *
 * The test log computes what it signs on its own, with @peculiar/asn1-x509
 * (parse, drop the poison, re-serialize), not with src/ct/precertificate.ts,
 * so the client's reconstruction is checked against an independent one.
 */
import { createHash, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, TBSCertificate } from '@peculiar/asn1-x509';
import { pino, type Logger } from 'pino';
import { commonNameDer, derOf, basicConstraints, dnsNameDer, extKeyUsage, extensionDer, subjectAltNameDer, OID_KP_SERVER_AUTH } from '../../../src/ca/x509-extensions.js';
import { encodeOid } from '../../../src/ca/der.js';
import { nodeEcdsaSigner, type Signer } from '../../../src/ca/signer.js';
import { signCertificate, type TbsFields } from '../../../src/ca/sign-certificate.js';
import type { Clock } from '../../../src/core/clock.js';
import { CT_POISON_EXTENSION_DER, OID_CT_POISON, sctListExtensionDer } from '../../../src/ct/precertificate.js';
import { HASH_SHA256, SIG_ECDSA, logIdOf, sctSignatureInput, sctToJson, type SignedEntry } from '../../../src/ct/rfc6962.js';
import type { CtLogDescriptor } from '../../../src/ct/types.js';
import { listenOnLoopback } from '../../support/loopback-listen.js';

export function spkiOf(key: KeyObject): Uint8Array {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return new Uint8Array(pub.export({ type: 'spki', format: 'der' }));
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

export interface TestHierarchy {
  rootDer: Uint8Array;
  issuerDer: Uint8Array;
  issuerSigner: Signer;
  /** Leaf fields; `extensions` is the final certificate's list without the CT extension. */
  leafFields(notAfter: Date): TbsFields;
}

function ecKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

/** Root → issuing CA (both P-256), signed with the CA's own certificate builder. */
export async function makeHierarchy(): Promise<TestHierarchy> {
  const rootKey = ecKey();
  const issuerKey = ecKey();
  const rootSigner = nodeEcdsaSigner(rootKey, spkiOf(rootKey));
  const issuerSigner = nodeEcdsaSigner(issuerKey, spkiOf(issuerKey));
  const ca = (serial: number, issuer: string, subject: string, spki: Uint8Array): TbsFields => ({
    serial: Uint8Array.of(serial),
    issuer: commonNameDer(issuer),
    subject: commonNameDer(subject),
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
    spki,
    extensions: [derOf(basicConstraints(true))],
  });
  const rootDer = await signCertificate(ca(1, 'CT Test Root', 'CT Test Root', rootSigner.spki), rootSigner);
  const issuerDer = await signCertificate(ca(2, 'CT Test Root', 'CT Test Issuer', issuerSigner.spki), rootSigner);
  const leafKey = ecKey();
  return {
    rootDer,
    issuerDer,
    issuerSigner,
    leafFields: (notAfter) => ({
      serial: Uint8Array.of(0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x08),
      issuer: commonNameDer('CT Test Issuer'),
      subject: commonNameDer('www.example.com'),
      notBefore: new Date('2026-11-21T00:00:00Z'),
      notAfter,
      spki: spkiOf(leafKey),
      extensions: [
        derOf(basicConstraints(false)),
        subjectAltNameDer([dnsNameDer('www.example.com')], false),
        derOf(extKeyUsage([OID_KP_SERVER_AUTH])),
      ],
    }),
  };
}

/** Insert `ext` into the extension list at `position`. */
export function withExtension(f: TbsFields, ext: Uint8Array, position: number): TbsFields {
  const extensions = [...f.extensions];
  extensions.splice(position, 0, ext);
  return { ...f, extensions };
}

/** The precertificate (poison at `position`) of the leaf. */
export function signPrecert(h: TestHierarchy, f: TbsFields, position = 1): Promise<Uint8Array> {
  return signCertificate(withExtension(f, CT_POISON_EXTENSION_DER, position), h.issuerSigner);
}

/** The final certificate with the SCT list where the poison was. */
export function signFinal(h: TestHierarchy, f: TbsFields, scts: Uint8Array[], position = 1): Promise<Uint8Array> {
  return signCertificate(withExtension(f, sctListExtensionDer(scts), position), h.issuerSigner);
}

/** An Extension with an arbitrary OID and value (for negative tests). */
export function rawExtension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return extensionDer(encodeOid(oid), critical, value);
}

/** Independent reconstruction (RFC 6962 §3.2) with @peculiar/asn1-x509: parse, drop the poison, re-serialize. */
export function peculiarPrecertTbs(precertDer: Uint8Array): Uint8Array {
  const cert = AsnConvert.parse(precertDer, Certificate);
  const tbs: TBSCertificate = cert.tbsCertificate;
  tbs.extensions = tbs.extensions?.filter((e) => e.extnID !== OID_CT_POISON) as typeof tbs.extensions;
  return new Uint8Array(AsnConvert.serialize(tbs));
}

function peculiarIssuerKeyHash(issuerDer: Uint8Array): Uint8Array {
  const cert = AsnConvert.parse(issuerDer, Certificate);
  return new Uint8Array(createHash('sha256').update(new Uint8Array(AsnConvert.serialize(cert.tbsCertificate.subjectPublicKeyInfo))).digest());
}

export type TestLogBehaviour =
  | 'ok'
  /** Accept the request and never answer. */
  | 'hang'
  | 'http500'
  /** A well-formed SCT whose signature covers other bytes. */
  | 'badSignature'
  /** A valid SCT from another log (another key and its id). */
  | 'otherLogId'
  /** A correctly signed SCT timestamped an hour ahead. */
  | 'futureTimestamp'
  | 'notJson';

export interface TestLog {
  descriptor: CtLogDescriptor;
  behaviour: TestLogBehaviour;
  /** Requests received: endpoint and decoded chain. */
  requests: Array<{ endpoint: string; chain: Uint8Array[] }>;
  close(): Promise<void>;
}

export interface TestLogOptions {
  name: string;
  operator: string;
  clock: Clock;
  behaviour?: TestLogBehaviour;
  startInclusive?: Date;
  endExclusive?: Date;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Start an RFC 6962 add-chain / add-pre-chain endpoint on 127.0.0.1 that signs with its own P-256 key. */
export async function startTestLog(o: TestLogOptions): Promise<TestLog> {
  const key = ecKey();
  const spki = spkiOf(key);
  const otherKey = ecKey();
  const log: TestLog = {
    descriptor: undefined as unknown as CtLogDescriptor,
    behaviour: o.behaviour ?? 'ok',
    requests: [],
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    void (async () => {
      const endpoint = req.url?.replace(/^.*\/ct\/v1\//, '') ?? '';
      const body = JSON.parse(await readBody(req)) as { chain: string[] };
      const chain = body.chain.map((c) => new Uint8Array(Buffer.from(c, 'base64')));
      log.requests.push({ endpoint, chain });
      if (log.behaviour === 'hang') return;
      if (log.behaviour === 'http500') return json(res, 500, { error: 'internal' });
      if (log.behaviour === 'notJson') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html>busy</html>');
      }
      let entry: SignedEntry;
      if (endpoint === 'add-chain') entry = { type: 'x509', certDer: chain[0]! };
      else if (endpoint === 'add-pre-chain') {
        entry = { type: 'precert', issuerKeyHash: peculiarIssuerKeyHash(chain[1]!), tbsDer: peculiarPrecertTbs(chain[0]!) };
      } else return json(res, 404, {});
      const now = BigInt(o.clock.now().getTime());
      const timestampMs = log.behaviour === 'futureTimestamp' ? now + 3_600_000n : now;
      const extensions = new Uint8Array(0);
      let input = sctSignatureInput(timestampMs, entry, extensions);
      if (log.behaviour === 'badSignature') input = Uint8Array.from(input, (b, i) => (i === input.length - 3 ? b ^ 1 : b));
      const signer = log.behaviour === 'otherLogId' ? otherKey : key;
      const signature = new Uint8Array(sign('sha256', input, { key: signer, dsaEncoding: 'der' }));
      return json(
        res,
        200,
        sctToJson({ logId: logIdOf(spkiOf(signer)), timestampMs, extensions, hashAlgorithm: HASH_SHA256, signatureAlgorithm: SIG_ECDSA, signature }),
      );
    })().catch(() => {
      if (!res.headersSent) json(res, 400, { error: 'bad request' });
    });
  });
  const l = await listenOnLoopback(server);
  log.close = l.close;
  log.descriptor = {
    name: o.name,
    url: `http://127.0.0.1:${l.port}/logs/${o.name}/`,
    operator: o.operator,
    publicKeySpki: spki,
    logId: logIdOf(spki),
    mmdSeconds: 86_400,
    ...(o.startInclusive === undefined ? {} : { startInclusive: o.startInclusive }),
    ...(o.endExclusive === undefined ? {} : { endExclusive: o.endExclusive }),
  };
  return log;
}

/** A pino logger whose JSON lines are kept for assertions. */
export function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}
