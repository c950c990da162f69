import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { Config } from '../config/schema.js';
import type { CertificateAuthority } from '../ca/types.js';
import type { StorageAuthority } from '../sa/index.js';
import type { ValidationAuthority } from '../va/types.js';
import type { CtSubmitter } from '../ct/client/index.js';

/** What the registration authority is built from. */
export interface RaDeps {
  config: Config;
  clock: Clock;
  sa: StorageAuthority;
  va: ValidationAuthority;
  ca: CertificateAuthority;
  logger: Logger;
  /** Certificate Transparency submission; null when `ct.enabled` is off. */
  ct: CtSubmitter | null;
  /** The account URL as clients see it (for RFC 8657 accounturi). */
  accountUri(accountId: string): string;
}
