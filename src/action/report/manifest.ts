/**
 * The provenance manifest (`manifest: true`): every file and symlink this run fetched, with
 * its path (relative to the workspace), size and mtime, and with `checksums: true` the
 * SHA-256 of each file — for a later step to verify the files or to attest them.
 *
 * A transport may hand the hash with its change record (the copier can hash what it reads
 * anyway); otherwise the file is read once more from the destination after the transfer
 * (rsync: it does not report content hashes). That second read is what `checksums` costs.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ChangedEntry } from '../../transfer/path-filter.js';

export interface HashedEntry extends ChangedEntry {
  sha256?: string;
}

const CHUNK = 1024 * 1024;

/** SHA-256 of the file at `file` (a symlink there is refused: only what was written is read). */
async function sha256Of(file: Buffer, signal?: AbortSignal): Promise<string> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    // node:crypto on first use, as the copier loads it: a run without checksums skips it.
    const hash = process.getBuiltinModule('node:crypto').createHash('sha256');
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
    }
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

/** Give each written file without a hash its SHA-256, read from `destination`. */
export async function hashChanges(
  entries: HashedEntry[],
  destination: string,
  signal?: AbortSignal,
): Promise<void> {
  for (const e of entries) {
    if (e.kind !== 'file' || e.sha256) continue;
    const file = Buffer.concat([Buffer.from(`${destination}/`), Buffer.from(e.rel, 'latin1')]);
    e.sha256 = await sha256Of(file, signal);
  }
}
