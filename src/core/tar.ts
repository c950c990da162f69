import { gzipSync } from 'node:zlib';

/**
 * A minimal POSIX ustar writer (POSIX.1-1988 / IEEE Std 1003.1 "ustar
 * Interchange Format"): regular files and directories, names in ASCII, no
 * links, no extended headers. Enough for export archives that any `tar`
 * extracts. Output is deterministic for the same input (fixed owner, modes
 * and the given mtime), so an archive can be reproduced and compared.
 */

export interface TarEntry {
  /** Path inside the archive, `/`-separated, relative; a trailing `/` makes a directory entry. */
  name: string;
  /** File contents (ignored for directories). */
  data?: Buffer;
  mtime: Date;
}

const BLOCK = 512;

/** Write `value` as zero-padded octal in a field of `width` bytes (digits, then NUL). */
function octal(header: Buffer, offset: number, width: number, value: number): void {
  const digits = value.toString(8);
  if (!Number.isSafeInteger(value) || value < 0 || digits.length > width - 1) throw new RangeError(`tar: ${value} does not fit in ${width - 1} octal digits`);
  header.write(digits.padStart(width - 1, '0') + '\0', offset, width, 'ascii');
}

/** ustar keeps a path in name (100 bytes) or prefix (155) + '/' + name. */
function splitName(path: string): { name: string; prefix: string } {
  if (path.length <= 100) return { name: path, prefix: '' };
  for (let i = path.length - 1; i > 0; i--) {
    if (path[i] === '/' && i <= 155 && path.length - i - 1 <= 100 && path.length - i - 1 > 0) return { prefix: path.slice(0, i), name: path.slice(i + 1) };
  }
  throw new RangeError(`tar: path too long for ustar: ${path}`);
}

function checkPath(path: string): void {
  // Printable ASCII, relative, no `..` or empty segments: nothing can land outside the extraction directory.
  if (!/^[\x21-\x7e]+$/.test(path) || path.startsWith('/') || path.split('/').some((seg, i, all) => seg === '..' || seg === '.' || (seg === '' && i !== all.length - 1))) {
    throw new RangeError(`tar: unsafe or non-ASCII path: ${JSON.stringify(path)}`);
  }
}

function header(e: TarEntry): Buffer {
  checkPath(e.name);
  const isDir = e.name.endsWith('/');
  const size = isDir ? 0 : (e.data?.length ?? 0);
  const h = Buffer.alloc(BLOCK);
  const { name, prefix } = splitName(e.name);
  h.write(name, 0, 100, 'ascii');
  octal(h, 100, 8, isDir ? 0o755 : 0o644); // mode
  octal(h, 108, 8, 0); // uid
  octal(h, 116, 8, 0); // gid
  octal(h, 124, 12, size);
  octal(h, 136, 12, Math.floor(e.mtime.getTime() / 1000));
  h.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  h.write(isDir ? '5' : '0', 156, 1, 'ascii'); // typeflag
  h.write('ustar\0', 257, 6, 'ascii'); // magic
  h.write('00', 263, 2, 'ascii'); // version
  h.write('root', 265, 32, 'ascii'); // uname
  h.write('root', 297, 32, 'ascii'); // gname
  h.write(prefix, 345, 155, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  // Six octal digits, NUL, space (the historical layout every tar accepts).
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return h;
}

/** The entries as an uncompressed ustar archive (ends with two zero blocks). */
export function ustarArchive(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(header(e));
    if (e.name.endsWith('/') || e.data === undefined || e.data.length === 0) continue;
    parts.push(e.data);
    const pad = (BLOCK - (e.data.length % BLOCK)) % BLOCK;
    if (pad > 0) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

/** The entries as a gzip-compressed ustar archive (`.tar.gz`). */
export function tarGz(entries: readonly TarEntry[]): Buffer {
  return gzipSync(ustarArchive(entries), { level: 9 });
}
