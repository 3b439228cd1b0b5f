/**
 * The names the action once kept for itself inside the destination (`.qq-sync-displaced`,
 * `.qq-sync.lock*`) are the job's and the user's now (issue 26): with each transport — rsync,
 * the built-in copier, the in-process copy, rsync over the real sshd — a hostile job tree
 * (symlinks out of the destination, a `.qq-sync-displaced` of its own that names them) writes
 * nothing outside the destination and loses nothing in it; a job's or user's entry of such a
 * name is fetched or kept like any other; and `onChange` ends with what is in the destination
 * (what a refused type change removed again is retracted).
 */
import {
  lstatSync,
  lutimesSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  utimesSync,
} from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ChangeLog } from '../../src/transfer/changes.js';
import {
  IN_PROCESS_BELOW_ENTRIES,
  TransferError,
  type TransferRequest,
  transferJob,
} from '../../src/transfer/index.js';
import { DISPLACED_PREFIX, KEPT_PREFIX } from '../../src/transfer/type-change.js';
import { cleanTemps, tempDir } from '../support/temp.js';
import { localSettings, put, sshdMissing, sshSettings } from '../support/transfer.js';

const sshd = inject('sshd');
afterAll(cleanTemps);

const T0 = 1_700_000_000;
const FUTURE = Math.floor(Date.now() / 1000) + 10 * 365 * 86400;

type Method = 'rsync' | 'built-in copier' | 'in-process copy' | 'rsync over ssh';
const methods: Method[] = ['rsync', 'built-in copier', 'in-process copy'];
if (!sshdMissing(sshd)) methods.push('rsync over ssh');

function fetch(method: Method, src: string, dst: string, changes: ChangeLog) {
  const ssh = method === 'rsync over ssh';
  const req: TransferRequest = {
    workDir: src,
    mainNode: ssh ? '127.0.0.1' : 'unused',
    local: !ssh,
    destination: dst,
    dryRun: false,
    onChange: changes.add,
    onRetract: changes.retract,
    settings: ssh
      ? sshSettings(sshd, { overwrite: 'newer' })
      : localSettings({
          overwrite: 'newer',
          forceBuiltin: method === 'built-in copier',
          inProcessBelowEntries: method === 'in-process copy' ? IN_PROCESS_BELOW_ENTRIES : 0,
        }),
  };
  return transferJob(req);
}

/** Every entry under `root`: type, content or target, mtime. */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const p = path.join(root, r);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out[r] = `-> ${readlinkSync(p)}`;
      else if (st.isDirectory()) {
        out[r] = `dir ${st.mtimeMs}`;
        walk(r);
      } else out[r] = `${readFileSync(p, 'utf8')} ${st.mtimeMs}`;
    }
  };
  walk('');
  return out;
}

/** The destination's entries (no times), and nothing of the action's own left there. */
function contents(dst: string): Record<string, string> {
  const t = tree(dst);
  const ours = Object.keys(t).filter(
    (n) => n.startsWith(DISPLACED_PREFIX) || n.startsWith(KEPT_PREFIX),
  );
  expect(ours).toEqual([]);
  return Object.fromEntries(
    Object.entries(t).map(([k, v]) => [k, v.startsWith('dir ') ? 'dir' : v.replace(/ \d+$/, '')]),
  );
}

describe.each(methods)('%s: reserved names are the job’s', (method) => {
  it('a job .qq-sync-displaced naming symlinks out, a user one, a job .qq-sync.lock*: nothing written outside, nothing lost', async () => {
    const base = tempDir('reserved');
    const src = path.join(base, 'job');
    const dst = path.join(base, 'dest');
    const out = path.join(base, 'outside');
    const victims = path.join(base, 'victims');
    await put(out, 'other.txt', 'outside\n', T0);
    await put(victims, 'victim/keep.txt', 'outside too\n', T0);
    // The job: symlinks out, and its own `.qq-sync-displaced` with entries under their names.
    mkdirSync(src);
    symlinkSync(out, path.join(src, 'link'));
    symlinkSync(victims, path.join(src, 'vlink'));
    await put(src, '.qq-sync-displaced/link/planted.txt', 'planted\n', T0);
    await put(src, '.qq-sync-displaced/vlink/victim', 'replaces\n', FUTURE);
    await put(src, '.qq-sync-displaced/note.txt', 'job note\n', T0);
    await put(src, '.qq-sync-displaced/a.txt', 'job copy\n', T0);
    await put(src, 'a.txt', 'job a\n', T0 + 50);
    await put(src, '.qq-sync.lock/data.txt', 'job data\n', T0);
    const staging = JSON.stringify({
      pid: 999_999_999,
      host: hostname(),
      token: 'f'.repeat(16),
      started: 0,
    });
    await put(src, `.qq-sync.lock.${'0123456789abcdef'}/owner`, staging, T0);
    // The user's: a folder of the old reserved name, an older a.txt (rsync moves it aside).
    await put(dst, '.qq-sync-displaced/res.csv', 'user res\n', T0);
    await put(dst, '.qq-sync-displaced/mine.txt', 'user mine\n', T0);
    await put(dst, 'a.txt', 'user a, older\n', T0);
    await put(dst, '.qq-sync.lock/user.txt', 'user lock-named\n', T0);
    const outside = { out: tree(out), victims: tree(victims) };
    const changes = new ChangeLog();
    const result = await fetch(method, src, dst, changes);
    expect({ out: tree(out), victims: tree(victims) }).toEqual(outside);
    expect(contents(dst)).toEqual({
      '.qq-sync-displaced': 'dir',
      '.qq-sync-displaced/a.txt': 'job copy\n',
      '.qq-sync-displaced/link': 'dir',
      '.qq-sync-displaced/link/planted.txt': 'planted\n',
      '.qq-sync-displaced/mine.txt': 'user mine\n',
      '.qq-sync-displaced/note.txt': 'job note\n',
      '.qq-sync-displaced/res.csv': 'user res\n',
      '.qq-sync-displaced/vlink': 'dir',
      '.qq-sync-displaced/vlink/victim': 'replaces\n',
      '.qq-sync.lock': 'dir',
      '.qq-sync.lock/data.txt': 'job data\n',
      '.qq-sync.lock/user.txt': 'user lock-named\n',
      '.qq-sync.lock.0123456789abcdef': 'dir',
      '.qq-sync.lock.0123456789abcdef/owner': staging,
      'a.txt': 'job a\n',
      link: `-> ${out}`,
      vlink: `-> ${victims}`,
    });
    // What was told is what is there.
    const told = changes.entries().map((e) => e.rel);
    expect(told).toEqual([
      '.qq-sync-displaced/a.txt',
      '.qq-sync-displaced/link/planted.txt',
      '.qq-sync-displaced/note.txt',
      '.qq-sync-displaced/vlink/victim',
      '.qq-sync.lock.0123456789abcdef/owner',
      '.qq-sync.lock/data.txt',
      'a.txt',
      'link',
      'vlink',
    ]);
    expect(result.files).toBe(7);
  });

  it('a job .qq-sync-displaced that is a symlink out of the destination: copied as a link, nothing behind it touched', async () => {
    const base = tempDir('reserved');
    const src = path.join(base, 'job');
    const dst = path.join(base, 'dest');
    const out = path.join(base, 'outside');
    await put(out, 'a.txt', 'outside a\n', T0);
    await put(out, 'other.txt', 'outside other\n', T0);
    mkdirSync(src);
    symlinkSync(out, path.join(src, '.qq-sync-displaced'));
    await put(src, 'a.txt', 'job a\n', T0 + 50);
    await put(dst, 'a.txt', 'user a, older\n', T0);
    const before = tree(out);
    await fetch(method, src, dst, new ChangeLog());
    expect(tree(out)).toEqual(before);
    expect(contents(dst)).toEqual({ '.qq-sync-displaced': `-> ${out}`, 'a.txt': 'job a\n' });
  });

  it('a refused type change: the files under the directory removed again are not reported', async () => {
    const base = tempDir('reserved');
    const src = path.join(base, 'job');
    const dst = path.join(base, 'dest');
    await put(src, 'res/inside.txt', 'inside\n', T0);
    await put(src, 'res/deep/b.txt', 'b\n', T0);
    await put(src, 'plain.txt', 'plain\n', T0);
    utimesSync(path.join(src, 'res'), T0, T0);
    await put(dst, 'res', 'user, newer\n', T0 + 1000);
    const changes = new ChangeLog();
    const failure = await fetch(method, src, dst, changes).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(TransferError);
    expect(String((failure as Error).message)).toMatch(/'res' in the destination is a file newer/);
    expect(contents(dst)).toEqual({ 'plain.txt': 'plain\n', res: 'user, newer\n' });
    expect(changes.entries().map((e) => e.rel)).toEqual(['plain.txt']);
    expect(changes.fetched()).toEqual({ files: 1, bytes: 6 });
  });

  it('a symlink out of the destination where the job has a directory, at depth 1 and 2: replaced (older) or kept (newer), never written through', async () => {
    const base = tempDir('reserved');
    const src = path.join(base, 'job');
    const dst = path.join(base, 'dest');
    const out = path.join(base, 'outside');
    await put(out, 'x.txt', 'outside\n', T0);
    await put(src, 'sub/x.txt', 'job x\n', T0);
    await put(src, 'deep/er/x.txt', 'job deep\n', T0);
    for (const d of ['sub', 'deep/er', 'deep']) utimesSync(path.join(src, d), T0, T0);
    mkdirSync(path.join(dst, 'deep'), { recursive: true });
    symlinkSync(out, path.join(dst, 'sub'));
    lutimesSync(path.join(dst, 'sub'), T0 - 100, T0 - 100);
    symlinkSync(out, path.join(dst, 'deep/er'));
    lutimesSync(path.join(dst, 'deep/er'), T0 + 100, T0 + 100);
    const before = tree(out);
    const failure = await fetch(method, src, dst, new ChangeLog()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(failure)).toMatch(/'deep\/er' in the destination is a symlink newer/);
    expect(tree(out)).toEqual(before);
    expect(contents(dst)).toEqual({
      deep: 'dir',
      'deep/er': `-> ${out}`,
      sub: 'dir',
      'sub/x.txt': 'job x\n',
    });
  });
});
