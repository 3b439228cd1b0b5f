/**
 * The cases of the hostile-tree suite (test/security/hostile-tree.test.ts): one job each, its
 * working directory, what the user has in its destination, and the directory next to the
 * workspace its symlinks point at. The first six are issue 26's "What happens today".
 */
import { d, f, l, type Spec, T_FUTURE, T_NEW, T_OLD } from './hostile-tree.js';

export interface Case {
  name: string;
  /** The job's working directory (default mtime T_JOB). */
  job: Spec[];
  /** What the user has in the destination before the run (default mtime T_OLD). */
  dest?: Spec[];
  /** The case's directory next to the workspace, where its symlinks point (`@out`). */
  outside?: Spec[];
}

const RESERVED = ['.qq-sync-displaced', '.qq-sync.lock', '.qq-sync.lock.0123456789abcdef'];
const OWNER = '{"pid":1,"host":"elsewhere.example.org","token":"0123456789abcdef"}\n';

export const CASES: Case[] = [
  // Issue 26, "What happens today": written outside through the job's own link.
  {
    name: 'link-planted',
    job: [l('link', '@out/dir'), f('.qq-sync-displaced/link/planted.txt', 'planted by the job\n')],
    outside: [f('dir/existing.txt', 'outside\n')],
  },
  // … deleted outside: a directory replaced by the job's file of the future.
  {
    name: 'vlink-victim',
    job: [l('vlink', '@out/parent'), f('.qq-sync-displaced/vlink/victim', 'job\n', T_FUTURE)],
    outside: [
      f('parent/victim/keep1.txt', 'keep 1\n'),
      f('parent/victim/keep2.txt', 'keep 2\n'),
      f('parent/other.txt', 'other\n'),
    ],
  },
  // … a folder outside emptied: the job's `.qq-sync-displaced` is a link to it.
  {
    name: 'displaced-symlink',
    job: [l('.qq-sync-displaced', '@out/dir'), f('a.txt', 'job a\n')],
    dest: [f('a.txt', 'user older a\n', T_OLD)],
    outside: [f('dir/a.txt', 'outside a\n'), f('dir/other.txt', 'outside other\n')],
  },
  // … the job's own `.qq-sync-displaced` taken for the backup directory.
  {
    name: 'own-displaced',
    job: [
      f('.qq-sync-displaced/note.txt', 'job note\n'),
      f('.qq-sync-displaced/a.txt', 'job displaced a\n'),
      f('a.txt', 'job a\n'),
    ],
  },
  // … the user's own `.qq-sync-displaced` emptied.
  {
    name: 'user-displaced',
    job: [f('res.csv', 'job res\n')],
    dest: [
      f('.qq-sync-displaced/res.csv', 'user res\n'),
      f('.qq-sync-displaced/mine.txt', 'mine\n'),
    ],
  },
  // … a job file under the lock's name, fetched then deleted with the lock.
  { name: 'lock-named-dir', job: [f('.qq-sync.lock/data.txt', 'job data\n')] },
  // The reserved names as file, directory and symlink, in the job and in the destination; a
  // user's older a.txt makes rsync move something aside.
  {
    name: 'job-reserved-files',
    job: [...RESERVED.map((n) => f(n, `job's file ${n}\n`)), f('a.txt', 'job a\n')],
    dest: [f('a.txt', 'user older a\n', T_OLD)],
  },
  {
    name: 'job-reserved-dirs',
    job: [
      f('.qq-sync-displaced/a.txt', 'job displaced a\n'),
      f('.qq-sync.lock/owner', OWNER),
      f('.qq-sync.lock.0123456789abcdef/owner', OWNER),
      f('a.txt', 'job a\n'),
    ],
    dest: [f('a.txt', 'user older a\n', T_OLD)],
  },
  {
    name: 'job-reserved-symlinks',
    job: [...RESERVED.map((n, i) => l(n, `@out/d${i}`)), f('a.txt', 'job a\n')],
    dest: [f('a.txt', 'user older a\n', T_OLD)],
    outside: [f('d0/a.txt', 'outside a\n'), f('d1/owner', OWNER), f('d2/owner', OWNER)],
  },
  {
    name: 'dest-reserved-files',
    job: [f('a.txt', 'job a\n')],
    dest: [...RESERVED.map((n) => f(n, `user's file ${n}\n`)), f('a.txt', 'user older a\n')],
  },
  {
    name: 'dest-reserved-dirs',
    job: [f('a.txt', 'job a\n'), f('u.txt', 'job u\n')],
    dest: [...RESERVED.map((n) => f(`${n}/u.txt`, `user's ${n}/u.txt\n`)), f('a.txt', 'older\n')],
  },
  {
    name: 'dest-reserved-symlinks',
    job: [f('a.txt', 'job a\n'), f('owner', 'job owner\n')],
    dest: [...RESERVED.map((n, i) => l(n, `@out/e${i}`)), f('a.txt', 'user older a\n')],
    outside: [f('e0/a.txt', 'outside a\n'), f('e1/owner', OWNER), f('e2/x.txt', 'outside x\n')],
  },
  // A type change refused (docs/safety.md), three levels down.
  {
    name: 'typechange-deep',
    job: [f('a/b/c/f.txt', 'job f\n'), f('ok.txt', 'job ok\n')],
    dest: [f('a/b/c', 'user newer c\n', T_NEW)],
  },
  // Symlinks at every depth of a path that putting an entry back would go through: the
  // job's at `a` and at `a/b`, the user's at `a` and at `a/b` (newer than the job's directory:
  // kept, and refused).
  {
    name: 'job-symlink-depth1',
    job: [l('a', '@out/t'), f('.qq-sync-displaced/a/b/c', 'job c\n', T_FUTURE)],
    outside: [f('t/b/c/keep.txt', 'keep\n')],
  },
  {
    name: 'job-symlink-depth2',
    job: [d('a'), l('a/b', '@out/t'), f('.qq-sync-displaced/a/b/c', 'job c\n', T_FUTURE)],
    outside: [f('t/c/keep.txt', 'keep\n')],
  },
  {
    name: 'dest-symlink-depth1',
    job: [f('a/b/c/f.txt', 'job f\n')],
    dest: [l('a', '@out/t', T_NEW)],
    outside: [f('t/b/c/keep.txt', 'keep\n')],
  },
  {
    name: 'dest-symlink-depth2',
    job: [f('a/b/c/f.txt', 'job f\n')],
    dest: [d('a'), l('a/b', '@out/t', T_NEW)],
    outside: [f('t/c/keep.txt', 'keep\n')],
  },
  // Names with a newline, and names that are not UTF-8, in those places.
  {
    name: 'newline-names',
    job: [
      l('li\nnk', '@out/dir'),
      f('.qq-sync-displaced/li\nnk/plant\ned.txt', 'planted\n'),
      f('.qq-sync-displaced\n/x.txt', 'job x\n'),
      f('.qq-sync.lock\n', 'job lock\n'),
      f('t\ny/f.txt', 'job f\n'),
    ],
    dest: [f('t\ny', 'user newer\n', T_NEW), f('.qq-sync-displaced/li\nnk/mine', 'mine\n')],
    outside: [f('dir/existing.txt', 'outside\n')],
  },
  {
    name: 'non-utf8-names',
    job: [
      l('l\xff', '@out/dir'),
      f('.qq-sync-displaced/l\xff/planted\xfe.txt', 'planted\n'),
      f('.qq-sync-displaced\xff/x.txt', 'job x\n'),
      f('.qq-sync.lock\xfe', 'job lock\n'),
      f('t\xff/f.txt', 'job f\n'),
    ],
    dest: [f('t\xff', 'user newer\n', T_NEW), f('.qq-sync.lock.\xff/mine', 'mine\n')],
    outside: [f('dir/existing.txt', 'outside\n')],
  },
  // A type change refused next to one done (an older file replaced by the job's directory):
  // changed-files names only what is there at the end.
  {
    name: 'typechange-changed-files',
    job: [f('t/x.txt'), f('t/y.txt'), f('old/z.txt'), f('ok.txt')],
    dest: [f('t', 'user newer t\n', T_NEW), f('old', 'user older old\n', T_OLD)],
  },
];
