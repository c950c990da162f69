/**
 * The CT client of the issuance cycle (WEBPKI.md §5 item 6):
 *
 *   precertificate ──add-pre-chain──▶ every applicable log, in parallel
 *                  ◀── SCTs, each checked (check-sct.ts) ──
 *   pick SCTs meeting the policy (sct-policy.ts), or fail: nothing is issued
 *   final certificate ──add-chain──▶ every applicable log, best-effort
 *
 * BR §7.1.2.9 / Chrome CRP §1.3.4: the precertificate must be logged before
 * the certificate is issued, and a certificate without enough valid SCTs is
 * rejected by browsers — so a failed policy is a failed issuance.
 */
import type { Logger } from 'pino';
import { ConfigError } from '../../config/load.js';
import type { Clock } from '../../core/clock.js';
import { ShomeiError } from '../../core/errors.js';
import { isPrecertificate, issuerKeyHash, precertTbsFromCertificate } from '../precertificate.js';
import { encodeSct, logIdOf, type Sct, type SignedEntry } from '../rfc6962.js';
import type { CtLogDescriptor } from '../types.js';
import { acceptSct } from './check-sct.js';
import { CtLogFailure, postChain, type CtEndpoint } from './post-chain.js';
import { chooseScts, logAcceptsNotAfter, operatorKey, policyShortfall, sctsNeeded, type CtPolicy } from './sct-policy.js';

export interface CtSubmitter {
  /**
   * add-pre-chain to every configured log whose temporal window contains
   * `notAfter`, in parallel, each bounded by the timeout; verify every
   * returned SCT against the log key over (issuer key hash, precertificate
   * TBS); pick SCTs meeting the policy (one per log). Throws
   * ShomeiError('serverInternal') naming the logs that failed and why when
   * the policy cannot be met — the caller then issues nothing. Returns the
   * chosen SCTs, TLS-encoded (RFC 6962 §3.2), in configured log order.
   */
  submitPrecertificate(
    chain: { precertDer: Uint8Array; issuerDer: Uint8Array; rootDer?: Uint8Array },
    notAfter: Date,
  ): Promise<Array<{ log: string; sct: Uint8Array }>>;
  /**
   * add-chain of the final certificate to every applicable log,
   * best-effort (Chrome CRP §1.3.4: SHOULD be logged within 24 h). Never
   * throws; failures are logged; returns each log's outcome.
   */
  submitCertificate(
    chain: { certDer: Uint8Array; issuerDer: Uint8Array; rootDer?: Uint8Array },
    notAfter: Date,
  ): Promise<Array<{ log: string; ok: boolean; error?: string }>>;
}

export interface CtSubmitterOptions extends CtPolicy {
  /** Built-in and external logs, in preference order (earlier logs' SCTs are embedded first). */
  logs: CtLogDescriptor[];
  /** Per-log bound on one submission, connection to last byte. */
  timeoutMs: number;
  logger: Logger;
  clock: Clock;
}

type Outcome = { log: CtLogDescriptor; sct: Sct } | { log: CtLogDescriptor; error: string };

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** A log list that cannot work is a start-up error, not a failure at every issuance. */
function checkLogList(opts: CtSubmitterOptions): void {
  const names = new Set<string>();
  const ids = new Set<string>();
  for (const log of opts.logs) {
    if (names.has(log.name)) throw new ConfigError(`CT log name "${log.name}" is configured twice`);
    names.add(log.name);
    if (hex(log.logId) !== hex(logIdOf(log.publicKeySpki))) {
      throw new ConfigError(`CT log "${log.name}": log id is not the SHA-256 of its public key (RFC 6962 §3.2)`);
    }
    if (ids.has(hex(log.logId))) throw new ConfigError(`CT log "${log.name}": the same log (public key) is configured twice`);
    ids.add(hex(log.logId));
    if (!/^https?:\/\/.+\/$/.test(log.url)) throw new ConfigError(`CT log "${log.name}": base URL must be http(s) and end with '/'`);
  }
  const shortfall = policyShortfall(opts.logs, opts);
  if (shortfall !== undefined) {
    throw new ConfigError(
      `CT policy (ct.minScts = ${opts.minScts}, ct.minDistinctOperators = ${opts.minDistinctOperators}) cannot be met: ${shortfall}; ` +
        'configure more logs (ct.builtinLogs, ct.logs) or lower the policy',
    );
  }
}

export function createCtSubmitter(opts: CtSubmitterOptions): CtSubmitter {
  checkLogList(opts);
  const logs = [...opts.logs];
  const policy: CtPolicy = { minScts: opts.minScts, minDistinctOperators: opts.minDistinctOperators };
  const { logger, clock, timeoutMs } = opts;

  /** One log, one submission, every check; never rejects. */
  async function submitOne(log: CtLogDescriptor, endpoint: CtEndpoint, chain: Uint8Array[], entry: SignedEntry): Promise<Outcome> {
    try {
      const json = await postChain(log, endpoint, chain, timeoutMs);
      const sct = acceptSct(json, log, entry, clock.now());
      logger.debug({ ctLog: log.name, endpoint, sctTimestamp: Number(sct.timestampMs) }, 'CT log returned a valid SCT');
      return { log, sct };
    } catch (e) {
      const error = e instanceof CtLogFailure ? e.message : 'internal error';
      if (e instanceof CtLogFailure) logger.warn({ ctLog: log.name, endpoint, reason: error }, 'CT log submission failed');
      else logger.error({ ctLog: log.name, endpoint, err: e }, 'CT log submission failed unexpectedly');
      return { log, error };
    }
  }

  function notEnough(summary: string, failures: readonly { log: CtLogDescriptor; error: string }[]): ShomeiError {
    const detail = failures.map((f) => `${f.log.name}: ${f.error}`).join('; ');
    return new ShomeiError(
      'serverInternal',
      `Not enough Certificate Transparency logs answered; please retry later (${summary}${detail === '' ? '' : `; ${detail}`})`,
    );
  }

  const want = `need ${sctsNeeded(policy)} SCTs from ${policy.minDistinctOperators} distinct log operator(s)`;

  return {
    async submitPrecertificate(chain, notAfter) {
      if (!isPrecertificate(chain.precertDer)) {
        throw new ShomeiError('serverInternal', 'add-pre-chain needs a precertificate (RFC 6962 §3.1 poison extension)');
      }
      const entry: SignedEntry = {
        type: 'precert',
        issuerKeyHash: issuerKeyHash(chain.issuerDer),
        tbsDer: precertTbsFromCertificate(chain.precertDer),
      };
      const applicable = logs.filter((l) => logAcceptsNotAfter(l, notAfter));
      const outOfWindow = logs
        .filter((l) => !applicable.includes(l))
        .map((log) => ({ log, error: `notAfter ${notAfter.toISOString()} outside its temporal window` }));
      const shortfall = policyShortfall(applicable, policy);
      if (shortfall !== undefined) {
        logger.error({ notAfter: notAfter.toISOString(), shortfall }, 'CT policy cannot be met for this notAfter');
        throw notEnough(`${want}; ${shortfall}`, outOfWindow);
      }
      const chainDer = [chain.precertDer, chain.issuerDer, ...(chain.rootDer === undefined ? [] : [chain.rootDer])];
      const outcomes = await Promise.all(applicable.map((log) => submitOne(log, 'add-pre-chain', chainDer, entry)));
      const valid = outcomes.filter((o): o is { log: CtLogDescriptor; sct: Sct } => 'sct' in o);
      const chosen = chooseScts(valid, policy);
      if (chosen === undefined) {
        const operators = new Set(valid.map((v) => operatorKey(v.log.operator))).size;
        const failures = outcomes.filter((o): o is { log: CtLogDescriptor; error: string } => 'error' in o);
        logger.error({ valid: valid.map((v) => v.log.name), failed: failures.map((f) => f.log.name) }, 'CT policy not met; not issuing');
        throw notEnough(`${want}, got ${valid.length} from ${operators}`, [...failures, ...outOfWindow]);
      }
      return chosen.map((c) => ({ log: c.log.name, sct: encodeSct(c.sct) }));
    },

    async submitCertificate(chain, notAfter) {
      try {
        const entry: SignedEntry = { type: 'x509', certDer: chain.certDer };
        const chainDer = [chain.certDer, chain.issuerDer, ...(chain.rootDer === undefined ? [] : [chain.rootDer])];
        const applicable = logs.filter((l) => logAcceptsNotAfter(l, notAfter));
        const outcomes = await Promise.all(applicable.map((log) => submitOne(log, 'add-chain', chainDer, entry)));
        return outcomes.map((o) => ('sct' in o ? { log: o.log.name, ok: true } : { log: o.log.name, ok: false, error: o.error }));
      } catch (e) {
        logger.error({ err: e }, 'CT add-chain of the final certificate failed');
        return [];
      }
    },
  };
}
