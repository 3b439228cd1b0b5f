/**
 * What rsync says about each entry as it goes, read from its stdout (which also carries
 * `--info=progress2` lines, '\r'-separated, and `--stats`): one `--out-format` record per
 * entry it writes — or, with `--info=name2`, per entry it looked at — and, with
 * `--info=skip1`, a line per file over `--max-size`. No second pass over the tree: rsync
 * already knows all of it.
 */
import type { FileHandle } from 'node:fs/promises';
import { type ChangedEntry, LEFT_OUT_NAMES } from '../path-filter.js';

/** Starts every record; progress text never holds it, and a name comes only after it. */
const MARK = 'qq-sync> ';

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
/** Where each field of the record starts, after MARK: `%i` is 11 characters. */
const ITEM_LENGTH = 11;

/** The index after the run of decimal digits at `from` in `s`. */
function digitsEnd(s: string, from: number): number {
  let i = from;
  for (let c = s.charCodeAt(i); c >= DIGIT0 && c <= DIGIT0 + 9; c = s.charCodeAt(++i));
  return i;
}

/**
 * `YYYY/MM/DD-HH:MM:SS` at `at` in `s` as seconds since the epoch (the text is UTC), or NaN
 * where it is not that. By hand, not a regular expression: one record per file.
 */
function utcSeconds(s: string, at: number): number {
  const n = (from: number, len: number): number => {
    let v = 0;
    for (let i = from; i < from + len; i++) {
      const d = s.charCodeAt(i) - DIGIT0;
      if (!(d >= 0 && d <= 9)) return Number.NaN;
      v = v * 10 + d;
    }
    return v;
  };
  const seps = s.charCodeAt(at + 4) === 0x2f && s.charCodeAt(at + 7) === 0x2f; // '/'
  const mid = s.charCodeAt(at + 10) === 0x2d; // '-'
  const colons = s.charCodeAt(at + 13) === 0x3a && s.charCodeAt(at + 16) === 0x3a; // ':'
  if (!seps || !mid || !colons) return Number.NaN;
  const ms = Date.UTC(
    n(at, 4),
    n(at + 5, 2) - 1,
    n(at + 8, 2),
    n(at + 11, 2),
    n(at + 14, 2),
    n(at + 17, 2),
  );
  return ms / 1000;
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
 * Reads records line by line. Entries written (itemized `>` received or `c` created, a file or
 * a symlink) go to `onChange`; directories and devices do not (nothing is in them to fetch).
 */
export class RecordReader {
  readonly tally: RecordTally = { overMaxSize: 0, overMaxSizeNames: [], listedBytes: 0 };

  constructor(private readonly onChange?: (e: ChangedEntry) => void) {}

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
    this.record(text, at + MARK.length);
  }

  /**
   * The record that starts at `at` in `text` (after MARK): `%i %l %b %M %n`, read field by
   * field; anything else is not a record and is ignored.
   */
  private record(text: string, at: number): void {
    const type = text.charCodeAt(at + 1);
    if (type !== 0x66 && type !== 0x4c) return; // 'f', 'L'
    const sizeAt = at + ITEM_LENGTH + 1;
    const sizeEnd = digitsEnd(text, sizeAt);
    const sentEnd = digitsEnd(text, sizeEnd + 1);
    const timeAt = sentEnd + 1;
    const nameAt = timeAt + 20;
    if (
      text.length < at + ITEM_LENGTH ||
      text.charCodeAt(at + ITEM_LENGTH) !== SPACE ||
      sizeEnd === sizeAt ||
      text.charCodeAt(sizeEnd) !== SPACE ||
      sentEnd === sizeEnd + 1 ||
      text.charCodeAt(sentEnd) !== SPACE ||
      text.charCodeAt(nameAt - 1) !== SPACE
    ) {
      return;
    }
    const mtimeSec = utcSeconds(text, timeAt);
    if (Number.isNaN(mtimeSec)) return;
    const size = Number(text.slice(sizeAt, sizeEnd));
    this.tally.listedBytes += size;
    const change = text.charCodeAt(at);
    if (change !== 0x3e && change !== 0x63) return; // '>' received, 'c' created
    const name = text.slice(nameAt);
    this.onChange?.({
      rel: name.includes('\\#') ? decodeName(name) : name,
      kind: type === 0x66 ? 'file' : 'symlink',
      size,
      mtimeSec,
    });
  }
}

/** Feed every line of `file` (rsync's stdout, from its start) to `reader`, in pieces. */
export async function readRecords(file: FileHandle, reader: RecordReader): Promise<void> {
  const chunk = Buffer.allocUnsafe(256 * 1024);
  let rest = '';
  for (let pos = 0; ; ) {
    const { bytesRead } = await file.read(chunk, 0, chunk.length, pos);
    if (bytesRead === 0) break;
    pos += bytesRead;
    const lines = (rest + chunk.toString('latin1', 0, bytesRead)).split('\n');
    rest = lines.pop() as string;
    for (const l of lines) reader.line(l);
  }
  if (rest) reader.line(rest);
}
