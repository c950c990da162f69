import { request } from 'node:https';
import { FlattenedSign, exportJWK, generateKeyPair, type JWK } from 'jose';
import { createHmac } from 'node:crypto';
import { KeyObject } from 'node:crypto';

/**
 * A deliberately low-level ACME client for protocol tests: it signs whatever
 * header and payload the test asks for, so tests can send the malformed,
 * replayed and misdirected requests a real client never would.
 */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): Record<string, unknown>;
}

export function httpsRequest(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; ca: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {}, ca: opts.ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          json: () => JSON.parse(body) as Record<string, unknown>,
        });
      });
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export interface AccountKey {
  alg: 'ES256' | 'ES384' | 'RS256' | 'PS256' | 'EdDSA';
  privateKey: KeyObject;
  jwk: JWK;
}

export async function newAccountKey(alg: AccountKey['alg'] = 'ES256'): Promise<AccountKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
  return { alg, privateKey: KeyObject.from(privateKey), jwk: await exportJWK(publicKey) };
}

export async function signJws(
  key: AccountKey,
  header: Record<string, unknown>,
  payload: unknown,
): Promise<{ protected: string; payload: string; signature: string }> {
  const bytes = payload === '' ? new Uint8Array() : new TextEncoder().encode(JSON.stringify(payload));
  const jws = await new FlattenedSign(bytes).setProtectedHeader({ alg: key.alg, ...header }).sign(key.privateKey);
  return { protected: jws.protected as string, payload: jws.payload, signature: jws.signature };
}

/** RFC 8555 §7.3.4 EAB JWS over the account key. */
export function eabJws(jwk: JWK, kid: string, hmacKeyB64u: string, url: string, alg: 'HS256' | 'HS384' | 'HS512' = 'HS256') {
  const prot = Buffer.from(JSON.stringify({ alg, kid, url })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(jwk)).toString('base64url');
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg];
  const signature = createHmac(hash, Buffer.from(hmacKeyB64u, 'base64url')).update(`${prot}.${payload}`).digest('base64url');
  return { protected: prot, payload, signature };
}

export class RawAcme {
  directory: Record<string, string> = {};
  constructor(
    readonly directoryUrl: string,
    readonly ca: string,
  ) {}

  async init(): Promise<this> {
    const r = await httpsRequest(this.directoryUrl, { ca: this.ca });
    this.directory = r.json() as Record<string, string>;
    return this;
  }

  async nonce(): Promise<string> {
    const r = await httpsRequest(this.directory['newNonce'] as string, { method: 'HEAD', ca: this.ca });
    return r.headers['replay-nonce'] as string;
  }

  /** HEAD a URL (newNonce): status and headers. */
  head(url: string): Promise<RawResponse> {
    return httpsRequest(url, { method: 'HEAD', ca: this.ca });
  }

  /** POST a JWS body as-is. */
  post(url: string, body: unknown, contentType = 'application/jose+json'): Promise<RawResponse> {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return httpsRequest(url, { method: 'POST', headers: { 'content-type': contentType }, body: text, ca: this.ca });
  }

  /** Sign and POST with a fresh nonce; `header` overrides (e.g. a wrong url). */
  async signed(url: string, key: AccountKey, payload: unknown, header: Record<string, unknown>): Promise<RawResponse> {
    const jws = await signJws(key, { nonce: await this.nonce(), url, ...header }, payload);
    return this.post(url, jws);
  }
}
