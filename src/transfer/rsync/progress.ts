/**
 * rsync's stdout on a file rather than a pipe, and its `--info=progress2` records sampled
 * from that file: through a pipe every record wakes the reader.
 */
import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** An open, empty file in a new private temporary directory; undefined if none can be made. */
export async function stdoutFile(): Promise<
  { file: FileHandle; remove: () => Promise<void> } | undefined
> {
  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(tmpdir(), 'qq-sync-rsync-'));
    const file = await open(join(dir, 'stdout'), 'w+', 0o600);
    const made = dir;
    return {
      file,
      remove: async () => {
        await file.close().catch(() => {});
        await rm(made, { recursive: true, force: true }).catch(() => {});
      },
    };
  } catch {
    if (dir) await rm(dir, { recursive: true, force: true }).catch(() => {});
    return undefined;
  }
}

/** The last `max` bytes written to `file` so far, as text (latin1: one char per byte). */
export async function readTail(
  file: FileHandle,
  max: number,
  encoding: 'utf8' | 'latin1' = 'utf8',
): Promise<string> {
  const { size } = await file.stat();
  const length = Math.min(size, max);
  if (length === 0) return '';
  const buf = Buffer.alloc(length);
  const { bytesRead } = await file.read(buf, 0, length, size - length);
  return buf.subarray(0, bytesRead).toString(encoding);
}

/**
 * Every `every` ms (at least 20), the newest progress record written to `file` so far, given
 * to `show`; one read at a time. Returns the function that stops it (safe to call twice).
 */
export function sampleProgress(
  file: FileHandle,
  every: number,
  show: (line: string | undefined) => void,
): () => void {
  let busy = false;
  const timer = setInterval(
    () => {
      if (busy) return;
      busy = true;
      readTail(file, 4096)
        .then((tail) => show(lastProgressLine(tail)))
        .catch(() => {})
        .finally(() => {
          busy = false;
        });
    },
    Math.max(every, 20),
  );
  return () => clearInterval(timer);
}

/**
 * The newest complete progress2 record in `tail`, one-spaced:
 * `    1,234,567  45%   12.34MB/s    0:00:03 (xfr#3, to-chk=0/10)` → `1,234,567 45% 12.34MB/s 0:00:03 (xfr#3, to-chk=0/10)`.
 * Records end with `\r` (or `\n` for a file's last one); the text after the last end may be
 * half-written and is ignored.
 */
export function lastProgressLine(tail: string): string | undefined {
  const records = tail.split(/\r\n|\n|\r/);
  records.pop();
  for (let i = records.length - 1; i >= 0; i--) {
    const line = records[i] as string;
    if (/^\s*[\d,.]+\s+\d+%/.test(line)) return line.trim().replace(/\s+/g, ' ');
  }
  return undefined;
}
