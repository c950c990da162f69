import { auditEventHash } from '../sa/audit-chain.js';
import type { Repositories } from '../sa/index.js';

export interface AuditChainProblem {
  /** Chain position where the problem shows. */
  seq: number;
  problem: string;
}

export interface AuditVerification {
  ok: boolean;
  /** Events checked (those after the anchor). */
  events: number;
  /** First and last seq checked (null when there were none). */
  firstSeq: number | null;
  lastSeq: number | null;
  /** The anchor the walk started from (moved by retention purges). */
  anchorSeq: number;
  /** The head stored in audit_chain. */
  headSeq: number;
  headHash: string;
  problems: AuditChainProblem[];
  /** More problems were found than listed. */
  truncated: boolean;
}

export const MAX_LISTED_PROBLEMS = 20;
const PAGE = 1000;

/**
 * SPEC §11 / BR 5.4.4: walk the audit chain from its anchor in seq order,
 * a page at a time, and check that
 *  - seq runs on without gaps (a deleted event leaves one),
 *  - each event's prev_hash is the hash of the event before (or the anchor),
 *  - each event's hash is what its fields and prev_hash give (a changed event),
 *  - the last event is the head kept in audit_chain (a deleted tail).
 * Reading without a transaction is safe: appends only add events after the
 * head read first, so a concurrent append is simply not looked at.
 */
export async function verifyAuditChain(repos: Pick<Repositories, 'getAuditChain' | 'listAuditAfter'>): Promise<AuditVerification> {
  const chain = await repos.getAuditChain();
  if (!chain) throw new Error('audit chain head missing (run migrations)');
  const headSeq = Number(chain.seq);
  const anchorSeq = Number(chain.anchor_seq);
  const problems: AuditChainProblem[] = [];
  let found = 0;
  const report = (seq: number, problem: string) => {
    found += 1;
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push({ seq, problem });
  };

  let expectedSeq = anchorSeq + 1;
  let prevHash = chain.anchor_hash;
  let events = 0;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  let lastHash = chain.anchor_hash;
  let after = anchorSeq;
  for (;;) {
    const page = await repos.listAuditAfter(after, PAGE);
    // Events appended after the head was read are not part of this check.
    const rows = page.filter((r) => Number(r.seq) <= headSeq);
    for (const r of rows) {
      const seq = Number(r.seq);
      events += 1;
      firstSeq ??= seq;
      if (seq !== expectedSeq) {
        report(expectedSeq, seq - expectedSeq === 1 ? `event ${expectedSeq} is missing` : `events ${expectedSeq}–${seq - 1} are missing`);
      } else if (r.prev_hash !== prevHash) {
        report(seq, `prev_hash does not link to ${seq - 1 === anchorSeq ? 'the anchor' : `event ${seq - 1}`} (events removed, inserted or reordered)`);
      }
      const recomputed = auditEventHash(r.prev_hash, {
        seq,
        at: r.at,
        actor: r.actor,
        channel: r.channel,
        action: r.action,
        object_type: r.object_type,
        object_id: r.object_id,
        details: r.details,
      });
      if (recomputed !== r.hash) report(seq, 'hash does not match the event (event altered)');
      prevHash = r.hash;
      lastHash = r.hash;
      lastSeq = seq;
      expectedSeq = seq + 1;
    }
    if (page.length < PAGE || rows.length < page.length) break;
    after = Number((page[page.length - 1] as { seq: number }).seq);
  }
  const tail = lastSeq ?? anchorSeq;
  if (tail < headSeq) {
    report(tail + 1, tail + 1 === headSeq ? `event ${headSeq} (the head) is missing` : `events ${tail + 1}–${headSeq} (up to the head) are missing`);
  } else if (lastHash !== chain.head_hash) {
    report(tail, 'the last event is not the head recorded in audit_chain');
  }
  return {
    ok: found === 0,
    events,
    firstSeq,
    lastSeq,
    anchorSeq,
    headSeq,
    headHash: chain.head_hash,
    problems,
    truncated: found > problems.length,
  };
}
