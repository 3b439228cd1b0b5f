/**
 * A real OpenSSH server on 127.0.0.1 for the tests: its own throw-away host key and user key,
 * config, pid file and log in a private temp directory, a free port; root may log in with the
 * key only. `stop()` kills it and removes the directory.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../src/exec/run.js';

export interface StartedSshd {
  port: number;
  user: string;
  keyPath: string;
  /** A known-hosts file that already holds the server's key for 127.0.0.1 and localhost. */
  knownHostsPath: string;
  hostKeyPublic: string;
  dir: string;
  stop(): Promise<void>;
}

export const SSHD = '/usr/sbin/sshd';

export function sshdUnavailableReason(): string | undefined {
  if (!existsSync(SSHD)) return `${SSHD} is not installed (Debian package openssh-server)`;
  if (process.getuid?.() !== 0) return 'not running as root';
  return undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

async function keygen(path: string): Promise<void> {
  const r = await runCommand(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', path], {
    timeoutMs: 20_000,
  });
  if (r.code !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
}

export async function startSshd(): Promise<StartedSshd> {
  const reason = sshdUnavailableReason();
  if (reason) throw new Error(reason);
  const dir = mkdtempSync(join(tmpdir(), 'qq-sync-sshd-'));
  const hostKey = join(dir, 'host_ed25519');
  const userKey = join(dir, 'user_ed25519');
  await Promise.all([keygen(hostKey), keygen(userKey)]);
  const authorized = join(dir, 'authorized_keys');
  writeFileSync(authorized, readFileSync(`${userKey}.pub`), { mode: 0o600 });
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorized}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'PrintMotd no',
      'MaxStartups 100:30:200',
      'MaxSessions 100',
      'LogLevel ERROR',
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n'),
  );
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const hostKeyPublic = readFileSync(`${hostKey}.pub`, 'utf8').trim();
  const keyType = hostKeyPublic.split(' ').slice(0, 2).join(' ');
  const knownHostsPath = join(dir, 'known_hosts');
  writeFileSync(knownHostsPath, `[127.0.0.1]:${port} ${keyType}\n[localhost]:${port} ${keyType}\n`);
  const child = spawn(SSHD, ['-D', '-e', '-f', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let log = '';
  child.stderr?.on('data', (d) => {
    log += d;
  });
  // Ready when a real ssh login succeeds.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const r = await runCommand(
      [
        'ssh',
        '-p',
        String(port),
        '-i',
        userKey,
        '-o',
        `UserKnownHostsFile=${knownHostsPath}`,
        '-o',
        'StrictHostKeyChecking=yes',
        '-o',
        'BatchMode=yes',
        '-o',
        'ConnectTimeout=2',
        `${userInfo().username}@127.0.0.1`,
        'true',
      ],
      { timeoutMs: 5000 },
    );
    if (r.code === 0) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`sshd did not start: ${log.trim() || r.stderr.trim()}`);
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  return {
    port,
    user: userInfo().username,
    keyPath: userKey,
    knownHostsPath,
    hostKeyPublic,
    dir,
    async stop() {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
      } catch {}
      await new Promise((res) => setTimeout(res, 100));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** ssh argv options (before the host) that reach this server. */
export function sshOptionLines(
  s: Pick<StartedSshd, 'port' | 'keyPath' | 'knownHostsPath' | 'user'>,
  port = s.port,
): string[] {
  return [
    `-p ${port}`,
    `-i ${s.keyPath}`,
    `-l ${s.user}`,
    `-o UserKnownHostsFile=${s.knownHostsPath}`,
  ];
}
