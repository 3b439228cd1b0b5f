// Reading info files from disk with qq's read errors (docs/qq-behaviour.md §1.6) and discovery as qq's
// get_info_files (docs/qq-behaviour.md §1.9; qq's tests/test_core_common.py). Real files in a private temp dir.
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { QQError } from '../../src/domain/errors.js';
import { MAX_INFO_FILE_BYTES } from '../../src/domain/info/index.js';
import { parseInfoFile } from '../../src/domain/info/yaml.js';
import { runCommand } from '../../src/exec/run.js';
import { findInfoFiles, hasInfoSuffix, readInfoFile } from '../../src/jobs/infofiles.js';

const SAMPLES = fileURLToPath(new URL('../fixtures/qqinfo-samples/', import.meta.url));
const SAMPLE = join(SAMPLES, 'run_md.qqinfo');
const ROOT = mkdtempSync(join(tmpdir(), 'qq-sync-infofiles-'));
afterAll(() => {
  chmodSync(ROOT, 0o700);
  rmSync(ROOT, { recursive: true, force: true });
});

let dir: string;
let counter = 0;
beforeEach(() => {
  dir = join(ROOT, `case${counter++}`);
  mkdirSync(dir);
});

async function readError(path: string): Promise<QQError> {
  try {
    await readInfoFile(path);
  } catch (e) {
    expect(e).toBeInstanceOf(QQError);
    return e as QQError;
  }
  throw new Error(`reading ${path} did not fail`);
}

describe('readInfoFile', () => {
  it('reads every sample file to what parseInfoFile gives', async () => {
    for (const name of readdirSync(SAMPLES)) {
      const path = join(SAMPLES, name);
      const info = await readInfoFile(path);
      expect(info).toStrictEqual(parseInfoFile(readFileSync(path, 'utf8'), path));
      expect(info.jobName.length).toBeGreaterThan(0);
    }
  });

  it('a missing file', async () => {
    const p = join(dir, 'missing.qqinfo');
    expect((await readError(p)).message).toBe(`qq info file '${p}' does not exist.`);
  });

  it('a path through a regular file (ENOTDIR) does not exist either', async () => {
    copyFileSync(SAMPLE, join(dir, 'plain'));
    const p = join(dir, 'plain', 'x.qqinfo');
    expect((await readError(p)).message).toBe(`qq info file '${p}' does not exist.`);
  });

  it('a directory named x.qqinfo', async () => {
    const p = join(dir, 'x.qqinfo');
    mkdirSync(p);
    expect((await readError(p)).message).toBe(`Expected a file but path is a directory: ${p}.`);
  });

  it('not valid UTF-8', async () => {
    const p = join(dir, 'latin1.qqinfo');
    const text = readFileSync(SAMPLE, 'utf8').replace('username: jdoe', 'username: j\u00f6rg');
    writeFileSync(p, Buffer.from(text, 'latin1'));
    expect((await readError(p)).message).toBe(`File is not valid UTF-8 text: ${p}.`);
    const q = join(dir, 'binary.qqinfo');
    writeFileSync(q, Buffer.from([0x62, 0x61, 0xff, 0xfe, 0x00, 0x80]));
    expect((await readError(q)).message).toBe(`File is not valid UTF-8 text: ${q}.`);
  });

  it('valid UTF-8 with a BOM and non-ASCII text', async () => {
    const p = join(dir, 'bom.qqinfo');
    const text = readFileSync(SAMPLE, 'utf8').replace('username: jdoe', 'username: jörg');
    writeFileSync(p, `\ufeff${text}`);
    expect((await readInfoFile(p)).username).toBe('jörg');
  });

  it('a 100 MB sparse file is refused from its size, before reading', async () => {
    const p = join(dir, 'huge.qqinfo');
    writeFileSync(p, '');
    truncateSync(p, 100 * 1024 * 1024);
    expect((await readError(p)).message).toBe(
      `qq info file '${p}' is too large (104857600 bytes; the limit is ${MAX_INFO_FILE_BYTES} bytes).`,
    );
  });

  it('the size limit: exactly the limit is read, one byte more is refused', async () => {
    const base = readFileSync(SAMPLE, 'utf8');
    const pad = (n: number) => `${base}# ${'x'.repeat(n - Buffer.byteLength(base) - 3)}\n`;
    const atLimit = join(dir, 'at.qqinfo');
    writeFileSync(atLimit, pad(MAX_INFO_FILE_BYTES));
    expect(readFileSync(atLimit).length).toBe(MAX_INFO_FILE_BYTES);
    expect((await readInfoFile(atLimit)).jobId).toBe('14651234.pbs-m1.metacentrum.cz');
    const over = join(dir, 'over.qqinfo');
    writeFileSync(over, pad(MAX_INFO_FILE_BYTES + 1));
    expect((await readError(over)).message).toBe(
      `qq info file '${over}' is too large (${MAX_INFO_FILE_BYTES + 1} bytes; the limit is ${MAX_INFO_FILE_BYTES} bytes).`,
    );
  });

  it('a symlinked info file is followed (as qq does); dangling and looping links are errors', async () => {
    const link = join(dir, 'link.qqinfo');
    symlinkSync(SAMPLE, link);
    expect((await readInfoFile(link)).jobId).toBe('14651234.pbs-m1.metacentrum.cz');
    const dangling = join(dir, 'dangling.qqinfo');
    symlinkSync(join(dir, 'nowhere'), dangling);
    expect((await readError(dangling)).message).toBe(`qq info file '${dangling}' does not exist.`);
    const loop = join(dir, 'loop.qqinfo');
    symlinkSync(loop, loop);
    expect((await readError(loop)).message).toBe(
      `Could not read qq info file '${loop}': too many levels of symbolic links.`,
    );
  });

  it('a FIFO is refused without blocking', async () => {
    const p = join(dir, 'fifo.qqinfo');
    const r = await runCommand(['mkfifo', p], { timeoutMs: 10_000 });
    if (r.spawnError || r.code !== 0) {
      console.warn('SKIPPED: mkfifo not available, FIFO case not tested');
      return;
    }
    expect((await readError(p)).message).toBe(`Expected a regular file: ${p}.`);
  });

  it("broken content in a file on disk gives the parser's message with the path", async () => {
    const p = join(dir, 'bad.qqinfo');
    writeFileSync(p, 'batch_system: PBS\njob_id: [1, 2\n');
    expect((await readError(p)).message).toMatch(new RegExp(`^Failed to parse YAML in ${p}: `));
    const e = join(dir, 'empty.qqinfo');
    writeFileSync(e, '');
    expect((await readError(e)).message).toBe(`Invalid qq info file '${e}': the file is empty.`);
  });

  it('no permission to read the file or to enter its directory', async () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    const inLocked = join(locked, 'job.qqinfo');
    copyFileSync(SAMPLE, inLocked);
    const unreadable = join(dir, 'unreadable.qqinfo');
    copyFileSync(SAMPLE, unreadable);
    chmodSync(unreadable, 0o000);
    chmodSync(locked, 0o000);
    chmodSync(dir, 0o755);
    chmodSync(ROOT, 0o755);
    const check = async () => {
      expect((await readError(unreadable)).message).toBe(
        `No permission to read file '${unreadable}' or access its parent directory.`,
      );
      expect((await readError(inLocked)).message).toBe(
        `No permission to read file '${inLocked}' or access its parent directory.`,
      );
    };
    try {
      if (process.getuid?.() === 0 && process.seteuid) {
        // root ignores file modes: check as `nobody` (this test file runs in its own process).
        process.seteuid(65534);
        try {
          await check();
        } finally {
          process.seteuid(0);
        }
      } else {
        await check();
      }
    } finally {
      chmodSync(locked, 0o755);
      chmodSync(unreadable, 0o644);
      chmodSync(ROOT, 0o700);
    }
  });
});

describe('findInfoFiles', () => {
  const touch = (name: string, mtimeSec: number, content = 'x') => {
    const p = join(dir, name);
    writeFileSync(p, content);
    utimesSync(p, mtimeSec, mtimeSec);
    return p;
  };

  it('none', async () => {
    expect(await findInfoFiles(dir)).toEqual([]);
    touch('notes.txt', 1000);
    expect(await findInfoFiles(dir)).toEqual([]);
  });

  it('one', async () => {
    const p = touch('job.qqinfo', 1000);
    expect(await findInfoFiles(dir)).toEqual([p]);
  });

  it('several, oldest first; equal times by name', async () => {
    const c = touch('c.qqinfo', 3000);
    const a = touch('a.qqinfo', 5000);
    const b = touch('b.qqinfo', 1000);
    const d = touch('d.qqinfo', 3000);
    expect(await findInfoFiles(dir)).toEqual([b, c, d, a]);
    utimesSync(b, 9000, 9000);
    expect(await findInfoFiles(dir)).toEqual([c, d, a, b]);
  });

  it('only the last suffix counts, exactly and case-sensitively', async () => {
    const ok = [
      touch('job.v2.qqinfo', 1000),
      touch('md+0003.qqinfo', 2000),
      touch('..qqinfo', 3000),
    ];
    for (const n of [
      'job.qqinfo.bak',
      'job.qqinfo.',
      '.qqinfo',
      'job.QQINFO',
      'job.qqinf',
      'jobqqinfo',
      'job.qqout',
      'job.out',
    ]) {
      touch(n, 500);
    }
    expect(await findInfoFiles(dir)).toEqual(ok);
    expect(hasInfoSuffix('a.qqinfo')).toBe(true);
    expect(hasInfoSuffix('.qqinfo')).toBe(false);
    expect(hasInfoSuffix('a.qqinfo.')).toBe(false);
  });

  it('does not search subdirectories; a directory named x.qqinfo is ignored', async () => {
    const top = touch('top.qqinfo', 1000);
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'inner.qqinfo'), 'x');
    mkdirSync(join(dir, 'x.qqinfo'));
    expect(await findInfoFiles(dir)).toEqual([top]);
  });

  it('symlinks to regular files count (Python is_file follows them); dangling ones and links to dirs do not', async () => {
    const real = touch('real.qqinfo', 1000);
    symlinkSync(real, join(dir, 'alias.qqinfo'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling.qqinfo'));
    mkdirSync(join(dir, 'd'));
    symlinkSync(join(dir, 'd'), join(dir, 'dirlink.qqinfo'));
    expect(await findInfoFiles(dir)).toEqual([join(dir, 'alias.qqinfo'), real]);
  });

  it('returns absolute paths for a relative directory', async () => {
    const p = touch('job.qqinfo', 1000);
    const rel = relative(process.cwd(), dir);
    expect(await findInfoFiles(rel)).toEqual([p]);
  });

  it('the sample directory: every sample, absolute', async () => {
    const found = await findInfoFiles(SAMPLES);
    expect(found.map((f) => f.slice(SAMPLES.length)).sort()).toEqual(readdirSync(SAMPLES).sort());
    for (const f of found) expect(f.startsWith('/')).toBe(true);
  });

  it('errors for a missing directory or a file given as the directory', async () => {
    const missing = join(dir, 'nope');
    await expect(findInfoFiles(missing)).rejects.toThrow(`Directory '${missing}' does not exist.`);
    const f = touch('file.txt', 1000);
    await expect(findInfoFiles(f)).rejects.toThrow(
      `Expected a directory but path is a file: ${f}.`,
    );
  });
});

describe('broken fixture files (test/fixtures/infofiles)', () => {
  const FIX = fileURLToPath(new URL('../fixtures/infofiles/', import.meta.url));
  const cases: [string, string | RegExp][] = [
    ['alias-bomb.qqinfo', /^Failed to parse YAML in .*alias-bomb\.qqinfo: Excessive alias count/],
    [
      'python-tag.qqinfo',
      /^Failed to parse YAML in .*: Unresolved tag: tag:yaml\.org,2002:python\/object\/apply:os\.system at line 4, column 11\.$/,
    ],
    [
      'custom-tag.qqinfo',
      /^Failed to parse YAML in .*: Unresolved tag: !custom at line 8, column 8\.$/,
    ],
    ['empty.qqinfo', /^Invalid qq info file '.*empty\.qqinfo': the file is empty\.$/],
    [
      'toplevel-list.qqinfo',
      /^Invalid qq info file '.*': expected a mapping of fields at the top level, got list\.$/,
    ],
    [
      'invalid-yaml.qqinfo',
      /^Failed to parse YAML in .*invalid-yaml\.qqinfo: .+ at line \d+, column \d+\.$/,
    ],
    ['missing-job-id.qqinfo', /^Invalid qq info file '.*': missing required field 'job_id'\.$/],
    [
      'job-type-list.qqinfo',
      /^Invalid qq info file '.*': Field 'job_type' must be a str, got list\.$/,
    ],
    ['job-type-unknown.qqinfo', "Could not recognize a job type 'sometimes'."],
    ['batch-system-unknown.qqinfo', "No batch system registered as 'LSF'."],
    ['latin1.qqinfo', /^File is not valid UTF-8 text: .*latin1\.qqinfo\.$/],
  ];
  it('every fixture is listed here', () => {
    const names = readdirSync(FIX).filter((n) => n !== 'unquoted.qqinfo');
    expect(names.sort()).toEqual(cases.map(([n]) => n).sort());
  });
  it.each(cases)('%s', async (name, expected) => {
    const message = (await readError(join(FIX, name))).message;
    if (typeof expected === 'string') expect(message).toBe(expected);
    else expect(message).toMatch(expected);
  });
  it('unquoted.qqinfo: an unquoted timestamp and job id stay strings', async () => {
    const info = await readInfoFile(join(FIX, 'unquoted.qqinfo'));
    expect(info.submissionTime).toBe('2026-04-20 10:15:02');
    expect(info.jobId).toBe('3123456');
  });
});
