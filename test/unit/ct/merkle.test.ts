import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import {
  EMPTY_ROOT,
  appendLeaf,
  consistencyProof,
  consistencyRanges,
  inclusionProof,
  leafHash,
  memoryNodes,
  mth,
  nodesOfRange,
  rangeHash,
  rootFromInclusionProof,
  rootOfFrontier,
  verifyConsistency,
  verifyInclusion,
  type Frontier,
} from '../../../src/ct/log/merkle.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

// The RFC 6962 reference test vectors as kept by certificate-transparency /
// transparency-dev/merkle (testonly/constants.go, proof/verify_test.go).
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
const LEAF_HASHES = LEAVES.map(leafHash);
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
/** (leaf index, tree size, audit path). */
const INCLUSION: Array<[number, number, string[]]> = [
  [0, 1, []],
  [
    0,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    5,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [
    1,
    5,
    [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];
/** (first size, second size, proof). */
const CONSISTENCY: Array<[number, number, string[]]> = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [
    2,
    5,
    ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'],
  ],
  [
    6,
    7,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
];

test('§2.1 MTH of the first n reference leaves, n = 0…8', () => {
  assert.equal(hex(EMPTY_ROOT), ROOTS[0]);
  for (let n = 0; n <= 8; n++) assert.equal(hex(mth(LEAF_HASHES.slice(0, n))), ROOTS[n], `n=${n}`);
});

test('§2.1.1 audit paths equal the reference vectors and verify', () => {
  for (const [m, n, path] of INCLUSION) {
    const got = inclusionProof(m, n, LEAF_HASHES);
    assert.deepEqual(got.map(hex), path, `PATH(${m}, D[${n}])`);
    assert.ok(verifyInclusion(m, n, LEAF_HASHES[m]!, got, unhex(ROOTS[n]!)));
  }
});

test('§2.1.2 consistency proofs equal the reference vectors and verify', () => {
  for (const [m, n, proof] of CONSISTENCY) {
    const got = consistencyProof(m, n, LEAF_HASHES);
    assert.deepEqual(got.map(hex), proof, `PROOF(${m}, D[${n}])`);
    assert.ok(verifyConsistency(m, n, unhex(ROOTS[m]!), unhex(ROOTS[n]!), got));
  }
});

function leavesOf(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => leafHash(new Uint8Array(Buffer.from(`leaf-${i}`))));
}

function flip(h: Uint8Array, bit: number): Uint8Array {
  const c = Uint8Array.from(h);
  c[0]! ^= 1 << bit;
  return c;
}

const N = 20;
const leaves20 = leavesOf(N);
const roots20 = Array.from({ length: N + 1 }, (_, n) => mth(leaves20.slice(0, n)));

test('property: every audit path for every (m < n ≤ 20) verifies; tampered ones fail', () => {
  const junk = new Uint8Array(32).fill(7);
  for (let n = 1; n <= N; n++) {
    for (let m = 0; m < n; m++) {
      const leaf = leaves20[m]!;
      const root = roots20[n]!;
      const p = inclusionProof(m, n, leaves20);
      assert.ok(verifyInclusion(m, n, leaf, p, root), `PATH(${m}, ${n})`);
      // Wrong leaf, root, index, size; modified, truncated, extended proof.
      assert.ok(!verifyInclusion(m, n, flip(leaf, 3), p, root));
      assert.ok(!verifyInclusion(m, n, leaf, p, flip(root, 3)));
      if (m + 1 < n) assert.ok(!verifyInclusion(m + 1, n, leaf, p, root));
      if (m > 0) assert.ok(!verifyInclusion(m - 1, n, leaf, p, root));
      assert.ok(!verifyInclusion(m, n * 2, leaf, p, root));
      assert.ok(!verifyInclusion(m, n, leaf, [...p, junk], root));
      assert.ok(!verifyInclusion(m, n, leaf, [junk, ...p], root));
      for (let i = 0; i < p.length; i++) {
        const q = [...p];
        q[i] = flip(q[i]!, 4);
        assert.ok(!verifyInclusion(m, n, leaf, q, root), `flip ${i} of PATH(${m}, ${n})`);
      }
      if (p.length > 0) assert.ok(!verifyInclusion(m, n, leaf, p.slice(0, -1), root));
      assert.ok(!verifyInclusion(m, n, leaf, [...p.slice(0, -1), new Uint8Array(31)], root));
    }
  }
});

test('property: every consistency proof for every (0 < m ≤ n ≤ 20) verifies; tampered ones fail', () => {
  for (let n = 1; n <= N; n++) {
    for (let m = 1; m <= n; m++) {
      const r1 = roots20[m]!;
      const r2 = roots20[n]!;
      const p = consistencyProof(m, n, leaves20);
      assert.ok(verifyConsistency(m, n, r1, r2, p), `PROOF(${m}, ${n})`);
      if (m === n) {
        assert.equal(p.length, 0);
        assert.ok(!verifyConsistency(m, n, r1, flip(r2, 1), p));
        continue;
      }
      assert.ok(!verifyConsistency(m, n, flip(r1, 2), r2, p));
      assert.ok(!verifyConsistency(m, n, r1, flip(r2, 2), p));
      assert.ok(!verifyConsistency(m, n, r2, r1, p));
      assert.ok(!verifyConsistency(m, n, r1, r2, []));
      assert.ok(!verifyConsistency(m - 1 === 0 ? m + 1 : m - 1, n, r1, r2, p));
      // Wrong tree height (as the reference suite probes: n·2 and n/2 change the shape of the path).
      assert.ok(!verifyConsistency(m, n * 2, r1, r2, p));
      if (Math.floor(n / 2) > m) assert.ok(!verifyConsistency(m, Math.floor(n / 2), r1, r2, p));
      assert.ok(!verifyConsistency(m, n, r1, r2, [...p, r1]));
      assert.ok(!verifyConsistency(m, n, r1, r2, [r1, ...p]));
      assert.ok(!verifyConsistency(m, n, r1, r2, p.slice(0, -1)));
      for (let i = 0; i < p.length; i++) {
        const q = [...p];
        q[i] = flip(q[i]!, 4);
        assert.ok(!verifyConsistency(m, n, r1, r2, q), `flip ${i} of PROOF(${m}, ${n})`);
      }
    }
  }
});

test('consistency edge cases: size 0 is consistent with anything, shrinking never is', () => {
  assert.ok(verifyConsistency(0, 5, EMPTY_ROOT, roots20[5]!, []));
  assert.ok(!verifyConsistency(0, 5, EMPTY_ROOT, roots20[5]!, [roots20[5]!]));
  assert.ok(!verifyConsistency(5, 4, roots20[5]!, roots20[4]!, []));
  assert.throws(() => consistencyRanges(0, 3), RangeError);
  assert.throws(() => consistencyRanges(4, 3), RangeError);
});

test('inclusion edge cases: index outside the tree, empty tree, one-leaf tree', () => {
  const h = leaves20[0]!;
  assert.ok(verifyInclusion(0, 1, h, [], h));
  assert.ok(!verifyInclusion(1, 1, h, [], h));
  assert.ok(!verifyInclusion(0, 0, h, [], EMPTY_ROOT));
  assert.equal(rootFromInclusionProof(-1, 3, h, []), undefined);
  assert.equal(rootFromInclusionProof(0, 2 ** 60, h, []), undefined);
});

test('frontier: appending leaf by leaf gives every root and exactly the completed subtrees', () => {
  let frontier: Frontier = [];
  const stored = new Map<string, Uint8Array>();
  for (let n = 0; n < N; n++) {
    assert.equal(hex(rootOfFrontier(frontier)), hex(roots20[n]!), `root at ${n}`);
    const a = appendLeaf(frontier, n, leaves20[n]!);
    for (const c of a.completed) {
      assert.ok(c.level >= 1);
      const w = 2 ** c.level;
      assert.equal(hex(c.hash), hex(mth(leaves20.slice(c.index * w, (c.index + 1) * w))), `node ${c.level}/${c.index}`);
      stored.set(`${c.level}/${c.index}`, c.hash);
    }
    frontier = a.frontier;
  }
  assert.equal(hex(rootOfFrontier(frontier)), hex(roots20[N]!));
  // Every complete subtree of level ≥ 1 was produced once: for 20 leaves 10 + 5 + 2 + 1.
  assert.equal(stored.size, 18);
  assert.throws(() => appendLeaf([], 1, leaves20[0]!), RangeError);
});

test('nodesOfRange + rangeHash equal MTH of the range for every prefix and every proof range', () => {
  const node = memoryNodes(leaves20);
  for (let n = 1; n <= N; n++) assert.equal(hex(rangeHash(0, n, node)), hex(roots20[n]!));
  assert.deepEqual(nodesOfRange(0, 13), [
    { level: 3, index: 0 },
    { level: 2, index: 2 },
    { level: 0, index: 12 },
  ]);
  assert.throws(() => nodesOfRange(1, 5), RangeError);
});
