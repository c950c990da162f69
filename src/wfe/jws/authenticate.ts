import type { JWK } from 'jose';
import type { AccountRow, StorageAuthority } from '../../sa/index.js';
import type { NonceService } from '../nonce-service.js';
import type { AcmeUrls } from '../urls.js';
import { checkJwsAlg } from './check-jws-alg.js';
import { checkJwsKeyChoice, type KeyChoice } from './check-jws-key-choice.js';
import { checkJwsNonce } from './check-jws-nonce.js';
import { checkJwsUrl } from './check-jws-url.js';
import { decodePayload, parseFlattenedJws, type ParsedJws, type ProtectedHeader } from './parse-flattened-jws.js';
import { resolveAccount } from './resolve-account.js';
import { verifyJwsSignature } from './verify-jws-signature.js';

export interface AuthenticatedRequest {
  header: ProtectedHeader;
  jws: ParsedJws['jws'];
  /** Parsed payload; null for POST-as-GET. */
  payload: unknown;
  /** The signing key (embedded or the account's). */
  jwk: JWK;
  /** Set when signed with `kid`. */
  account?: AccountRow;
}

export interface AuthDeps {
  urls: AcmeUrls;
  sa: StorageAuthority;
  nonces: NonceService;
}

/**
 * The JWS checks every ACME POST passes, in order; each is one small function
 * naming the RFC rule it enforces.
 */
export async function authenticate(deps: AuthDeps, body: unknown, requestUrl: string, keys: KeyChoice): Promise<AuthenticatedRequest> {
  const { jws, header } = parseFlattenedJws(body);
  const alg = checkJwsAlg(header);
  checkJwsUrl(header, requestUrl);
  const choice = checkJwsKeyChoice(header, keys);
  let jwk: JWK;
  let account: AccountRow | undefined;
  if (choice === 'kid') {
    const r = await resolveAccount(header.kid as string, deps.urls, deps.sa);
    jwk = r.jwk;
    account = r.account;
  } else {
    jwk = header.jwk as JWK;
  }
  await verifyJwsSignature(jws, jwk, alg);
  await checkJwsNonce(header, deps.nonces);
  const payload = decodePayload(jws.payload);
  return account === undefined ? { header, jws, payload, jwk } : { header, jws, payload, jwk, account };
}
