/**
 * What rsync says about each entry as it goes, read from its stdout (which also carries
 * `--info=progress2` lines, '\r'-separated, and `--stats`): one `--out-format` record per
 * entry it writes — or, with `--info=name2`, per entry it looked at — and, with
 * `--info=skip1`, a line per file over `--max-size`. No second pass over the tree: rsync
 * already knows all of it.
 *
 * Read as bytes (one record per file, and as many progress lines): the file is scanned for the
 * records' mark, and only a record's name becomes a string. Decoding all of it and splitting
 * it into lines cost the action more than rsync took to write it (issue 29).
 */
import type { FileHandle } from 'node:fs/promises';
import { type ChangedEntry, LEFT_OUT_NAMES } from '../path-filter.js';

/** Starts every record; progress text never holds it, and a name comes only after it. */
const MARK = 'qq-sync> ';
const MARK_BYTES = Buffer.from(MARK, 'latin1');

/**
 * The itemized change (%i, 11 characters), the length (%l), the bytes sent (%b: only there so
 * that rsync logs a file after it is written, not before), the mtime (%M, in the TZ rsync
 * runs with: UTC, set by the caller) and the name (%n, '/' after a directory). rsync escapes
 * control and non-ASCII bytes in names as `\#ooo` (and a `\#` followed by 3 digits itself),
 * so a record is one line and the name can be decoded exactly.
 */
export const OUT_FORMAT = `--out-format=${MARK}%i %l %b %M %n`;

const OVER_MAX_SIZE = ' is over max-size';
const SPACE = 0x20;
const DIGIT0 = 0x30;
const LF = 0x0a;
const CR = 0x0d;
/** Where each field of the record starts, after MARK: `%i` is 11 characters. */
const ITEM_LENGTH = 11;
/** `YYYY/MM/DD-HH:MM:SS` and the space after it. */
const TIME_LENGTH = 20;

/** The index after the run of decimal digits at `from` in `b`, not past `end`. */
function digitsEnd(b: Buffer, from: number, end: number): number {
  let i = from;
  while (i < end && (b[i] as number) >= DIGIT0 && (b[i] as number) <= DIGIT0 + 9) i++;
  return i;
}

/** `len` decimal digits at `at` in `b` as a number, or NaN where one is not a digit. */
function digits(b: Buffer, at: number, len: number): number {
  let v = 0;
  for (let i = at; i < at + len; i++) {
    const d = (b[i] as number) - DIGIT0;
    if (!(d >= 0 && d <= 9)) return Number.NaN;
    v = v * 10 + d;
  }
  return v;
}

/** rsync's `\#ooo` escapes back to bytes (a byte string: one char per byte). */
export function decodeName(text: string): string {
  return text.replace(/\\#([0-7]{3})/g, (_m, oct: string) =>
    String.fromCharCode(Number.parseInt(oct, 8) & 0xff),
  );
}

export interface RecordTally {
  /** Regular files rsync left out for `--max-size` (from `--info=skip1`). */
  overMaxSize: number;
  /** Their names (byte strings), the first LEFT_OUT_NAMES. */
  overMaxSizeNames: string[];
  /** Sum of the lengths of the files and symlinks rsync listed (with `--info=name2`). */
  listedBytes: number;
}

/**
 * Reads records line by line (`line`) or from rsync's whole stdout (readRecords). Entries
 * written (itemized `>` received or `c` created, a file or a symlink) go to `onChange`;
 * directories and devices do not (nothing is in them to fetch).
 */
export class RecordReader {
  readonly tally: RecordTally = { overMaxSize: 0, overMaxSizeNames: [], listedBytes: 0 };
  /** The day of the last record's mtime (`YYYYMMDD`) and its start, in ms since the epoch. */
  private day = -1;
  private dayMs = 0;

  /**
   * `overMaxSizeLines`: rsync also writes a line per file over `--max-size` (`--info=skip1`),
   * which is not a record: every line is looked at, not only the records.
   */
  constructor(
    private readonly onChange?: (e: ChangedEntry) => void,
    readonly overMaxSizeLines = true,
  ) {}

  line(raw: string): void {
    // A record may follow a progress update on the same line ('\r' between them).
    if (raw.indexOf('\r') < 0) this.piece(raw);
    else for (const piece of raw.split('\r')) this.piece(piece);
  }

  private piece(text: string): void {
    const at = text.indexOf(MARK);
    if (at < 0) {
      if (text.endsWith(OVER_MAX_SIZE)) {
        this.tally.overMaxSize++;
        const names = this.tally.overMaxSizeNames;
        if (names.length < LEFT_OUT_NAMES)
          names.push(decodeName(text.slice(0, -OVER_MAX_SIZE.length)));
      }
      return;
    }
    const b = Buffer.from(text, 'latin1');
    this.record(b, at + MARK.length, b.length);
  }

  /**
   * Every record in `b` before `end` (where a line ends): each is the rest of the line (up to
   * '\r' or '\n') after the first mark in it, as `line` reads them. Lines without a mark
   * (progress, `--stats`) are skipped unread.
   */
  scan(b: Buffer, end: number): void {
    for (let pos = 0; pos < end; ) {
      const mark = b.indexOf(MARK_BYTES, pos);
      if (mark < 0 || mark >= end) return;
      const at = mark + MARK_BYTES.length;
      let stop = b.indexOf(LF, at);
      if (stop < 0 || stop > end) stop = end;
      const cr = b.indexOf(CR, at);
      if (cr >= 0 && cr < stop) stop = cr;
      this.record(b, at, stop);
      pos = stop;
    }
  }

  /**
   * The record from `at` (after MARK) to `end` in `b`: `%i %l %b %M %n`, read field by field;
   * anything else is not a record and is ignored.
   */
  private record(b: Buffer, at: number, end: number): void {
    const type = b[at + 1];
    if (type !== 0x66 && type !== 0x4c) return; // 'f', 'L'
    const sizeAt = at + ITEM_LENGTH + 1;
    if (sizeAt > end || b[at + ITEM_LENGTH] !== SPACE) return;
    const sizeEnd = digitsEnd(b, sizeAt, end);
    if (sizeEnd === sizeAt || sizeEnd >= end || b[sizeEnd] !== SPACE) return;
    const sentEnd = digitsEnd(b, sizeEnd + 1, end);
    if (sentEnd === sizeEnd + 1 || sentEnd >= end || b[sentEnd] !== SPACE) return;
    const timeAt = sentEnd + 1;
    const nameAt = timeAt + TIME_LENGTH;
    if (nameAt > end || b[nameAt - 1] !== SPACE) return;
    const mtimeSec = this.utcSeconds(b, timeAt);
    if (Number.isNaN(mtimeSec)) return;
    const size =
      sizeEnd - sizeAt < 16
        ? digits(b, sizeAt, sizeEnd - sizeAt)
        : Number(b.toString('latin1', sizeAt, sizeEnd));
    this.tally.listedBytes += size;
    const change = b[at];
    if (change !== 0x3e && change !== 0x63) return; // '>' received, 'c' created
    const name = b.toString('latin1', nameAt, end);
    this.onChange?.({
      rel: name.includes('\\#') ? decodeName(name) : name,
      kind: type === 0x66 ? 'file' : 'symlink',
      size,
      mtimeSec,
    });
  }

  /**
   * `YYYY/MM/DD-HH:MM:SS` at `at` in `b` as seconds since the epoch (the text is UTC), or NaN
   * where it is not that. By hand, not a regular expression, and the day's start asked of
   * Date.UTC once per day met (one record per file; most share a day).
   */
  private utcSeconds(b: Buffer, at: number): number {
    const seps = b[at + 4] === 0x2f && b[at + 7] === 0x2f; // '/'
    const mid = b[at + 10] === 0x2d; // '-'
    const colons = b[at + 13] === 0x3a && b[at + 16] === 0x3a; // ':'
    if (!seps || !mid || !colons) return Number.NaN;
    const [y, mo, d] = [digits(b, at, 4), digits(b, at + 5, 2), digits(b, at + 8, 2)];
    const [h, mi, s] = [digits(b, at + 11, 2), digits(b, at + 14, 2), digits(b, at + 17, 2)];
    const day = y * 10000 + mo * 100 + d;
    if (Number.isNaN(day) || Number.isNaN(h + mi + s)) return Number.NaN;
    if (day !== this.day) {
      this.day = day;
      this.dayMs = Date.UTC(y, mo - 1, d);
    }
    // As Date.UTC(y, mo - 1, d, h, mi, s) computes it: the day's start plus the time.
    return (this.dayMs + h * 3_600_000 + mi * 60_000 + s * 1000) / 1000;
  }
}

/**
 * rsync's stdout file read as it grows, each byte once: what is complete of it is given to the
 * reader at each `pull` (while rsync runs, so that reading overlaps the transfer), the rest
 * at `finish`. Records are cut at the end of a line; with over-max-size lines, lines are.
 */
export class RecordFollower {
  private b = Buffer.allocUnsafe(256 * 1024);
  /** Bytes of a line not ended yet, at the start of `b`. */
  private held = 0;
  /** Where the next read starts in the file. */
  private pos = 0;
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: FileHandle,
    private readonly reader: RecordReader,
  ) {}

  /** Read what rsync wrote since the last pull (after it, if one is running). */
  pull(): Promise<void> {
    this.reading = this.reading.then(() => this.readNew());
    return this.reading;
  }

  /** Once no read is running (the file may be closed then). */
  idle(): Promise<void> {
    return this.reading.catch(() => {});
  }

  /** Read the rest: rsync has ended (a last line without its newline included). */
  async finish(): Promise<void> {
    await this.pull();
    if (this.held > 0) this.feed(this.held, true);
    this.held = 0;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      if (this.held === this.b.length) {
        this.b = Buffer.concat([this.b, Buffer.allocUnsafe(this.b.length)]); // a long line
      }
      const room = this.b.length - this.held;
      const { bytesRead } = await this.file.read(this.b, this.held, room, this.pos);
      if (bytesRead === 0) return;
      this.pos += bytesRead;
      const filled = this.held + bytesRead;
      const lf = this.b.lastIndexOf(LF, filled - 1);
      const end =
        1 + (this.reader.overMaxSizeLines ? lf : Math.max(lf, this.b.lastIndexOf(CR, filled - 1)));
      if (end > 0) this.feed(end, false);
      this.held = filled - end;
      this.b.copy(this.b, 0, end, filled);
      if (bytesRead < room) return;
    }
  }

  /** `b` up to `end`: the end of a line, or of the file (`last`). */
  private feed(end: number, last: boolean): void {
    if (!this.reader.overMaxSizeLines) {
      this.reader.scan(this.b, end);
      return;
    }
    const text = this.b.toString('latin1', 0, last ? end : end - 1);
    for (const l of text.split('\n')) this.reader.line(l);
  }
}

/** Feed `file` (rsync's stdout, from its start) to `reader`: its records, or every line. */
export function readRecords(file: FileHandle, reader: RecordReader): Promise<void> {
  return new RecordFollower(file, reader).finish();
}
