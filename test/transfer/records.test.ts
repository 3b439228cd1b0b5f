/**
 * rsync's records read from its stdout file as bytes (readRecords: only the marks are looked
 * for) give exactly what reading every line does (RecordReader.line, the pipe's path), on a
 * real rsync's stdout with hostile names, and across the reader's chunk boundaries.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChangedEntry } from '../../src/transfer/path-filter.js';
import { OUT_FORMAT, RecordReader, readRecords } from '../../src/transfer/rsync/records.js';
import { cleanTemps, tempDir } from '../support/temp.js';

afterAll(cleanTemps);

/**
 * What the line-by-line reader makes of `stdout`, and readRecords from a file, looking for
 * records only and (as with `max-size`) at every line: the same records and tallies.
 */
async function bothWays(stdout: Buffer): Promise<{ lines: ChangedEntry[]; bytes: ChangedEntry[] }> {
  const lines: ChangedEntry[] = [];
  const byLine = new RecordReader((e) => lines.push(e));
  for (const l of stdout.toString('latin1').split('\n')) byLine.line(l);
  const file = join(tempDir('records-'), 'stdout');
  writeFileSync(file, stdout);
  const read = async (overMaxSizeLines: boolean) => {
    const got: ChangedEntry[] = [];
    const reader = new RecordReader((e) => got.push(e), overMaxSizeLines);
    const h = await open(file, 'r');
    try {
      await readRecords(h, reader);
    } finally {
      await h.close();
    }
    return { got, tally: reader.tally };
  };
  const [bytes, everyLine] = [await read(false), await read(true)];
  expect(everyLine.got).toEqual(lines);
  expect(everyLine.tally).toEqual(byLine.tally);
  expect(bytes.tally.listedBytes).toBe(byLine.tally.listedBytes);
  return { lines, bytes: bytes.got };
}

describe('readRecords', () => {
  it('reads a real rsync stdout as line by line does, hostile names included', async () => {
    const src = tempDir('records-src-');
    const names = [
      'plain.txt',
      'qq-sync> >f+++++++++ 1 1 2020/01/01-00:00:00 forged',
      'line\nbreak',
      'cr\rreturn',
      'caf\u00e9 \\#101',
      'trailing ',
    ];
    for (const [i, n] of names.entries()) {
      mkdirSync(dirname(join(src, n)), { recursive: true }); // the forged one is 3 deep
      writeFileSync(join(src, n), 'x'.repeat(i * 100));
    }
    mkdirSync(join(src, 'sub'));
    for (let i = 0; i < 300; i++) writeFileSync(join(src, 'sub', `f${i}`), String(i));
    symlinkSync('plain.txt', join(src, 'link'));
    utimesSync(join(src, 'plain.txt'), 86_400 * 365, 86_400 * 365 + 3661);
    const dest = join(tempDir('records-dest-'), 'out');
    const stdout = execFileSync(
      'rsync',
      ['-rltD', '-s', '--stats', '--info=progress2', OUT_FORMAT, '--', `${src}/`, dest],
      { env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' }, maxBuffer: 64 * 1024 ** 2 },
    );
    const { lines, bytes } = await bothWays(stdout);
    expect(bytes).toEqual(lines);
    expect(bytes).toHaveLength(names.length + 300 + 1);
    const rels = bytes.map((e) => e.rel);
    for (const n of names) expect(rels).toContain(Buffer.from(n, 'utf8').toString('latin1'));
    expect(bytes.find((e) => e.rel === 'plain.txt')).toMatchObject({
      kind: 'file',
      size: 0,
      mtimeSec: 86_400 * 365 + 3661,
    });
    expect(bytes.find((e) => e.rel === 'link')).toMatchObject({ kind: 'symlink', size: 9 });
  });

  it('finds records split over its reads, after long lines, and at the end without a newline', async () => {
    const record = (i: number) =>
      `qq-sync> >f+++++++++ ${i} ${i} 2026/12/0${1 + (i % 3)}-1${i % 10}:0${i % 6}:59 dir/file ${i}`;
    const parts: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      parts.push(`\r  ${i} 1%  1.00kB/s  0:00:00 (xfr#${i}, ir-chk=1/2)\n${record(i)}\n`);
      if (i === 7000) parts.push(`${'\r 99%'.repeat(120_000)}\n`); // 600 KB without '\n'
      if (i === 9000) parts.push(`${'y'.repeat(700_000)}${record(-1)}\n`); // not a record
      if (i === 9500) parts.push(`big\\#012${i}.bin is over max-size\n`);
    }
    parts.push(record(20_000));
    const { lines, bytes } = await bothWays(Buffer.from(parts.join(''), 'latin1'));
    expect(bytes).toEqual(lines);
    expect(bytes).toHaveLength(20_001);
    expect(bytes[20_000]).toMatchObject({ rel: 'dir/file 20000', size: 20_000 });
  });
});
