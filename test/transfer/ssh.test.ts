/**
 * rsync over ssh from the real OpenSSH server on 127.0.0.1 (test/setup/sshd.global.ts): odd
 * names and a work dir full of shell characters arriving intact (protect-args), symlinks,
 * the destination's symlinks, `overwrite`; and faults on loopback only: a refused port
 * (retries), a port that never answers (ConnectTimeout), the transfer timeout, a missing work
 * dir, a changed host key, accept-new with an empty known_hosts file.
 */
import { existsSync } from 'node:fs';
import { lstat, readFile, readlink, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runCommand } from '../../src/exec/run.js';
import { TransferError, type TransferRequest, transferJob } from '../../src/transfer/index.js';
import { freePort } from '../support/ports.js';
import { cleanTemps, tempDir } from '../support/temp.js';
import {
  link,
  names,
  ODD_NAMES,
  put,
  snapshot,
  sshdMissing,
  sshSettings,
} from '../support/transfer.js';

const sshd = inject('sshd');
afterAll(cleanTemps);

function fetch(src: string, dst: string, over: Partial<TransferRequest> = {}) {
  return transferJob({
    workDir: src,
    mainNode: '127.0.0.1',
    local: false,
    destination: dst,
    dryRun: false,
    settings: sshSettings(sshd),
    ...over,
  });
}

/** A TCP port that accepts connections and never says a word. */
async function silentPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => {
    sockets.push(s);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : 0,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

const pwnedPlaces = () => [
  path.join(homedir(), 'pwned'),
  path.join(process.cwd(), 'pwned'),
  '/pwned',
];

describe.skipIf(sshdMissing(sshd))('rsync over ssh (real sshd on 127.0.0.1)', () => {
  it('odd names arrive intact', async () => {
    const src = tempDir('src');
    const dst = tempDir('dst');
    for (const [i, n] of ODD_NAMES.entries()) await put(src, `d ${n}/${n}`, `content ${i}`);
    const r = await fetch(src, dst);
    expect(r.method).toBe('rsync over ssh');
    expect(await snapshot(dst)).toEqual(await snapshot(src));
    expect([r.files, r.attempts]).toEqual([ODD_NAMES.length, 1]);
    for (const p of pwnedPlaces()) expect(existsSync(p)).toBe(false);
  });

  it('a work dir with spaces and shell characters is one path on the remote side', async () => {
    const parent = tempDir('src');
    const work = path.join(parent, `work dir; $(touch pwned) 'q' "d" \`b\` & ünï *`);
    await put(work, 'result.txt', 'r');
    await put(work, 'sub dir/nested $x.txt', 'n');
    await put(work, 'other.txt', 'o');
    // A sibling that a split or globbed path would reach.
    await put(parent, 'work/decoy.txt', 'decoy');
    const dst = tempDir('dst');
    await fetch(work, dst);
    expect(await names(dst)).toEqual([
      'other.txt',
      'result.txt',
      'sub dir',
      'sub dir/nested $x.txt',
    ]);
    const dst2 = tempDir('dst');
    await fetch(work, dst2, { files: ['sub dir/nested $x.txt', path.join(work, 'result.txt')] });
    expect(await names(dst2)).toEqual(['result.txt', 'sub dir', 'sub dir/nested $x.txt']);
    for (const p of pwnedPlaces()) expect(existsSync(p)).toBe(false);
  });

  it('symlinks arrive as symlinks; a destination symlink pointing outside is not written through', async () => {
    const src = tempDir('src');
    const dst = tempDir('dst');
    const outside = tempDir('outside');
    await put(outside, 'a.txt', 'outside a');
    await put(src, 'a.txt', 'job a');
    await put(src, 'sub/f', 'job f');
    await link(src, 'rel', 'a.txt');
    await link(src, 'dangling', 'nowhere');
    await link(dst, 'a.txt', path.join(outside, 'a.txt'));
    await link(dst, 'sub', outside);
    await fetch(src, dst);
    expect(await readlink(path.join(dst, 'rel'))).toBe('a.txt');
    expect(await readlink(path.join(dst, 'dangling'))).toBe('nowhere');
    expect((await lstat(path.join(dst, 'a.txt'))).isFile()).toBe(true);
    expect((await lstat(path.join(dst, 'sub'))).isDirectory()).toBe(true);
    expect(await readFile(path.join(dst, 'a.txt'), 'utf8')).toBe('job a');
    expect(await names(outside)).toEqual(['a.txt']);
    expect(await readFile(path.join(outside, 'a.txt'), 'utf8')).toBe('outside a');
  });

  it('a newer destination file is kept with overwrite newer, replaced with always', async () => {
    const src = tempDir('src');
    await put(src, 'r.dat', 'job', 1_600_000_000);
    for (const overwrite of ['newer', 'always'] as const) {
      const dst = tempDir('dst');
      await put(dst, 'r.dat', 'mine, newer', 1_700_000_000);
      await fetch(src, dst, { settings: sshSettings(sshd, { overwrite }) });
      expect(await readFile(path.join(dst, 'r.dat'), 'utf8')).toBe(
        overwrite === 'newer' ? 'mine, newer' : 'job',
      );
    }
  });

  describe('faults', () => {
    it('sshd refused: retried with backoff, then a clear error naming host, port and key', async () => {
      const port = await freePort();
      const messages: string[] = [];
      const err = await fetch(tempDir('src'), tempDir('dst'), {
        settings: sshSettings(sshd, { port, retries: 2, backoffMs: 20 }),
        onMessage: (m) => messages.push(m),
      }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(TransferError);
      expect((err as TransferError).transient).toBe(true);
      expect(messages).toHaveLength(2);
      expect(messages[0]).toMatch(/^Attempt 1 failed \(.*Connection refused.*\); retrying in /s);
      expect(messages[1]).toMatch(/^Attempt 2 failed/);
      const m = (err as Error).message;
      expect(m).toMatch(
        /^Could not rsync files between '127\.0\.0\.1:.*' and '.*': .*Connection refused/s,
      );
      // qq's sentence; which host, port and key were tried stands beside it.
      const hint = (err as TransferError).hint ?? '';
      expect(m).not.toContain(`key ${sshd.keyPath}`);
      expect(hint).toContain(`127.0.0.1 port ${port}`);
      expect(hint).toContain(`key ${sshd.keyPath}`);
    });

    it('a port that accepts and never answers: ConnectTimeout, a clear error', async () => {
      const silent = await silentPort();
      try {
        const err = await fetch(tempDir('src'), tempDir('dst'), {
          settings: sshSettings(sshd, { port: silent.port, connectTimeoutSec: 1 }),
        }).catch((e: Error) => e);
        expect(err).toBeInstanceOf(TransferError);
        expect((err as Error).message).toMatch(
          /^Could not rsync files between '127\.0\.0\.1:.*timed out/s,
        );
        expect((err as Error).message).toContain(`port ${silent.port}`);
        expect((err as TransferError).transient).toBe(true);
      } finally {
        await silent.close();
      }
    });

    it("the transfer timeout kills the transfer with qq's message", async () => {
      const silent = await silentPort();
      const work = tempDir('src');
      const dst = tempDir('dst');
      try {
        const err = await fetch(work, dst, {
          settings: sshSettings(sshd, {
            port: silent.port,
            connectTimeoutSec: 60,
            timeoutSec: 1,
            retries: 3,
          }),
        }).catch((e: Error) => e);
        expect(err).toBeInstanceOf(TransferError);
        expect((err as Error).message).toBe(
          `Could not rsync files between '127.0.0.1:${work}' and '${dst}': Connection timed out after 1 seconds.`,
        );
      } finally {
        await silent.close();
      }
    });

    it('a work dir that does not exist: not retried, an error', async () => {
      const messages: string[] = [];
      const err = await fetch('/nonexistent/qq-sync-F/work', tempDir('dst'), {
        settings: sshSettings(sshd, { retries: 3 }),
        onMessage: (m) => messages.push(m),
      }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(TransferError);
      expect((err as Error).message).toMatch(
        /^Could not rsync files between '127\.0\.0\.1:\/nonexistent\/qq-sync-F\/work' and '.*': .*No such file or directory/s,
      );
      expect((err as TransferError).transient).toBe(false);
      expect(messages).toEqual([]);
    });

    it.each(['yes', 'accept-new'] as const)(
      'a changed host key (%s): the message names the known-hosts file; not retried',
      async (strict) => {
        const keys = tempDir('keys');
        const r = await runCommand(
          ['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', path.join(keys, 'other')],
          {
            timeoutMs: 20_000,
          },
        );
        expect(r.code).toBe(0);
        const other = (await readFile(path.join(keys, 'other.pub'), 'utf8'))
          .split(' ')
          .slice(0, 2)
          .join(' ');
        // A path with a space: ssh_config syntax wants it in double quotes after `-o`, and the
        // input's shell-like splitting wants those quotes kept inside single quotes.
        const knownHostsPath = path.join(keys, 'known hosts');
        await writeFile(knownHostsPath, `[127.0.0.1]:${sshd.port} ${other}\n`);
        const messages: string[] = [];
        const dst = tempDir('dst');
        const err = await fetch(tempDir('src'), dst, {
          settings: sshSettings(sshd, {
            knownHostsPath: `'"${knownHostsPath}"'`,
            strictHostKeyChecking: strict,
            retries: 3,
          }),
          onMessage: (m) => messages.push(m),
        }).catch((e: Error) => e);
        expect(err).toBeInstanceOf(TransferError);
        expect((err as Error).message).toMatch(
          /REMOTE HOST IDENTIFICATION HAS CHANGED|has changed/,
        );
        expect((err as TransferError).hint).toContain(`differs from ${knownHostsPath} `);
        expect((err as TransferError).transient).toBe(false);
        expect(messages).toEqual([]);
        expect(await names(dst)).toEqual([]);
      },
    );

    it('strict yes with an empty known_hosts: refused, naming the file', async () => {
      const knownHostsPath = path.join(tempDir('keys'), 'known_hosts');
      await writeFile(knownHostsPath, '');
      const err = await fetch(tempDir('src'), tempDir('dst'), {
        settings: sshSettings(sshd, { knownHostsPath, strictHostKeyChecking: 'yes' }),
      }).catch((e: Error) => e);
      expect((err as Error).message).toMatch(/Host key verification failed/);
      expect((err as TransferError).hint).toContain(knownHostsPath);
    });

    it('accept-new with an empty known_hosts succeeds and records the key', async () => {
      const knownHostsPath = path.join(tempDir('keys'), 'known_hosts');
      await writeFile(knownHostsPath, '');
      const src = tempDir('src');
      await put(src, 'a.txt', 'a');
      const dst = tempDir('dst');
      const r = await fetch(src, dst, {
        settings: sshSettings(sshd, { knownHostsPath, strictHostKeyChecking: 'accept-new' }),
      });
      expect(r.files).toBe(1);
      const recorded = await readFile(knownHostsPath, 'utf8');
      expect(recorded).toContain(sshd.hostKeyPublic.split(' ')[1] as string);
      // The entry may be hashed (HashKnownHosts): ask ssh-keygen for the host.
      const found = await runCommand(
        ['ssh-keygen', '-F', `[127.0.0.1]:${sshd.port}`, '-f', knownHostsPath],
        {
          timeoutMs: 10_000,
        },
      );
      expect(found.code).toBe(0);
      expect(found.stdout).toContain(sshd.hostKeyPublic.split(' ')[1] as string);
    });
  });
});
