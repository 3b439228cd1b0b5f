/**
 * rsync over ssh against servers of this file's own (real OpenSSH on 127.0.0.1, started here
 * with test/support/sshd.ts): sshd stopped (refused, retried, a clear error) and restarted
 * between two attempts (the retry succeeds); a remote without rsync on its PATH (named as
 * such, not retried). And, through the shared server, an `ssh-options` value with spaces
 * (a ProxyCommand, a key path) that must survive rsync's own `-e` splitter as one word.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { TransferError, type TransferRequest, transferJob } from '../../src/transfer/index.js';
import {
  type StartedSshd,
  sshdUnavailableReason,
  sshOptionLines,
  startSshd,
} from '../support/sshd.js';
import { cleanTemps, tempDir } from '../support/temp.js';
import { localSettings, names, put, sshdMissing, sshSettings } from '../support/transfer.js';

const sshd = inject('sshd');
const unavailable = sshdUnavailableReason();
if (unavailable) {
  if (process.env.CI === 'true') throw new Error(`sshd is needed for these tests: ${unavailable}`);
  console.warn(`!!! private-sshd transfer tests SKIPPED: ${unavailable}`);
}

const servers: StartedSshd[] = [];
const keptDirs: string[] = [];
afterAll(async () => {
  for (const s of servers.splice(0)) await s.stop();
  for (const d of keptDirs.splice(0)) rmSync(d, { recursive: true, force: true });
  cleanTemps();
});

async function server(options: Parameters<typeof startSshd>[0] = {}): Promise<StartedSshd> {
  const s = await startSshd(options);
  servers.push(s);
  return s;
}

function fetchFrom(
  s: Pick<StartedSshd, 'port' | 'keyPath' | 'knownHostsPath' | 'user'>,
  work: string,
  dst: string,
  over: Partial<TransferRequest> & { retries?: number; backoffMs?: number } = {},
) {
  const { retries, backoffMs, ...rest } = over;
  return transferJob({
    workDir: work,
    mainNode: '127.0.0.1',
    local: false,
    destination: dst,
    dryRun: false,
    settings: localSettings({
      sshOptions: sshOptionLines(s),
      connectTimeoutSec: 5,
      retries: retries ?? 0,
      backoffMs: backoffMs ?? 20,
    }),
    ...rest,
  });
}

describe.skipIf(unavailable !== undefined)('private sshd servers', () => {
  it('sshd stopped: refused and retried, then a clear error; restarted between attempts: the retry succeeds', async () => {
    const work = tempDir('src');
    await put(work, 'result.txt', 'r');
    await put(work, 'sub/deep.txt', 'd');
    const first = await server();
    expect((await fetchFrom(first, work, tempDir('dst'))).attempts).toBe(1);

    await first.stop({ keepFiles: true });
    servers.splice(servers.indexOf(first), 1);
    keptDirs.push(first.dir);
    const messages: string[] = [];
    const dst = tempDir('dst');
    const err = await fetchFrom(first, work, dst, {
      retries: 2,
      onMessage: (m) => messages.push(m),
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(TransferError);
    expect((err as TransferError).transient).toBe(true);
    expect(messages.map((m) => m.replace(/ \(.*/s, ''))).toEqual([
      'Attempt 1 failed',
      'Attempt 2 failed',
    ]);
    expect(messages[0]).toMatch(/Connection refused.*retrying in [\d.]+ s\.$/s);
    const m = (err as Error).message;
    expect(m).toMatch(
      /^Could not rsync files between '127\.0\.0\.1:.*' and '.*': .*Connection refused/s,
    );
    expect((err as TransferError).hint).toContain(
      `ssh to ${first.user}@127.0.0.1 port ${first.port}, key ${first.keyPath}`,
    );
    expect(await names(dst)).toEqual([]);

    // The server comes back (same port, same host key) after the first attempt failed.
    let restarting: Promise<StartedSshd> | undefined;
    const retried: string[] = [];
    const r = await fetchFrom(first, work, dst, {
      retries: 5,
      backoffMs: 1000,
      onMessage: (text) => {
        retried.push(text);
        restarting ??= server({ port: first.port, keysFrom: first.dir });
      },
    });
    await restarting;
    expect(r.attempts).toBeGreaterThanOrEqual(2);
    expect(retried.length).toBe(r.attempts - 1);
    expect([r.files, r.method]).toEqual([2, 'rsync over ssh']);
    expect(await names(dst)).toEqual(['result.txt', 'sub', 'sub/deep.txt']);
  });

  it('rsync missing on the remote: named as such, not retried', async () => {
    const s = await server({ extraConfig: ['SetEnv PATH=/nonexistent-qq-sync-bin'] });
    const work = tempDir('src');
    await put(work, 'a.txt', 'a');
    const messages: string[] = [];
    const err = await fetchFrom(s, work, tempDir('dst'), {
      retries: 3,
      onMessage: (m) => messages.push(m),
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(TransferError);
    expect((err as TransferError).transient).toBe(false);
    expect(messages).toEqual([]);
    const m = (err as Error).message;
    expect(m).toMatch(/rsync: command not found/);
    // qq's sentence stays exact; what is missing is said beside it.
    expect(m).not.toContain('is not installed on');
    expect((err as TransferError).hint).toContain(
      "rsync is not installed on '127.0.0.1' (or not on its PATH).",
    );
  });
});

describe.skipIf(sshdMissing(sshd))('ssh-options values with spaces (shared sshd)', () => {
  it('a ProxyCommand and a key path with spaces reach ssh as one word each through rsync -e', async () => {
    const keyDir = path.join(tempDir('key'), 'key dir');
    mkdirSync(keyDir);
    const key = path.join(keyDir, 'user key');
    copyFileSync(sshd.keyPath, key);
    const proxyLog = path.join(tempDir('proxy'), 'proxy.log');
    const proxy = [
      'ssh',
      `-p ${sshd.port}`,
      `-i ${sshd.keyPath}`,
      `-l ${sshd.user}`,
      `-o UserKnownHostsFile=${sshd.knownHostsPath}`,
      '-o BatchMode=yes',
      `-v -E ${proxyLog}`,
      '-W %h:%p',
      '127.0.0.1',
    ].join(' ');
    const work = tempDir('src');
    await put(work, 'via proxy.txt', 'p');
    const dst = tempDir('dst');
    const base = sshSettings(sshd);
    const r = await transferJob({
      workDir: work,
      mainNode: '127.0.0.1',
      local: false,
      destination: dst,
      dryRun: false,
      settings: {
        ...base,
        sshOptions: [
          `-p ${sshd.port}`,
          `-i '${key}'`,
          `-l ${sshd.user}`,
          `-o UserKnownHostsFile=${sshd.knownHostsPath}`,
          // One shell word, as a user writes it in the input: double quotes around the value.
          `-o "ProxyCommand=${proxy}"`,
        ],
      },
    });
    expect(r.files).toBe(1);
    expect(await readFile(path.join(dst, 'via proxy.txt'), 'utf8')).toBe('p');
    // The connection went through the proxy (its debug log exists and shows the forward).
    expect(existsSync(proxyLog)).toBe(true);
    expect(await readFile(proxyLog, 'utf8')).toMatch(/debug1: .*(stdio forward|channel)/);
  });
});
