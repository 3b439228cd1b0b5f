/**
 * Parallel streams from source: the planner (pure), rsync's `--list-only` parser, and
 * transfers with real rsync — locally and over the real sshd — compared with one stream on
 * the corpus (test/support/streams-corpus.ts); a part that fails for a transient reason is
 * retried alone; one that fails for good ends the others and is the job's error.
 */
import {
  closeSync,
  existsSync,
  ftruncateSync,
  openSync,
  readFileSync,
  realpathSync,
} from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type TransferRequest, transferJob } from '../../src/transfer/index.js';
import { lockPathOf } from '../../src/transfer/lock/index.js';
import { EVERYTHING } from '../../src/transfer/path-filter.js';
import {
  listLocal,
  parseListOnly,
  unescapeListName,
  warmLookups,
} from '../../src/transfer/plan/list.js';
import { planParts } from '../../src/transfer/plan/parts.js';
import { Progress } from '../../src/transfer/plan/progress.js';
import {
  byteSnapshot,
  corpusTree,
  FILLER_DIRS,
  FILLER_PER_DIR,
  failingRsync,
  seedDestination,
} from '../support/streams-corpus.js';
import { cleanTemps, tempDir } from '../support/temp.js';
import { localSettings, put, sshdMissing, sshSettings } from '../support/transfer.js';

const sshd = inject('sshd');
afterAll(cleanTemps);

describe('planParts', () => {
  const file = (rel: string, size = 1) => ({ rel, kind: 'file' as const, size });
  it('bounds parts by files and bytes, keeps byte order, puts directories apart', () => {
    const entries = [
      { rel: '.', kind: 'dir' as const, size: 0, mtimeSec: 7 },
      file('b/2'),
      { rel: 'b', kind: 'dir' as const, size: 0 },
      file('a', 10),
      { rel: 'l', kind: 'symlink' as const, size: 0 },
      file('b/1'),
      file('\xe9'),
      file('big', 100),
    ];
    const plan = planParts(entries, { maxFiles: 2, maxBytes: 50, minParts: 1, minFiles: 1 });
    expect(plan.dirs).toEqual(['b']);
    expect(plan.rootMtimeSec).toBe(7);
    expect(plan.parts.map((p) => p.paths)).toEqual([['a', 'b/1'], ['b/2'], ['big'], ['l', '\xe9']]);
    expect([plan.files, plan.bytes]).toEqual([5, 113]);
    expect(plan.parts.reduce((n, p) => n + p.files, 0)).toBe(5);
  });

  it('splits a small tree into at least minParts, each entry in exactly one part', () => {
    const entries = Array.from({ length: 101 }, (_, i) => file(`f${i}`));
    const plan = planParts(entries, { maxFiles: 2000, maxBytes: 1e12, minParts: 4, minFiles: 1 });
    expect(plan.parts.length).toBe(4);
    const few = planParts(entries, { maxFiles: 2000, maxBytes: 1e12, minParts: 4, minFiles: 60 });
    expect(few.parts.map((p) => p.paths.length)).toEqual([60, 41]);
    const all = plan.parts.flatMap((p) => p.paths);
    expect(new Set(all).size).toBe(101);
  });
});

describe('rsync --list-only', () => {
  it('unescapes \\#ooo (a literal backslash before #ooo is escaped itself)', () => {
    expect(unescapeListName('new\\#012line')).toBe('new\nline');
    expect(unescapeListName('back\\#134#012slash')).toBe('back\\#012slash');
    expect(unescapeListName('lat\\#351')).toBe('lat\xe9');
  });
  it('parses types, sizes, the root time (UTC) and names with spaces or arrows', () => {
    const text = [
      'drwxr-xr-x          4,096 2022/04/15 05:20:00 .',
      '-rw-r--r--      1,234,567 2022/04/15 05:20:00 a -> b',
      'lrwxrwxrwx              5 2022/04/15 05:20:00 link',
      'prw-r--r--              0 2022/04/15 05:20:00 fifo',
      'skipping non-regular file "x"',
      '',
    ].join('\n');
    expect(parseListOnly(text)).toEqual([
      { rel: '.', kind: 'dir', size: 0, mtimeSec: 1_650_000_000 },
      { rel: 'a -> b', kind: 'file', size: 1_234_567 },
      { rel: 'link', kind: 'symlink', size: 0 },
      { rel: 'fifo', kind: 'other', size: 0 },
    ]);
  });
});

type Where = 'local' | 'ssh';

function request(where: Where, src: string, dst: string, streams: number): TransferRequest {
  const base = where === 'ssh' ? sshSettings(sshd) : localSettings();
  return {
    workDir: src,
    mainNode: '127.0.0.1',
    local: where === 'local',
    destination: dst,
    dryRun: false,
    settings: { ...base, overwrite: 'newer', streams },
  };
}

const TOTAL_FILES = FILLER_DIRS * FILLER_PER_DIR;

describe.each<Where>(['local', 'ssh'])('parallel streams, %s', (where) => {
  const skip = where === 'ssh' && sshdMissing(sshd);
  it.skipIf(skip)(
    'give what one stream gives, with the same counts; a rerun copies nothing',
    async () => {
      const src = tempDir('src');
      const outside = tempDir('outside');
      await put(outside, 'target.txt', 'outside');
      await corpusTree(src, outside);
      const snaps = [];
      const counts = [];
      for (const streams of [1, 4]) {
        const dst = tempDir('dst');
        await seedDestination(dst, outside);
        const r = await transferJob(request(where, src, dst, streams));
        const again = await transferJob(request(where, src, dst, streams));
        counts.push([r.files, r.bytes, again.files, again.bytes]);
        if (streams === 1) expect(r.parts).toBe(0);
        else expect(r.parts).toBeGreaterThanOrEqual(4);
        snaps.push(await byteSnapshot(dst));
      }
      expect(snaps[1]).toEqual(snaps[0]);
      expect(counts[1]).toEqual(counts[0]);
      // Every file of the job but the one newer in the destination, then nothing.
      expect(counts[0]?.[0]).toBeGreaterThan(TOTAL_FILES);
      expect(counts[0]?.slice(2)).toEqual([0, 0]);
      expect(snaps[0]?.['latin1-\xe9.txt']).toMatch(/^file /);
      expect(readFileSync(path.join(outside, 'target.txt'), 'utf8')).toBe('outside');
    },
  );
});

describe.each<Where>(['local', 'ssh'])('parallel streams with a selection, %s', (where) => {
  const skip = where === 'ssh' && sshdMissing(sshd);
  it.skipIf(skip)('exclude, max-size and the changed entries: the same as one stream', async () => {
    const src = tempDir('src');
    const outside = tempDir('outside');
    await put(outside, 'target.txt', 'outside');
    await corpusTree(src, outside);
    await put(src, 'traj.xtc', 'x'.repeat(100));
    await put(src, 'sub/t2.xtc', 'x'.repeat(100));
    await put(src, 'big.bin', 'b'.repeat(5000));
    const runs = [];
    for (const streams of [1, 4]) {
      const dst = tempDir('dst');
      const changed: string[] = [];
      const r = await transferJob({
        ...request(where, src, dst, streams),
        exclude: ['*.xtc', 'scratch/'],
        maxSize: 4096,
        onChange: (e) => changed.push(e.rel),
      });
      if (streams === 1) expect(r.parts).toBe(0);
      else expect(r.parts).toBeGreaterThanOrEqual(4);
      const snap = await byteSnapshot(dst);
      runs.push({ snap, changed: changed.sort(), files: r.files, over: r.overMaxSize });
    }
    expect(runs[1]?.snap).toEqual(runs[0]?.snap);
    expect(runs[1]?.changed).toEqual(runs[0]?.changed);
    expect(runs[1]?.files).toBe(runs[0]?.files);
    expect(runs[1]?.over).toEqual(runs[0]?.over);
    expect(runs[0]?.over).toEqual({ files: 1, bytes: 5000, names: ['big.bin'] });
    const names = Object.keys(runs[0]?.snap ?? {});
    expect(names.some((n) => n.endsWith('.xtc'))).toBe(false);
    expect(names).not.toContain('big.bin');
    expect(runs[0]?.changed).toContain('a.txt');
    // Files and symlinks each reported once; files as many as counted.
    expect(new Set(runs[0]?.changed).size).toBe(runs[0]?.changed.length);
    expect(runs[0]?.changed.length).toBeGreaterThan(runs[0]?.files ?? Number.POSITIVE_INFINITY);
  });
});

describe('listLocal', () => {
  it('lists every entry once by its bytes, honours the filter, stops past a limit', async () => {
    const src = tempDir('src');
    await corpusTree(src, tempDir('outside'));
    const all = await listLocal(src, EVERYTHING);
    const rels = all.map((e) => e.rel);
    expect(new Set(rels).size).toBe(rels.length);
    expect(rels).toContain('latin1-\xe9.txt');
    expect(all.find((e) => e.rel === 'outside-link')?.kind).toBe('symlink');
    expect(all.find((e) => e.rel === 'empty/nested-empty')?.kind).toBe('dir');
    expect(all.filter((e) => e.kind === 'file').length).toBeGreaterThan(TOTAL_FILES);
    // An excluded directory is not entered.
    const some = await listLocal(src, {
      excludes: (rel, isDir) => isDir && rel.startsWith('data'),
    });
    expect(some.some((e) => e.rel.startsWith('data'))).toBe(false);
    expect(some.some((e) => e.rel === 'sub/deeper/z.bin')).toBe(true);
    expect(await listLocal(src, EVERYTHING, undefined, 100)).toBeUndefined();
    expect((await listLocal(src, EVERYTHING, undefined, 1e6))?.length).toBe(all.length);
  });

  it('looks names up ahead by their bytes and never fails: gone names, links, a stop', async () => {
    const src = tempDir('src');
    await corpusTree(src, tempDir('outside'));
    const rels = (await listLocal(src, EVERYTHING)).map((e) => e.rel);
    const names = [...rels, 'gone', 'gone-dir/x', 'latin1-\xe9.txt/not-a-dir'];
    await expect(warmLookups(src, names, 8)).resolves.toBeUndefined();
    await expect(warmLookups(src, names, 8, AbortSignal.abort())).resolves.toBeUndefined();
  });
});

describe('a dry run', () => {
  it('is one rsync --dry-run whatever streams says: the same counts, nothing written', async () => {
    const src = tempDir('src');
    await corpusTree(src, tempDir('outside'));
    const counts = [];
    for (const streams of [1, 4]) {
      const req = { ...request('local', src, tempDir('dst'), streams), dryRun: true };
      const r = await transferJob(req);
      expect(r.parts).toBe(0);
      counts.push([r.files, r.bytes]);
    }
    expect(counts[1]).toEqual(counts[0]);
  });
});

describe('streams: auto', () => {
  it('keeps one rsync for a local tree on a fast file system (files open in µs here)', async () => {
    const src = tempDir('src');
    await corpusTree(src, tempDir('outside'));
    const messages: string[] = [];
    const req = request('local', src, tempDir('dst'), 1);
    req.settings = { ...req.settings, streams: 'auto', debug: (m) => messages.push(m) };
    const r = await transferJob(req);
    expect(r.parts).toBe(0);
    expect(messages.join('\n')).toMatch(
      /^open takes \d+ µs here: one rsync \(streams from 200 µs\)$/m,
    );
    expect(r.files).toBeGreaterThan(TOTAL_FILES);
  });
});

describe.skipIf(sshdMissing(sshd))('a `files` selection over ssh', () => {
  it('is listed by the remote rsync with the same filters: four streams give what one gives', async () => {
    const src = tempDir('src');
    await corpusTree(src, tempDir('outside'));
    const files = ['data0*', 'sub/deeper', 'a.txt', 'missing'];
    const snaps = [];
    for (const streams of [1, 4]) {
      const dst = tempDir('dst');
      const r = await transferJob({ ...request('ssh', src, dst, streams), files });
      if (streams === 4) expect(r.parts).toBeGreaterThan(1);
      snaps.push(await byteSnapshot(dst));
    }
    expect(snaps[1]).toEqual(snaps[0]);
    expect(Object.keys(snaps[0] ?? {})).toContain('sub/deeper/z.bin');
    expect(Object.keys(snaps[0] ?? {})).not.toContain('sub/up');
    expect(Object.keys(snaps[0] ?? {}).filter((n) => n.startsWith('data1'))).toEqual([]);
  });
});

describe('a failing part', () => {
  const marker = 'data05/f17.txt';
  it('failing for a transient reason is retried alone', async () => {
    const src = tempDir('src');
    const outside = tempDir('outside');
    await corpusTree(src, outside);
    const log = path.join(tempDir('log'), 'calls');
    const bin = failingRsync(tempDir('bin'), { marker, code: 10, times: 1, log });
    const req = request('local', src, tempDir('dst'), 4);
    const messages: string[] = [];
    req.onMessage = (m) => messages.push(m);
    req.settings = {
      ...req.settings,
      retries: 2,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    };
    const r = await transferJob(req);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls.filter((c) => c === 'fail marked')).toHaveLength(1);
    expect(calls.filter((c) => c === 'run marked')).toHaveLength(1);
    // The other parts once each, and the directories' two passes.
    expect(calls.filter((c) => c === 'run other')).toHaveLength(r.parts - 1 + 2);
    expect(messages.join('\n')).toMatch(
      /^Part \d of \d: attempt 1 failed \(.*injected failure.*\); retrying it alone in/m,
    );
    expect(r.files).toBeGreaterThan(TOTAL_FILES);
    expect(r.attempts).toBe(2);
    expect(existsSync(path.join(req.destination, marker))).toBe(true);
  });

  it('failing for good ends the other streams and is the job error', async () => {
    const src = tempDir('src');
    await corpusTree(src, tempDir('outside'));
    const log = path.join(tempDir('log'), 'calls');
    const slow = 'data00/f1.txt';
    const bin = failingRsync(tempDir('bin'), { marker, code: 23, times: 5, log, slowMarker: slow });
    const req = request('local', src, tempDir('dst'), 4);
    req.settings = {
      ...req.settings,
      retries: 2,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    };
    await expect(transferJob(req)).rejects.toThrow(/injected failure/);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    // Not retried; the slow part was ended before its rsync wrote anything.
    expect(calls.filter((c) => c === 'fail marked')).toHaveLength(1);
    expect(existsSync(path.join(req.destination, slow))).toBe(false);
    expect(existsSync(lockPathOf(realpathSync(req.destination)))).toBe(false);
  });
});

describe('streams decide on bytes too, locally', () => {
  it('a few files over 256 MiB go as parallel streams; the progress line has a total', async () => {
    const src = tempDir('src');
    const dst = tempDir('dst');
    await put(src, 'small.txt', 'small\n');
    // Sparse: 2 × 140 MiB on disk in no time (rsync writes them whole into dst).
    for (const name of ['a.bin', 'b.bin']) {
      const fd = openSync(path.join(src, name), 'w');
      ftruncateSync(fd, 140 * 1024 ** 2);
      closeSync(fd);
    }
    const lines: string[] = [];
    const base = localSettings();
    const r = await transferJob({
      ...request('local', src, dst, 4),
      settings: { ...base, overwrite: 'newer', streams: 4, progressEveryMs: 1 },
      onProgress: (line) => lines.push(line),
    });
    expect(r.files).toBe(3);
    expect(r.parts).toBeGreaterThanOrEqual(2);
    expect(lines.filter((l) => / of 0 bytes/.test(l))).toEqual([]);
  }, 120_000);
});

describe('a files entry with ** and parallel streams', () => {
  it('makes only the directories on the way to what it fetched (rsync -m), as one stream', async () => {
    const src = tempDir('src');
    for (const d of ['a', 'b/c']) {
      await put(src, `${d}/keep.txt`, 'not selected\n');
      const fd = openSync(path.join(src, d, 'big.bin'), 'w');
      ftruncateSync(fd, 140 * 1024 ** 2);
      closeSync(fd);
    }
    await put(src, 'empty/deeper/none.txt', 'not selected\n');
    const trees = [];
    for (const streams of [1, 4]) {
      const dst = tempDir('dst');
      const r = await transferJob({
        ...request('local', src, dst, streams),
        files: ['**/big.bin'],
      });
      if (streams === 4) expect(r.parts).toBeGreaterThanOrEqual(2);
      trees.push(Object.keys(await byteSnapshot(dst)).sort());
    }
    expect(trees[0]).toEqual(['a', 'a/big.bin', 'b', 'b/c', 'b/c/big.bin']);
    expect(trees[1]).toEqual(trees[0]);
  }, 120_000);
});

describe('the progress line of parallel streams', () => {
  it('says the total when the plan knows it, and never "of 0 bytes" when it does not', () => {
    for (const [bytes, want] of [
      [0, /^1,000 bytes, part 1\/2 done, 4 streams$/],
      [4000, /^1,000 of 4,000 bytes 25%, part 1\/2 done, 4 streams$/],
    ] as const) {
      const lines: string[] = [];
      const plan = {
        dirs: [],
        parts: [0, 1].map(() => ({ paths: [], files: 1, bytes: 0 })),
        files: 2,
        bytes,
      };
      const p = new Progress(plan, 4, 0, (l) => lines.push(l));
      p.finished(0, { files: 1, bytes: 1000 });
      expect(lines.at(-1)).toMatch(want);
    }
  });
});
