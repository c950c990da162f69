import { flattenedVerify, type JWK } from 'jose';
import { ShomeiError } from '../../core/errors.js';
import type { SecretBox } from '../../core/secret-box.js';
import { publicJwk } from '../../core/keys.js';
import { fromB64u } from '../../core/ids.js';
import type { StorageAuthority } from '../../sa/index.js';
import { parseFlattenedJws } from './parse-flattened-jws.js';

const eabError = (d: string) => new ShomeiError('unauthorized', `External account binding: ${d}`);

function canonicalJwkJson(jwk: JWK): string {
  const p = publicJwk(jwk) as Record<string, unknown>;
  return JSON.stringify(Object.keys(p).sort().map((k) => [k, p[k]]));
}

/**
 * RFC 8555 §7.3.4: `externalAccountBinding` is a JWS, MAC'd with the EAB HMAC
 * key (HS256/384/512), whose protected header has `kid` = the EAB key id and
 * `url` = the newAccount URL, and whose payload is the account's public key.
 * Stops someone without the CA-issued credentials from creating accounts, and
 * binding a stolen EAB JWS to a different account key. Returns the EAB kid.
 */
export async function verifyExternalAccountBinding(
  eab: unknown,
  outerJwk: JWK,
  newAccountUrl: string,
  deps: { sa: StorageAuthority; box: SecretBox; algorithms: string[] },
): Promise<string> {
  if (eab === undefined || eab === null) {
    throw new ShomeiError('externalAccountRequired', 'This CA requires external account binding (EAB credentials from your operator)');
  }
  const { jws, header } = parseFlattenedJws(JSON.stringify(eab));
  if (typeof header.alg !== 'string' || !deps.algorithms.includes(header.alg)) {
    throw new ShomeiError('badSignatureAlgorithm', `External account binding: MAC algorithm must be one of ${deps.algorithms.join(', ')}`, {
      extra: { algorithms: deps.algorithms },
    });
  }
  if (header.nonce !== undefined) throw eabError('the EAB JWS must not carry a nonce');
  if (header.url !== newAccountUrl) throw eabError('"url" must be the newAccount URL');
  if (typeof header.kid !== 'string' || header.kid === '') throw eabError('"kid" is missing');
  const row = await deps.sa.repos.getEabKey(header.kid);
  if (!row) throw eabError(`unknown key id "${header.kid.slice(0, 64)}"`);
  if (row.revoked_at !== null) throw eabError('the key id has been revoked');
  let payloadJwk: unknown;
  try {
    payloadJwk = JSON.parse(fromB64u(jws.payload).toString('utf8'));
  } catch {
    throw new ShomeiError('malformed', 'External account binding payload is not JSON');
  }
  if (payloadJwk === null || typeof payloadJwk !== 'object' || canonicalJwkJson(payloadJwk as JWK) !== canonicalJwkJson(outerJwk)) {
    throw eabError('the payload must be the same key as the account key');
  }
  const hmacKey = deps.box.open(row.hmac_key_sealed, `eab:${row.kid}`);
  try {
    await flattenedVerify(jws, new Uint8Array(hmacKey), { algorithms: [header.alg] });
  } catch {
    throw eabError('the MAC is invalid');
  }
  return row.kid;
}
