/**
 * Trees for the hostile-tree suite (test/security/hostile-tree.test.ts): written from a short
 * spec whose paths are byte strings (one char per byte, so `'l\xff'` is the bytes 6c ff and a
 * name may hold a newline), read back as a snapshot that keeps everything (names as bytes,
 * types, modes, mtimes, contents, link targets: no entry is left out, not even a lock), the
 * difference of two snapshots, and what a destination should hold after a run (rsync -rltD
 * --update, plus qq-sync's refusal of a type change: docs/safety.md).
 */
import {
  lstatSync,
  lutimesSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { escapeBytes } from './byte-tree.js';

/** The job's files (2023), a user's older file (2020), a user's newer one (2027), a job's file from the future. */
export const T_JOB = 1_700_000_000;
export const T_OLD = 1_600_000_000;
export const T_NEW = 1_800_000_000;
export const T_FUTURE = 1_900_000_000;

/** One entry of a spec: a file (content), a directory, or a symlink (target); `@out` in a target is the case's outside dir. */
export type Spec =
  | { p: string; file: string | Buffer; mtime?: number }
  | { p: string; dir: true; mtime?: number }
  | { p: string; link: string; mtime?: number };

export const f = (p: string, file: string | Buffer = `${p}\n`, mtime?: number): Spec => ({
  p,
  file,
  ...(mtime === undefined ? {} : { mtime }),
});
export const d = (p: string, mtime?: number): Spec => ({
  p,
  dir: true,
  ...(mtime === undefined ? {} : { mtime }),
});
export const l = (p: string, link: string, mtime?: number): Spec => ({
  p,
  link,
  ...(mtime === undefined ? {} : { mtime }),
});

const bytes = (s: string) => Buffer.from(s, 'latin1');
const join = (root: string, rel: string) => Buffer.concat([bytes(`${root}/`), bytes(rel)]);

/**
 * Write `specs` under `root` (which exists): parents made as needed. Every entry written or
 * made (parents too) gets `defaultMtime` unless its spec gives one; set deepest first, so a
 * directory keeps its time. Entries already under `root` that no spec names keep theirs.
 */
export function writeTree(
  root: string,
  specs: readonly Spec[],
  defaultMtime: number,
  vars: Record<string, string> = {},
): void {
  const times = new Map<string, number>();
  const parents = (rel: string) => {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      mkdirSync(join(root, dir), { recursive: true });
      if (!times.has(dir)) times.set(dir, defaultMtime);
    }
  };
  const expand = (t: string) => t.replace(/@(\w+)/g, (m, k: string) => vars[k] ?? m);
  for (const s of specs) {
    parents(s.p);
    const path = join(root, s.p);
    if ('file' in s) writeFileSync(path, s.file);
    else if ('dir' in s) mkdirSync(path, { recursive: true });
    else symlinkSync(bytes(expand(s.link)), path);
    times.set(s.p, s.mtime ?? defaultMtime);
  }
  const deepestFirst = [...times].sort((a, b) => b[0].split('/').length - a[0].split('/').length);
  for (const [rel, t] of deepestFirst) lutimesSync(join(root, rel), t, t);
}

export interface Entry {
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  mtime: number;
  content?: string;
  target?: string;
}

/** rel (a byte string) → entry; the root itself is not in it. */
export type Snapshot = Map<string, Entry>;

/**
 * Everything under `root`, not following symlinks, nothing left out; `skip(rel)` leaves a
 * subtree out (a destination, inside a snapshot of what lies around it).
 */
export function snapshot(root: string, skip: (rel: string) => boolean = () => false): Snapshot {
  const out: Snapshot = new Map();
  const walk = (rel: string) => {
    const here = rel ? join(root, rel) : bytes(root);
    const names = readdirSync(here, { encoding: 'buffer' }).sort(Buffer.compare);
    for (const name of names) {
      const r = rel ? `${rel}/${name.toString('latin1')}` : name.toString('latin1');
      if (skip(r)) continue;
      const p = join(root, r);
      const st = lstatSync(p);
      const base = { mode: st.mode & 0o7777, mtime: Math.floor(st.mtimeMs / 1000) };
      if (st.isDirectory()) {
        out.set(r, { type: 'dir', ...base });
        walk(r);
      } else if (st.isSymbolicLink()) {
        out.set(r, {
          type: 'symlink',
          ...base,
          target: readlinkSync(p, { encoding: 'buffer' }).toString('latin1'),
        });
      } else if (st.isFile()) {
        out.set(r, { type: 'file', ...base, content: readFileSync(p).toString('base64') });
      } else {
        out.set(r, { type: 'other', ...base });
      }
    }
  };
  walk('');
  return out;
}

/** A byte-string path for people (\xNN for what is not printable ASCII). */
export const show = (rel: string) => escapeBytes(bytes(rel));

function describe(e: Entry | undefined): string {
  if (!e) return 'absent';
  const what =
    e.type === 'file'
      ? `file ${JSON.stringify(
          Buffer.from(e.content ?? '', 'base64')
            .toString('latin1')
            .slice(0, 40),
        )}`
      : e.type === 'symlink'
        ? `symlink -> ${show(e.target ?? '')}`
        : e.type;
  return `${what} mode ${e.mode.toString(8)} mtime ${e.mtime}`;
}

/**
 * Where `after` differs from `before`, one line per path: names, types, contents, targets,
 * modes and mtimes (`ignoreMtime(rel)`: that entry's mtime may change).
 */
export function differences(
  before: Snapshot,
  after: Snapshot,
  ignoreMtime: (rel: string) => boolean = () => false,
): string[] {
  const out: string[] = [];
  for (const rel of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(rel);
    const b = after.get(rel);
    const same =
      a !== undefined &&
      b !== undefined &&
      a.type === b.type &&
      a.mode === b.mode &&
      a.content === b.content &&
      a.target === b.target &&
      (a.mtime === b.mtime || ignoreMtime(rel));
    if (!same) out.push(`${show(rel)}: ${describe(a)} → ${describe(b)}`);
  }
  return out;
}

export interface Expected {
  /** What the destination should hold (modes and directory times not compared). */
  entries: Snapshot;
  /** The type changes refused: a user's file or symlink newer than the job's directory. */
  refused: { rel: string; kind: 'file' | 'symlink' }[];
  /** The job's entries that should arrive (a refused directory's are not among them). */
  fetched: Set<string>;
}

/**
 * What the destination holds after a complete run with `overwrite: newer`, from what the user
 * had there and the job's tree: rsync -rltD --update (a user's file newer than the job's is
 * kept, anything else the job has replaces the user's entry), except that a user's file or
 * symlink newer than the job's directory of that name is kept and that directory not fetched
 * (docs/safety.md, "A name that changes type"). Nothing is deleted. A spec where the job has
 * a file where the user has a directory is not modelled (rsync cannot replace it): refused.
 */
export function expectedDestination(user: Snapshot, job: Snapshot): Expected {
  const entries: Snapshot = new Map(user);
  const refused: Expected['refused'] = [];
  const fetched = new Set<string>();
  const under = (rel: string, prefixes: readonly string[]) =>
    prefixes.some((p) => rel.startsWith(`${p}/`));
  const refusedDirs: string[] = [];
  for (const [rel, j] of [...job].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (under(rel, refusedDirs)) continue;
    const u = user.get(rel);
    if (u && j.type === 'dir' && u.type !== 'dir') {
      if (u.mtime > j.mtime) {
        refusedDirs.push(rel);
        refused.push({ rel, kind: u.type === 'symlink' ? 'symlink' : 'file' });
        continue;
      }
    } else if (u && j.type !== 'dir' && u.type === 'dir') {
      throw new Error(`${show(rel)}: a job's ${j.type} over a user's directory is not modelled`);
    } else if (u && j.type === 'file' && u.type === 'file' && u.mtime > j.mtime) {
      continue; // --update: the user's newer file is kept
    }
    entries.set(rel, j);
    fetched.add(rel);
  }
  return { entries, refused, fetched };
}

/** At most `n` lines, the rest counted. */
export function capped(lines: string[], n = 25): string[] {
  return lines.length <= n ? lines : [...lines.slice(0, n), `… and ${lines.length - n} more`];
}

/** Where `actual` (a destination after a run) differs from `expected`: types, contents, targets, file times. */
export function destinationDifferences(expected: Snapshot, actual: Snapshot): string[] {
  const out: string[] = [];
  for (const rel of [...new Set([...expected.keys(), ...actual.keys()])].sort()) {
    const e = expected.get(rel);
    const a = actual.get(rel);
    const same =
      e !== undefined &&
      a !== undefined &&
      e.type === a.type &&
      e.content === a.content &&
      e.target === a.target &&
      (e.type !== 'file' || e.mtime === a.mtime);
    if (!same) out.push(`${show(rel)}: expected ${describe(e)}, found ${describe(a)}`);
  }
  return out;
}
