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

const RECORD = /^(.{11}) (\d+) \d+ (\d{4})\/(\d\d)\/(\d\d)-(\d\d):(\d\d):(\d\d) (.*)$/;
const OVER_MAX_SIZE = ' is over max-size';

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
    for (const piece of raw.split('\r')) this.piece(piece);
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
    const m = RECORD.exec(text.slice(at + MARK.length));
    if (!m) return;
    const item = m[1] as string;
    const type = item[1];
    if (type !== 'f' && type !== 'L') return;
    const size = Number(m[2]);
    this.tally.listedBytes += size;
    if (item[0] !== '>' && item[0] !== 'c') return;
    const [y, mo, d, h, mi, s] = m.slice(3, 9).map(Number) as number[];
    this.onChange?.({
      rel: decodeName(m[9] as string),
      kind: type === 'f' ? 'file' : 'symlink',
      size,
      mtimeSec: Date.UTC(y as number, (mo as number) - 1, d, h, mi, s) / 1000,
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
