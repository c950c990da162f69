import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { StorageAuthority } from '../sa/index.js';

const VERSION = 1;
const RANDOM_BYTES = 12;
const MAC_BYTES = 12;
/** version (1) + issued-at ms (6) + random (12) + MAC (12) = 31 bytes → 42 base64url characters. */
const NONCE_BYTES = 1 + 6 + RANDOM_BYTES + MAC_BYTES;

/**
 * Anti-replay nonces (RFC 8555 §6.5) that cost no database write to issue:
 * a nonce is `version | issued-at | 96 random bits | HMAC-SHA256 tag` under a
 * key derived from the master key, so any instance sharing that key can check
 * it was issued by this CA and is younger than its lifetime. Redemption is
 * recorded in the shared database (one insert, unique key), so a nonce is
 * accepted once across all instances.
 */
interface PendingUse {
  value: string;
  expiresAt: string;
  resolve(first: boolean): void;
  reject(e: unknown): void;
}

/** Most nonce uses recorded in one statement. */
const MAX_BATCH = 256;

export class NonceService {
  #redeemed = 0;
  #queue: PendingUse[] = [];
  #flushScheduled = false;
  constructor(
    private readonly sa: StorageAuthority,
    private readonly clock: Clock,
    private readonly lifetimeSeconds: number,
    private readonly key: Buffer,
  ) {}

  #tag(body: Buffer): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, MAC_BYTES);
  }

  issue(): string {
    const body = Buffer.alloc(1 + 6 + RANDOM_BYTES);
    body[0] = VERSION;
    body.writeUIntBE(this.clock.now().getTime(), 1, 6);
    randomBytes(RANDOM_BYTES).copy(body, 7);
    return Buffer.concat([body, this.#tag(body)]).toString('base64url');
  }

  /** True once for a nonce this CA issued within its lifetime; false for forged, stale or used ones. */
  async redeem(value: string): Promise<boolean> {
    const raw = Buffer.from(value, 'base64url');
    if (raw.length !== NONCE_BYTES || raw[0] !== VERSION || raw.toString('base64url') !== value) return false;
    const body = raw.subarray(0, NONCE_BYTES - MAC_BYTES);
    if (!timingSafeEqual(this.#tag(body), raw.subarray(NONCE_BYTES - MAC_BYTES))) return false;
    const issuedAt = raw.readUIntBE(1, 6);
    const now = this.clock.now().getTime();
    const expiresAt = issuedAt + this.lifetimeSeconds * 1000;
    if (expiresAt <= now || issuedAt > now + 60_000) return false;
    const first = await this.#record(value, new Date(expiresAt).toISOString());
    if (++this.#redeemed % 1000 === 0) await this.sa.repos.purgeUsedNonces(new Date(now).toISOString());
    return first;
  }

  /**
   * Group commit: uses arriving in the same turn of the event loop are
   * recorded with one statement (one commit instead of one per request).
   */
  #record(value: string, expiresAt: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ value, expiresAt, resolve, reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    this.#flushScheduled = false;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      const seen = new Set<string>();
      const unique = batch.filter((u) => (seen.has(u.value) ? false : (seen.add(u.value), true)));
      try {
        const recorded = await this.sa.recordNonceUsesLazily(unique.map((u) => ({ value: u.value, expiresAt: u.expiresAt })));
        // Only the first waiter of a value may win: a replay racing in the same batch loses.
        for (const u of batch) {
          const wins = recorded.delete(u.value);
          u.resolve(wins);
        }
      } catch (e) {
        for (const u of batch) u.reject(e);
      }
    }
  }
}
