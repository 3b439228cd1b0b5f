/**
 * Helpers for the transfer tests: trees written and snapshotted (names, types, contents,
 * mtimes to the second, symlink targets), settings that reach the test sshd, and a local
 * transfer with rsync or the built-in copier.
 */
import {
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import * as path from 'node:path';
import {
  IN_PROCESS_BELOW_ENTRIES,
  type TransferRequest,
  type TransferSettings,
  transferJob,
} from '../../src/transfer/index.js';
import type { ProvidedSshd } from '../setup/sshd.global.js';
import { sshOptionLines } from './sshd.js';

/** Write a file (parents made), optionally with an mtime in whole seconds since the epoch. */
export async function put(
  root: string,
  rel: string,
  content: string | Buffer,
  mtimeSec?: number,
): Promise<void> {
  const p = path.join(root, rel);
  await mkdir(path.dirname(p), { recursive: true });
  await writeFile(p, content);
  if (mtimeSec !== undefined) await utimes(p, mtimeSec, mtimeSec);
}

export async function link(root: string, rel: string, target: string): Promise<void> {
  const p = path.join(root, rel);
  await mkdir(path.dirname(p), { recursive: true });
  await symlink(target, p);
}

export interface Entry {
  type: 'file' | 'dir' | 'symlink' | 'other';
  content?: string;
  target?: string;
  mtimeSec: number;
}

/** Every entry under `root`, keyed by relative path. */
export async function snapshot(
  root: string,
  opts: { dirTimes?: boolean } = {},
): Promise<Record<string, Entry>> {
  const out: Record<string, Entry> = {};
  const walk = async (rel: string): Promise<void> => {
    for (const name of (await readdir(path.join(root, rel))).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const p = path.join(root, r);
      const st = await lstat(p);
      const mtimeSec = Math.floor(st.mtimeMs / 1000);
      if (st.isDirectory()) {
        out[r] = { type: 'dir', mtimeSec: opts.dirTimes ? mtimeSec : 0 };
        await walk(r);
      } else if (st.isSymbolicLink()) {
        out[r] = { type: 'symlink', target: await readlink(p), mtimeSec: 0 };
      } else if (st.isFile()) {
        out[r] = { type: 'file', content: (await readFile(p)).toString('base64'), mtimeSec };
      } else {
        out[r] = { type: 'other', mtimeSec };
      }
    }
  };
  await walk('');
  return out;
}

/** Names (relative paths) under `root`, sorted. */
export async function names(root: string): Promise<string[]> {
  return Object.keys(await snapshot(root)).sort();
}

/** Names that a shell, an option parser or a filter could misread. */
export const ODD_NAMES = [
  'with space.txt',
  'new\nline.txt',
  '-leading-dash.txt',
  'star*.txt',
  'quote\'s "double".txt',
  'semi;colon.txt',
  '$(touch pwned).txt',
  'back`tick`.txt',
  'tab\there.txt',
  'ünïcødé-日本語.txt',
  'back\\slash.txt',
  '[brackets]?.txt',
];

export function localSettings(over: Partial<TransferSettings> = {}): TransferSettings {
  return {
    sshOptions: [],
    strictHostKeyChecking: 'yes',
    connectTimeoutSec: 5,
    overwrite: 'always',
    timeoutSec: 60,
    retries: 0,
    env: process.env,
    backoffMs: 50,
    // These tests are of the transports themselves: a small local tree goes to rsync unless a
    // test asks for the in-process copy (test/transfer/in-process.test.ts).
    inProcessBelowEntries: 0,
    ...over,
  };
}

export function sshSettings(
  sshd: ProvidedSshd,
  over: Partial<TransferSettings> & { port?: number; knownHostsPath?: string } = {},
): TransferSettings {
  const { port, knownHostsPath, ...rest } = over;
  return localSettings({
    sshOptions: sshOptionLines({
      port: port ?? (sshd.port as number),
      keyPath: sshd.keyPath,
      knownHostsPath: knownHostsPath ?? sshd.knownHostsPath,
      user: sshd.user,
    }),
    ...rest,
  });
}

export function sshdMissing(sshd: ProvidedSshd): boolean {
  if (sshd.port === null || sshd.port === undefined) {
    console.warn(`!!! transfer ssh tests SKIPPED: ${sshd.skipReason ?? 'no sshd'}`);
    return true;
  }
  return false;
}

/** 'in-process copy': rsync is installed, and the tree is small enough to be copied in-process. */
export type LocalMethod = 'rsync' | 'built-in copier' | 'in-process copy';

/** Fetch `src` into `dst` on this machine with rsync, the built-in copier, or in-process. */
export function fetchLocal(
  method: LocalMethod,
  src: string,
  dst: string,
  over: Partial<TransferRequest> = {},
) {
  const { settings, ...rest } = over;
  return transferJob({
    workDir: src,
    mainNode: 'unused',
    local: true,
    destination: dst,
    dryRun: false,
    ...rest,
    settings: localSettings({
      forceBuiltin: method === 'built-in copier',
      ...settings,
      ...(method === 'in-process copy' ? { inProcessBelowEntries: IN_PROCESS_BELOW_ENTRIES } : {}),
    }),
  });
}
