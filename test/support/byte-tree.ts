/**
 * Trees with names as bytes, for the copier-versus-rsync tests: a snapshot that reads names
 * as bytes (a name that is not UTF-8 is kept exactly, shown with \xNN escapes), with types,
 * permission bits, contents, link targets and modification times; and a PATH for the bundle
 * without rsync (node and mkfifo only), so that a local copy uses the built-in copier.
 */
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ByteEntry {
  type: 'file' | 'dir' | 'symlink' | 'fifo' | 'other';
  mode: number;
  mtimeSec: number;
  content?: string;
  target?: string;
}

/** A name's bytes as readable text: printable ASCII as is, anything else as \xNN. */
export function escapeBytes(b: Buffer): string {
  let out = '';
  for (const c of b) {
    out +=
      c >= 0x20 && c < 0x7f && c !== 0x5c
        ? String.fromCharCode(c)
        : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** Every entry under `root`, keyed by the escaped relative path. */
export function byteSnapshot(root: string): Record<string, ByteEntry> {
  const out: Record<string, ByteEntry> = {};
  const walk = (dir: Buffer, rel: string) => {
    const names = readdirSync(dir, { encoding: 'buffer' }).sort(Buffer.compare);
    for (const name of names) {
      const p = Buffer.concat([dir, Buffer.from('/'), name]);
      const r = rel ? `${rel}/${escapeBytes(name)}` : escapeBytes(name);
      const st = lstatSync(p);
      const base = { mode: st.mode & 0o7777, mtimeSec: Math.floor(st.mtimeMs / 1000) };
      if (st.isDirectory()) {
        out[r] = { type: 'dir', ...base };
        walk(p, r); // the tests run as root: unreadable modes are no obstacle here
      } else if (st.isSymbolicLink()) {
        out[r] = {
          type: 'symlink',
          ...base,
          mode: 0,
          target: escapeBytes(readlinkSync(p, { encoding: 'buffer' })),
        };
      } else if (st.isFile()) {
        out[r] = { type: 'file', ...base, content: readFileSync(p).toString('base64') };
      } else {
        out[r] = { type: st.isFIFO() ? 'fifo' : 'other', ...base };
      }
    }
  };
  walk(Buffer.from(root), '');
  return out;
}

/** A PATH directory with node and mkfifo but no rsync. */
export function pathWithoutRsync(): string {
  const bin = mkdtempSync(join(tmpdir(), 'qq-sync-no-rsync-'));
  symlinkSync(process.execPath, join(bin, 'node'));
  symlinkSync('/usr/bin/mkfifo', join(bin, 'mkfifo'));
  return bin;
}

/**
 * A `wrap` for runAction: root without the capabilities that bypass file modes, so that mode
 * 000 is unreadable, as for an unprivileged user. (Not through a shell: sh drops the runner's
 * `INPUT_WAIT-TIMEOUT`-style variables, whose names are not shell identifiers.)
 */
export const UNPRIVILEGED = [
  '/usr/bin/setpriv',
  '--bounding-set=-dac_override,-dac_read_search',
  '--',
];
