/**
 * Reading and finding qq info files on the local file system (docs/qq-behaviour.md §1.6, §1.9).
 *
 * - `readInfoFile` reads one file with qq's local read errors. It follows a symlinked info
 *   file, as qq does (Python's `open`), but refuses anything that is not a regular file once
 *   opened (a FIFO would block, a device could be endless) and any file larger than
 *   MAX_INFO_FILE_BYTES, checked on the open descriptor before reading it whole.
 * - `findInfoFiles` is qq's `get_info_files`: regular files (symlinks to regular files count,
 *   as Python's `is_file` follows them) directly in a directory whose last suffix is exactly
 *   `.qqinfo`, oldest mtime first (ties by name, so the order is deterministic).
 */

import { constants, type Stats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { QQError } from '../domain/errors.js';
import { type InfoFile, MAX_INFO_FILE_BYTES, readInfoText } from '../domain/info/index.js';
import { errorMessage } from '../util/errors.js';

/** The suffix qq gives info files (config `[suffixes] qq_info`). */
export const INFO_FILE_SUFFIX = '.qqinfo';

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : undefined;
}

function tooLarge(path: string, size: number | string): QQError {
  return new QQError(
    `qq info file '${path}' is too large (${size} bytes; the limit is ${MAX_INFO_FILE_BYTES} bytes).`,
  );
}

function readError(e: unknown, path: string): QQError {
  switch (errnoCode(e)) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new QQError(`qq info file '${path}' does not exist.`);
    case 'EACCES':
    case 'EPERM':
      return new QQError(`No permission to read file '${path}' or access its parent directory.`);
    case 'EISDIR':
      return new QQError(`Expected a file but path is a directory: ${path}.`);
    case 'ELOOP':
      return new QQError(
        `Could not read qq info file '${path}': too many levels of symbolic links.`,
      );
    default: {
      const msg = errorMessage(e);
      return new QQError(`Could not read qq info file '${path}': ${msg}.`);
    }
  }
}

/**
 * The bytes of an info file, at most MAX_INFO_FILE_BYTES, with qq's read errors. `path` is
 * used as given in messages.
 */
export async function readInfoFileBytes(path: string): Promise<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; harmless for regular files.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw readError(e, path);
  }
  try {
    let st: Stats;
    try {
      st = await handle.stat();
    } catch (e) {
      throw readError(e, path);
    }
    if (st.isDirectory()) throw new QQError(`Expected a file but path is a directory: ${path}.`);
    if (!st.isFile()) throw new QQError(`Expected a regular file: ${path}.`);
    if (st.size > MAX_INFO_FILE_BYTES) throw tooLarge(path, st.size);

    // Read at most one byte more than the limit: the file may grow after the stat. The buffer
    // starts at the stat's size (a campaign reads hundreds of files at once: a buffer of the
    // limit each was 1 MiB per job, most of the 520-job campaign's peak memory) and grows.
    let buf = new Uint8Array(Math.min(st.size + 1, MAX_INFO_FILE_BYTES + 1));
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        const bigger = new Uint8Array(Math.min(buf.length * 2, MAX_INFO_FILE_BYTES + 1));
        bigger.set(buf);
        buf = bigger;
      }
      let n: number;
      try {
        ({ bytesRead: n } = await handle.read(buf, total, buf.length - total, null));
      } catch (e) {
        throw readError(e, path);
      }
      if (n === 0) break;
      total += n;
      if (total > MAX_INFO_FILE_BYTES) throw tooLarge(path, `more than ${MAX_INFO_FILE_BYTES}`);
    }
    return buf.subarray(0, total);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Decode UTF-8 strictly (qq: `File is not valid UTF-8 text: <path>.`); a BOM is dropped. */
export function decodeInfoFile(bytes: Uint8Array, path: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new QQError(`File is not valid UTF-8 text: ${path}.`);
  }
}

/** Read and parse a qq info file (docs/qq-behaviour.md §1.6). Throws QQError with qq's messages. */
export async function readInfoFile(path: string): Promise<InfoFile> {
  const bytes = await readInfoFileBytes(path);
  return readInfoText(decodeInfoFile(bytes, path), path);
}

/** Python's `Path.suffix == '.qqinfo'`: the last dot-suffix, a leading dot does not count. */
export function hasInfoSuffix(name: string): boolean {
  const i = name.lastIndexOf('.');
  return i > 0 && i < name.length - 1 && name.slice(i) === INFO_FILE_SUFFIX;
}

/**
 * qq's `get_info_files(dir)`: absolute paths of the regular files directly in `dir` whose
 * last suffix is exactly `.qqinfo`, oldest modification time first (ties by name).
 */
export async function findInfoFiles(dir: string): Promise<string[]> {
  const absDir = resolve(dir);
  let names: string[];
  try {
    names = await readdir(absDir);
  } catch (e) {
    switch (errnoCode(e)) {
      case 'ENOENT':
        throw new QQError(`Directory '${dir}' does not exist.`);
      case 'ENOTDIR':
        throw new QQError(`Expected a directory but path is a file: ${dir}.`);
      case 'EACCES':
      case 'EPERM':
        throw new QQError(`No permission to read directory '${dir}'.`);
      default:
        throw new QQError(`Could not read directory '${dir}': ${errorMessage(e)}.`);
    }
  }
  const found: { path: string; name: string; mtimeMs: number }[] = [];
  for (const name of names) {
    if (!hasInfoSuffix(name)) continue;
    const path = resolve(absDir, name);
    let st: Stats;
    try {
      st = await stat(path); // follows symlinks, like Python's is_file()
    } catch {
      continue; // vanished, dangling symlink, no permission: not a file qq would see
    }
    if (!st.isFile()) continue;
    found.push({ path, name, mtimeMs: st.mtimeMs });
  }
  found.sort((a, b) =>
    a.mtimeMs !== b.mtimeMs
      ? a.mtimeMs - b.mtimeMs
      : a.name < b.name
        ? -1
        : a.name > b.name
          ? 1
          : 0,
  );
  return found.map((f) => f.path);
}
