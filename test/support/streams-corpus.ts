/**
 * The transfer corpus for parallel streams: everything one rsync must get right (odd and
 * non-UTF-8 names, names at the length limit, symlinks of every kind, empty directories,
 * directory mtimes, a destination seeded with newer, older and conflicting entries) inside a
 * tree large enough to be split into parts; and an `rsync` wrapper that fails chosen parts.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { lutimes, mkdir, utimes, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { link, ODD_NAMES, put } from './transfer.js';

const T0 = 1_650_000_000;
/** More files than the façade's threshold for streams (STREAMS_FROM_FILES). */
export const FILLER_DIRS = 12;
export const FILLER_PER_DIR = 200;

/**
 * Write the corpus into `src`; `outside` is a directory a symlink in it points to.
 * `latin1: false` leaves out the non-UTF-8 name (the built-in copier of main before the
 * copier's exactness work cannot read it).
 */
export async function corpusTree(src: string, outside: string, latin1 = true): Promise<void> {
  for (const [i, n] of ODD_NAMES.entries()) await put(src, n, `odd ${i}`, T0 + i);
  await put(src, 'L'.repeat(255), 'long', T0);
  await put(src, `sub/${'日'.repeat(84)}xy`, 'long utf-8', T0);
  // A name that is not UTF-8: its bytes must arrive as they are.
  if (latin1) await writeFile(Buffer.from(`${src}/latin1-\xe9.txt`, 'latin1'), 'latin1');
  await put(src, 'a.txt', 'a', T0);
  await put(src, 'sub/deeper/z.bin', Buffer.from([0, 1, 2, 255, 254]), T0);
  await put(src, 'newer-in-dest.txt', 'job', T0);
  await put(src, 'older-in-dest.txt', 'job, newer', T0 + 100);
  await put(src, 'same-time-other-size.txt', 'job content', T0);
  await put(src, 'replaces-link.txt', 'job', T0);
  await put(src, 'linkdir-becomes-dir/f', 'f', T0);
  await mkdir(path.join(src, 'empty/nested-empty'), { recursive: true });
  await link(src, 'rel-link', 'a.txt');
  await link(src, 'abs-link', '/etc/hostname');
  await link(src, 'dangling', 'nowhere');
  await link(src, 'sub/up', '../a.txt');
  await link(src, 'outside-link', outside);
  for (let d = 0; d < FILLER_DIRS; d++) {
    const dir = path.join(src, `data${String(d).padStart(2, '0')}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < FILLER_PER_DIR; f++) {
      writeFileSync(path.join(dir, `f${f}.txt`), `${d}/${f}\n`.repeat(f % 7));
    }
    await utimes(dir, T0 + d, T0 + d);
  }
  for (const d of ['sub/deeper', 'sub', 'empty/nested-empty', 'empty', 'linkdir-becomes-dir']) {
    await utimes(path.join(src, d), T0 + 5, T0 + 5);
  }
}

/** What the destination holds before the fetch. */
export async function seedDestination(dst: string, outside: string): Promise<void> {
  await put(dst, 'newer-in-dest.txt', 'mine, edited later', T0 + 1000);
  await put(dst, 'older-in-dest.txt', 'stale', T0);
  await put(dst, 'same-time-other-size.txt', 'mine', T0);
  await put(dst, 'dest-only.txt', 'keep', T0);
  await link(dst, 'replaces-link.txt', path.join(outside, 'target.txt'));
  await link(dst, 'linkdir-becomes-dir', outside);
  // Older than the job's directory of that name, so it is replaced (a newer one is refused:
  // test/transfer/copier-type-change.test.ts).
  await lutimes(path.join(dst, 'linkdir-becomes-dir'), T0 - 100, T0 - 100);
}

/**
 * A directory holding an `rsync` that runs the real one (found on the rest of PATH), except
 * for a part (`--files-from`) whose list names `marker`: the first `times` such runs exit
 * with `code` (10, a socket error, is transient; 23 is not), after `sleepSec`. Every part run
 * appends a line to `log`: `fail` or `run`, and whether its list named the marker.
 */
export function failingRsync(
  dir: string,
  o: { marker: string; code: number; times: number; log: string; slowMarker?: string },
): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'rsync');
  writeFileSync(
    file,
    `#!/bin/sh
PATH="\${PATH#'${dir}:'}"; export PATH
list=
for a in "$@"; do case "$a" in --files-from=*) list="\${a#--files-from=}";; esac; done
if [ -n "$list" ]; then
  if grep -qa '${o.marker}' "$list"; then
    n=$(cat '${dir}/count' 2>/dev/null || echo 0)
    if [ "$n" -lt ${o.times} ]; then
      echo $((n + 1)) > '${dir}/count'
      echo "fail marked" >> '${o.log}'
      echo "rsync: injected failure" >&2
      exit ${o.code}
    fi
    echo "run marked" >> '${o.log}'
  else
    echo "run other" >> '${o.log}'
  fi
  ${o.slowMarker ? `if grep -qa '${o.slowMarker}' "$list"; then sleep 60; fi` : ''}
fi
exec rsync "$@"
`,
  );
  chmodSync(file, 0o755);
  return dir;
}

/**
 * Every entry under `root` by its name's bytes (latin1 keys), the lock left out: type,
 * content, symlink target, mtime to the second (directories too, but the root's, which the
 * lock touches).
 */
export async function byteSnapshot(root: string): Promise<Record<string, string>> {
  const { lstat, readdir, readFile, readlink } = await import('node:fs/promises');
  const out: Record<string, string> = {};
  const walk = async (rel: Buffer): Promise<void> => {
    const dir = rel.length ? Buffer.concat([Buffer.from(`${root}/`), rel]) : Buffer.from(root);
    const names = (await readdir(dir, { encoding: 'buffer' })).sort(Buffer.compare);
    for (const name of names) {
      const r = rel.length ? Buffer.concat([rel, Buffer.from('/'), name]) : name;
      const key = r.toString('latin1');
      const p = Buffer.concat([Buffer.from(`${root}/`), r]);
      const st = await lstat(p);
      const t = Math.floor(st.mtimeMs / 1000);
      if (st.isDirectory()) {
        out[key] = `dir ${t}`;
        await walk(r);
      } else if (st.isSymbolicLink()) {
        out[key] = `symlink ${(await readlink(p, { encoding: 'buffer' })).toString('latin1')}`;
      } else if (st.isFile()) {
        out[key] = `file ${t} ${st.mode.toString(8)} ${(await readFile(p)).toString('base64')}`;
      } else {
        out[key] = `other ${t}`;
      }
    }
  };
  await walk(Buffer.alloc(0));
  return out;
}
