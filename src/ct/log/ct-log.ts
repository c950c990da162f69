/**
 * One built-in RFC 6962 log on the project's database.
 *
 * Sequencing: a submission is integrated synchronously, in the transaction
 * that answers it — the log's head row is read with a row lock (PostgreSQL
 * `for update`; SQLite transactions take the write lock at `begin`), the
 * entry gets index = tree size, the right-edge frontier is advanced
 * (O(log n) hashes), the subtrees it completes are stored, and the head is
 * compare-and-set to the new size. Any STH signed afterwards covers the
 * entry, so the maximum merge delay is met trivially.
 *
 * Proofs read only the O(log n) stored subtree hashes they consist of.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.js';
import { ShomeiError } from '../../core/errors.js';
import type { StorageAuthority } from '../../sa/index.js';
import type { CtLogEntryRow, CtLogRow } from '../../sa/schema.js';
import {
  HASH_SHA256,
  SIG_ECDSA,
  encodeDigitallySigned,
  leafHash,
  merkleTreeLeaf,
  sctSignatureInput,
  treeHeadSignatureInput,
  type Sct,
} from '../rfc6962.js';
import type { LogKey } from './log-key.js';
import {
  EMPTY_ROOT,
  appendLeaf,
  consistencyRanges,
  inclusionRanges,
  nodeKey,
  nodesOfRanges,
  rangeHash,
  rootOfFrontier,
  type NodeId,
  type Range,
} from './merkle.js';
import { verifySubmission } from './submission-chain.js';

/** Most entries one get-entries answer holds (§4.6 allows returning fewer than asked). */
export const MAX_GET_ENTRIES = 256;

export interface SignedTreeHead {
  treeSize: number;
  timestampMs: bigint;
  rootHash: Uint8Array;
  /** TLS DigitallySigned (§3.5). */
  signature: Uint8Array;
}

export interface LogEntry {
  leafInput: Uint8Array;
  extraData: Uint8Array;
}

export interface CtLogOptions {
  name: string;
  operator: string;
  mmdSeconds: number;
  key: LogKey;
  sa: StorageAuthority;
  clock: Clock;
  logger: Logger;
  /** DER of the roots this log accepts chains to (read on every submission and get-roots). */
  acceptedRoots: () => Uint8Array[];
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const b64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));
const bad = (detail: string): ShomeiError => new ShomeiError('malformed', detail);

/** A log re-signs an unchanged tree at least this often, and within half its MMD (§3.5: an STH no older than the MMD on demand). */
const STH_REFRESH_MS = 3_600_000;

export class CtLog {
  readonly name: string;
  readonly operator: string;
  readonly mmdSeconds: number;
  readonly spki: Uint8Array;
  readonly logId: Uint8Array;
  readonly #o: CtLogOptions;

  constructor(o: CtLogOptions) {
    this.#o = o;
    this.name = o.name;
    this.operator = o.operator;
    this.mmdSeconds = o.mmdSeconds;
    this.spki = o.key.spki;
    this.logId = o.key.logId;
  }

  /** Create the log's head row on first start. */
  async init(): Promise<void> {
    const nowIso = this.#o.clock.now().toISOString();
    await this.#o.sa.repos.ensureCtLog({
      name: this.name,
      tree_size: 0,
      frontier: '[]',
      root_hash: hex(EMPTY_ROOT),
      sth_tree_size: null,
      sth_timestamp: null,
      sth_root_hash: null,
      sth_signature: null,
      created_at: nowIso,
      updated_at: nowIso,
    });
  }

  roots(): Uint8Array[] {
    return this.#o.acceptedRoots();
  }

  #sctOf(timestampMs: bigint, signature: Uint8Array): Sct {
    return { logId: this.logId, timestampMs, extensions: new Uint8Array(0), hashAlgorithm: HASH_SHA256, signatureAlgorithm: SIG_ECDSA, signature };
  }

  #sctOfRow(row: CtLogEntryRow): Sct {
    return this.#sctOf(BigInt(row.timestamp), unb64(row.sct_signature));
  }

  async #head(): Promise<CtLogRow> {
    const head = await this.#o.sa.repos.getCtLog(this.name);
    if (head === undefined) throw new ShomeiError('serverInternal', `CT log ${this.name} is not initialised`);
    return head;
  }

  /**
   * §4.1 add-chain / §4.2 add-pre-chain: verify, sequence, and return the
   * SCT. A (pre)certificate already in the log gets the SCT issued for it
   * the first time (§4.1 allows returning the earlier SCT).
   */
  async submit(kind: 'x509' | 'precert', chain: readonly Uint8Array[]): Promise<Sct> {
    const v = verifySubmission(kind, chain, this.#o.acceptedRoots());
    const certSha256 = createHash('sha256').update(v.leafDer).digest('hex');
    const known = await this.#o.sa.repos.findCtLogEntryByCert(this.name, certSha256);
    if (known !== undefined) return this.#sctOfRow(known);

    // Sign before taking the lock: the SCT does not depend on the index.
    const now = this.#o.clock.now();
    const timestampMs = BigInt(now.getTime());
    const extensions = new Uint8Array(0);
    const leafInput = merkleTreeLeaf(timestampMs, v.entry, extensions);
    const leaf = leafHash(leafInput);
    const signature = this.#o.key.sign(sctSignatureInput(timestampMs, v.entry, extensions));

    const sa = this.#o.sa;
    const result = await sa.transaction(async (tx) => {
      const head = await tx.getCtLogForUpdate(this.name, sa.dialect);
      if (head === undefined) throw new ShomeiError('serverInternal', `CT log ${this.name} is not initialised`);
      // Re-check under the lock: a concurrent submission of the same certificate may have won.
      const dup = await tx.findCtLogEntryByCert(this.name, certSha256);
      if (dup !== undefined) return { sct: this.#sctOfRow(dup), index: dup.idx, fresh: false };
      const index = head.tree_size;
      const frontier = (JSON.parse(head.frontier) as string[]).map(unhex);
      const next = appendLeaf(frontier, index, leaf);
      const nowIso = now.toISOString();
      await tx.insertCtLogEntry({
        log_name: this.name,
        idx: index,
        leaf_hash: hex(leaf),
        cert_sha256: certSha256,
        entry_type: v.entry.type === 'x509' ? 0 : 1,
        timestamp: timestampMs.toString(),
        leaf_input: b64(leafInput),
        extra_data: b64(v.extraData),
        sct_signature: b64(signature),
        created_at: nowIso,
      });
      await tx.insertCtLogNodes(next.completed.map((c) => ({ log_name: this.name, level: c.level, idx: c.index, hash: hex(c.hash) })));
      const moved = await tx.advanceCtLog(
        this.name,
        index,
        { tree_size: index + 1, frontier: JSON.stringify(next.frontier.map(hex)), root_hash: hex(rootOfFrontier(next.frontier)) },
        nowIso,
      );
      if (!moved) throw new ShomeiError('unavailable', `CT log ${this.name} moved during the submission; retry`, { retryAfter: 1 });
      return { sct: this.#sctOf(timestampMs, signature), index, fresh: true };
    });
    if (result.fresh) this.#o.logger.info({ ctLog: this.name, index: result.index, entryType: kind }, 'ct log entry added');
    return result.sct;
  }

  /**
   * §4.3 get-sth: the latest signed tree head, re-signed only when the tree
   * grew or the stored one is older than the refresh interval.
   */
  async sth(): Promise<SignedTreeHead> {
    const head = await this.#head();
    const now = this.#o.clock.now().getTime();
    const maxAge = Math.min(STH_REFRESH_MS, (this.mmdSeconds * 1000) / 2);
    if (
      head.sth_tree_size === head.tree_size &&
      head.sth_timestamp !== null &&
      head.sth_root_hash === head.root_hash &&
      head.sth_signature !== null &&
      now - Number(head.sth_timestamp) < maxAge
    ) {
      return { treeSize: head.tree_size, timestampMs: BigInt(head.sth_timestamp), rootHash: unhex(head.sth_root_hash), signature: unb64(head.sth_signature) };
    }
    // Never go back in time against the stored STH (another instance's clock may run ahead).
    const previous = head.sth_timestamp === null ? 0n : BigInt(head.sth_timestamp);
    const timestampMs = BigInt(now) > previous ? BigInt(now) : previous;
    const rootHash = unhex(head.root_hash);
    const signature = encodeDigitallySigned(
      HASH_SHA256,
      SIG_ECDSA,
      this.#o.key.sign(treeHeadSignatureInput(timestampMs, BigInt(head.tree_size), rootHash)),
    );
    await this.#o.sa.repos.saveCtLogSth(this.name, {
      sth_tree_size: head.tree_size,
      sth_timestamp: timestampMs.toString(),
      sth_root_hash: head.root_hash,
      sth_signature: b64(signature),
    });
    return { treeSize: head.tree_size, timestampMs, rootHash, signature };
  }

  async #checkTreeSize(treeSize: number, what: string): Promise<void> {
    const head = await this.#head();
    if (treeSize > head.tree_size) throw bad(`${what} ${treeSize} is larger than the log (${head.tree_size} entries)`);
  }

  /** Hashes of the given proof ranges, reading only the stored subtrees they consist of. */
  async #rangeHashes(ranges: readonly Range[]): Promise<Uint8Array[]> {
    const ids = nodesOfRanges(ranges);
    const leaves = ids.filter((i) => i.level === 0).map((i) => i.index);
    const inner = ids.filter((i) => i.level > 0).map((i) => ({ level: i.level, idx: i.index }));
    const [leafRows, nodeRows] = await Promise.all([
      this.#o.sa.repos.getCtLogLeafHashes(this.name, leaves),
      this.#o.sa.repos.getCtLogNodeHashes(this.name, inner),
    ]);
    const found = new Map<string, Uint8Array>();
    for (const r of leafRows) found.set(nodeKey({ level: 0, index: r.idx }), unhex(r.leaf_hash));
    for (const r of nodeRows) found.set(nodeKey({ level: r.level, index: r.idx }), unhex(r.hash));
    const node = (id: NodeId): Uint8Array => {
      const h = found.get(nodeKey(id));
      if (h === undefined) throw new ShomeiError('serverInternal', `CT log ${this.name}: subtree ${nodeKey(id)} is missing`);
      return h;
    };
    return ranges.map(([a, b]) => rangeHash(a, b, node));
  }

  /** §4.4 get-sth-consistency: PROOF(first, D[second]); empty for first = 0 or first = second. */
  async consistency(first: number, second: number): Promise<Uint8Array[]> {
    if (first > second) throw bad('first must not be larger than second');
    await this.#checkTreeSize(second, 'second');
    if (first === 0 || first === second) return [];
    return this.#rangeHashes(consistencyRanges(first, second));
  }

  /** §4.5 get-proof-by-hash. */
  async proofByHash(hash: Uint8Array, treeSize: number): Promise<{ leafIndex: number; auditPath: Uint8Array[] }> {
    if (treeSize < 1) throw bad('tree_size must be at least 1');
    await this.#checkTreeSize(treeSize, 'tree_size');
    const leafIndex = await this.#o.sa.repos.findCtLogIndexByLeafHash(this.name, hex(hash));
    if (leafIndex === undefined) throw new ShomeiError('notFound', 'no entry with this leaf hash');
    if (leafIndex >= treeSize) throw bad(`the entry is not in the tree of size ${treeSize}`);
    return { leafIndex, auditPath: await this.#rangeHashes(inclusionRanges(leafIndex, treeSize)) };
  }

  /** §4.6 get-entries: start…end inclusive, at most MAX_GET_ENTRIES, never past the end of the log. */
  async entries(start: number, end: number): Promise<LogEntry[]> {
    if (end < start) throw bad('end must not be smaller than start');
    const head = await this.#head();
    if (start >= head.tree_size) throw bad(`start ${start} is beyond the end of the log (${head.tree_size} entries)`);
    const last = Math.min(end, head.tree_size - 1, start + MAX_GET_ENTRIES - 1);
    const rows = await this.#o.sa.repos.listCtLogEntries(this.name, start, last);
    return rows.map((r) => ({ leafInput: unb64(r.leaf_input), extraData: unb64(r.extra_data) }));
  }

  /** §4.8 get-entry-and-proof. */
  async entryAndProof(leafIndex: number, treeSize: number): Promise<LogEntry & { auditPath: Uint8Array[] }> {
    if (leafIndex >= treeSize) throw bad('leaf_index must be smaller than tree_size');
    await this.#checkTreeSize(treeSize, 'tree_size');
    const [row] = await this.#o.sa.repos.listCtLogEntries(this.name, leafIndex, leafIndex);
    if (row === undefined) throw new ShomeiError('serverInternal', `CT log ${this.name}: entry ${leafIndex} is missing`);
    return {
      leafInput: unb64(row.leaf_input),
      extraData: unb64(row.extra_data),
      auditPath: await this.#rangeHashes(inclusionRanges(leafIndex, treeSize)),
    };
  }
}
