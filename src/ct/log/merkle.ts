/**
 * RFC 6962 §2.1 Merkle Hash Trees over leaf hashes: tree heads, audit paths
 * (§2.1.1), consistency proofs (§2.1.2), their verification (the algorithms
 * of RFC 9162 §2.1.3.2 and §2.1.4.2, which verify RFC 6962 proofs
 * unchanged), and the right-edge frontier that makes an append O(log n).
 *
 * Proof generation is split in two so a database-backed log reads only what
 * it needs: `inclusionRanges` / `consistencyRanges` say which subtree hashes
 * MTH(D[a:b]) a proof consists of, `nodesOfRange` which stored complete
 * subtrees make up one range, and `rangeHash` folds them. Tree sizes and
 * indexes are JavaScript safe integers; no 32-bit bit operations are used.
 */
import { createHash } from 'node:crypto';
import { leafHash as hashLeaf, nodeHash } from '../rfc6962.js';

/** A complete subtree: leaves [index·2^level, (index+1)·2^level). Level 0 nodes are leaf hashes. */
export interface NodeId {
  level: number;
  index: number;
}

/** A subtree hash MTH(D[start:end]) as it appears in a proof. */
export type Range = readonly [start: number, end: number];

/** MTH({}) = SHA-256() (§2.1). */
export const EMPTY_ROOT = new Uint8Array(createHash('sha256').digest());

function assertSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative safe integer`);
}

/** The largest power of two smaller than n (n ≥ 2): the k of §2.1. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isOdd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

/**
 * §2.1.1 PATH(m, D[n]) as the ranges whose MTH form the audit path, leaf
 * side first. `m` must be < n.
 */
export function inclusionRanges(m: number, n: number): Range[] {
  assertSize(m, 'leaf index');
  assertSize(n, 'tree size');
  if (m >= n) throw new RangeError('leaf index outside the tree');
  const out: Range[] = [];
  const walk = (m: number, start: number, n: number): void => {
    if (n === 1) return;
    const k = splitPoint(n);
    if (m < k) {
      walk(m, start, k);
      out.push([start + k, start + n]);
    } else {
      walk(m - k, start + k, n - k);
      out.push([start, start + k]);
    }
  };
  walk(m, 0, n);
  return out;
}

/** §2.1.2 PROOF(m, D[n]) = SUBPROOF(m, D[n], true) as ranges. 0 < m ≤ n; m = n gives the empty proof. */
export function consistencyRanges(m: number, n: number): Range[] {
  assertSize(m, 'first tree size');
  assertSize(n, 'second tree size');
  if (m < 1 || m > n) throw new RangeError('consistency proofs need 0 < first ≤ second');
  const out: Range[] = [];
  const sub = (m: number, start: number, n: number, b: boolean): void => {
    if (m === n) {
      if (!b) out.push([start, start + n]);
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      sub(m, start, k, b);
      out.push([start + k, start + n]);
    } else {
      sub(m - k, start + k, n - k, false);
      out.push([start, start + k]);
    }
  };
  sub(m, 0, n, true);
  return out;
}

/**
 * The complete subtrees that make up D[start:end], left to right, largest
 * first: the greedy split §2.1 applies to every range a proof refers to.
 * Requires `start` to be a multiple of the first subtree's width (true of
 * every range produced above and of any prefix [0, n)).
 */
export function nodesOfRange(start: number, end: number): NodeId[] {
  assertSize(start, 'range start');
  assertSize(end, 'range end');
  if (end <= start) throw new RangeError('empty range');
  const out: NodeId[] = [];
  let pos = start;
  while (pos < end) {
    let level = 0;
    while (2 ** (level + 1) <= end - pos) level++;
    const width = 2 ** level;
    if (pos % width !== 0) throw new RangeError(`range [${start}, ${end}) is not made of aligned subtrees`);
    out.push({ level, index: pos / width });
    pos += width;
  }
  return out;
}

/** MTH(D[start:end]) from the hashes of `nodesOfRange(start, end)`, folded right to left (§2.1). */
export function rangeHash(start: number, end: number, node: (id: NodeId) => Uint8Array): Uint8Array {
  const ids = nodesOfRange(start, end);
  let h = node(ids[ids.length - 1]!);
  for (let i = ids.length - 2; i >= 0; i--) h = nodeHash(node(ids[i]!), h);
  return h;
}

export const nodeKey = (id: NodeId): string => `${id.level}/${id.index}`;

/** Every distinct node the given ranges need, for one batched read. */
export function nodesOfRanges(ranges: readonly Range[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const [a, b] of ranges) for (const id of nodesOfRange(a, b)) seen.set(nodeKey(id), id);
  return [...seen.values()];
}

/** §2.1 MTH(D[n]) over the leaf hashes, straight from the definition (reference and tests). */
export function mth(leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return EMPTY_ROOT;
  if (leafHashes.length === 1) return leafHashes[0]!;
  const k = splitPoint(leafHashes.length);
  return nodeHash(mth(leafHashes.slice(0, k)), mth(leafHashes.slice(k)));
}

/** A node source over an in-memory list of leaf hashes (complete subtrees hashed on demand). */
export function memoryNodes(leafHashes: readonly Uint8Array[]): (id: NodeId) => Uint8Array {
  return ({ level, index }) => {
    const w = 2 ** level;
    if ((index + 1) * w > leafHashes.length) throw new RangeError('node outside the tree');
    return mth(leafHashes.slice(index * w, (index + 1) * w));
  };
}

/** §2.1.1 audit path of leaf m in the first n leaves of `leafHashes`. */
export function inclusionProof(m: number, n: number, leafHashes: readonly Uint8Array[]): Uint8Array[] {
  const node = memoryNodes(leafHashes.slice(0, n));
  return inclusionRanges(m, n).map(([a, b]) => rangeHash(a, b, node));
}

/** §2.1.2 consistency proof between the first m and first n leaves of `leafHashes`. */
export function consistencyProof(m: number, n: number, leafHashes: readonly Uint8Array[]): Uint8Array[] {
  const node = memoryNodes(leafHashes.slice(0, n));
  return consistencyRanges(m, n).map(([a, b]) => rangeHash(a, b, node));
}

export { hashLeaf as leafHash };

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

const all32 = (hs: readonly Uint8Array[]): boolean => hs.every((h) => h.length === 32);

/**
 * Root hash implied by an audit path (RFC 9162 §2.1.3.2 steps 1–4), or
 * undefined when the path cannot belong to a tree of that size.
 */
export function rootFromInclusionProof(leafIndex: number, treeSize: number, leaf: Uint8Array, proof: readonly Uint8Array[]): Uint8Array | undefined {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) return undefined;
  if (leaf.length !== 32 || !all32(proof)) return undefined;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return undefined;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : undefined;
}

/** RFC 9162 §2.1.3.2: does `proof` show leaf hash `leaf` at `leafIndex` in the tree of `treeSize` with `root`? */
export function verifyInclusion(leafIndex: number, treeSize: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  const r = rootFromInclusionProof(leafIndex, treeSize, leaf, proof);
  return r !== undefined && root.length === 32 && equal(r, root);
}

/**
 * RFC 9162 §2.1.4.2: does `proof` show the tree (size1, root1) is a prefix of
 * (size2, root2)? Equal sizes need equal roots and an empty proof; size1 = 0
 * is consistent with anything (and has the empty proof).
 */
export function verifyConsistency(size1: number, size2: number, root1: Uint8Array, root2: Uint8Array, proof: readonly Uint8Array[]): boolean {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size2 < size1) return false;
  if (!all32(proof)) return false;
  if (size1 === size2) return proof.length === 0 && equal(root1, root2);
  if (size1 === 0) return proof.length === 0;
  if (proof.length === 0 || root1.length !== 32 || root2.length !== 32) return false;
  // Step 2: when size1 is a power of two, its root is the first subtree of the path.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equal(fr, root1) && equal(sr, root2);
}

function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}

/**
 * The right edge of a tree of `size` leaves: the hashes of its complete
 * subtrees, largest (leftmost) first — one per set bit of `size`. Enough to
 * append and to compute the root without reading any leaf.
 */
export type Frontier = readonly Uint8Array[];

/** Bits set in n: the length of its frontier. */
function popcount(n: number): number {
  let c = 0;
  for (let x = n; x > 0; x = half(x)) if (isOdd(x)) c++;
  return c;
}

export interface Append {
  frontier: Uint8Array[];
  /** Complete subtrees of level ≥ 1 that the new leaf completed (to store for proofs). */
  completed: Array<NodeId & { hash: Uint8Array }>;
}

/** Append leaf hash `leaf` as leaf number `size` to a tree with frontier `frontier`. O(log n). */
export function appendLeaf(frontier: Frontier, size: number, leaf: Uint8Array): Append {
  assertSize(size, 'tree size');
  if (frontier.length !== popcount(size)) throw new RangeError('frontier does not match the tree size');
  const next = [...frontier];
  const completed: Append['completed'] = [];
  let carry = leaf;
  let level = 0;
  for (let s = size; isOdd(s); s = half(s)) {
    carry = nodeHash(next.pop()!, carry);
    level++;
    completed.push({ level, index: Math.floor(size / 2 ** level), hash: carry });
  }
  next.push(carry);
  return { frontier: next, completed };
}

/** MTH of the tree whose frontier this is (§2.1: subtrees folded right to left). */
export function rootOfFrontier(frontier: Frontier): Uint8Array {
  if (frontier.length === 0) return EMPTY_ROOT;
  let h = frontier[frontier.length - 1]!;
  for (let i = frontier.length - 2; i >= 0; i--) h = nodeHash(frontier[i]!, h);
  return h;
}
