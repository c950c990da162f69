// The minimal ustar writer (src/core/tar.ts) checked against the real tools:
// GNU tar lists and extracts what it writes (long paths through the ustar
// prefix field, empty files, sizes on block boundaries), the output is
// deterministic, and unsafe paths are refused.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { tarGz, ustarArchive, type TarEntry } from '../../../src/core/tar.js';

const mtime = new Date('2026-11-21T03:00:00Z');
const longDir = `d/${'x'.repeat(120)}`;
const entries: TarEntry[] = [
  { name: 'pkg/', mtime },
  { name: 'pkg/empty.txt', data: Buffer.alloc(0), mtime },
  { name: 'pkg/block.bin', data: Buffer.alloc(512, 7), mtime },
  { name: 'pkg/odd.json', data: Buffer.from('{"a":"日本語"}\n'), mtime },
  { name: `pkg/${longDir}/file-with-a-long-path.csv`, data: Buffer.from('a,b\r\n1,2\r\n'), mtime },
];

test('GNU tar lists and extracts the archive byte for byte, with mtimes and modes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shomei-tar-'));
  try {
    writeFileSync(join(dir, 'a.tar.gz'), tarGz(entries));
    const listing = execFileSync('tar', ['-tvzf', 'a.tar.gz', '--utc'], { cwd: dir, encoding: 'utf8' }).trim().split('\n');
    assert.equal(listing.length, entries.length);
    assert.match(listing[0] as string, /^drwxr-xr-x root\/root\s+0 2026-11-21 03:00 pkg\/$/);
    assert.match(listing[2] as string, /^-rw-r--r-- root\/root\s+512 2026-11-21 03:00 pkg\/block\.bin$/);
    assert.ok((listing[4] as string).endsWith(`pkg/${longDir}/file-with-a-long-path.csv`));
    execFileSync('tar', ['-xzf', 'a.tar.gz'], { cwd: dir });
    for (const e of entries.filter((x) => !x.name.endsWith('/'))) assert.deepEqual(readFileSync(join(dir, e.name)), e.data, e.name);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the layout is ustar: 512-byte blocks, magic, valid header checksum, two zero blocks at the end; output is deterministic', () => {
  const raw = ustarArchive(entries);
  assert.equal(raw.length % 512, 0);
  assert.equal(raw.subarray(257, 263).toString('ascii'), 'ustar\0');
  const h = Buffer.from(raw.subarray(0, 512));
  const stored = parseInt(h.subarray(148, 154).toString('ascii'), 8);
  h.fill(0x20, 148, 156);
  assert.equal(stored, h.reduce((s, b) => s + b, 0));
  assert.ok(raw.subarray(raw.length - 1024).every((b) => b === 0));
  assert.deepEqual(gunzipSync(tarGz(entries)), raw);
  assert.deepEqual(tarGz(entries), tarGz(entries));
});

test('absolute, parent-relative, non-ASCII and over-long paths are refused', () => {
  for (const name of ['/etc/passwd', '../x', 'a/../../x', 'a//b', './a', 'naïve.txt', 'a b', `${'y'.repeat(101)}`]) {
    assert.throws(() => ustarArchive([{ name, data: Buffer.from('x'), mtime }]), RangeError, name);
  }
});
