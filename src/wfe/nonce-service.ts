import type { Clock } from '../core/clock.js';
import { randomId } from '../core/ids.js';
import type { StorageAuthority } from '../sa/index.js';

/**
 * Issues and redeems anti-replay nonces (RFC 8555 §6.5). Nonces are 128-bit
 * random values stored in the shared database, so every front-end instance
 * can redeem any other's; expired ones are purged now and then.
 */
export class NonceService {
  #issued = 0;
  constructor(
    private readonly sa: StorageAuthority,
    private readonly clock: Clock,
    private readonly lifetimeSeconds: number,
  ) {}

  async issue(): Promise<string> {
    const value = randomId(16);
    const now = this.clock.now().getTime();
    await this.sa.repos.insertNonce(value, new Date(now + this.lifetimeSeconds * 1000).toISOString());
    if (++this.#issued % 1000 === 0) await this.sa.repos.purgeExpiredNonces(new Date(now).toISOString());
    return value;
  }

  redeem(value: string): Promise<boolean> {
    return this.sa.repos.redeemNonce(value, this.clock.now().toISOString());
  }
}
