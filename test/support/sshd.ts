/**
 * A real OpenSSH server on 127.0.0.1 for the tests: its own throw-away host key and user key,
 * config, pid file and log in a private temp directory, a free port; root may log in with the
 * key only. `stop()` kills it and removes the directory.
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCommand } from '../../src/exec/run.js';
import { freePort } from './ports.js';

export interface StartedSshd {
  port: number;
  user: string;
  keyPath: string;
  /** A known-hosts file that already holds the server's key for 127.0.0.1 and localhost. */
  knownHostsPath: string;
  hostKeyPublic: string;
  dir: string;
  /** What sshd has logged so far (stderr, at the `logLevel` it was started with). */
  log(): string;
  /** Stop the server (and wait until it is gone); `keepFiles` keeps its keys for a restart. */
  stop(options?: { keepFiles?: boolean }): Promise<void>;
}

export const SSHD = '/usr/sbin/sshd';

export function sshdUnavailableReason(): string | undefined {
  if (!existsSync(SSHD)) return `${SSHD} is not installed (Debian package openssh-server)`;
  if (process.getuid?.() !== 0) return 'not running as root';
  return undefined;
}

async function keygen(path: string): Promise<void> {
  const r = await runCommand(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', path], {
    timeoutMs: 20_000,
  });
  if (r.code !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
}

export interface SshdOptions {
  /** Listen here (default: a free port). */
  port?: number;
  /** Extra sshd_config lines (e.g. `SetEnv PATH=/nowhere`). */
  extraConfig?: readonly string[];
  /**
   * Reuse the keys of an earlier server (its `dir`): a restarted server keeps its host key, so
   * the same known-hosts file and user key work.
   */
  keysFrom?: string;
  /**
   * Start sessions with the login user's real home (and so its ~/.bashrc). By default a
   * session's HOME is an empty directory: this machine's root runs `pyenv init` in ~/.bashrc,
   * 0.6 s per login and serialised by pyenv's lock, which would dominate every ssh case. A
   * cluster user's shell start-up is theirs; the tests and benchmarks measure ours.
   */
  realHome?: boolean;
  /** sshd's LogLevel (default ERROR); VERBOSE logs every accepted login. */
  logLevel?: string;
}

export async function startSshd(options: SshdOptions = {}): Promise<StartedSshd> {
  const reason = sshdUnavailableReason();
  if (reason) throw new Error(reason);
  const dir = mkdtempSync(join(tmpdir(), 'qq-sync-sshd-'));
  const hostKey = join(dir, 'host_ed25519');
  const userKey = join(dir, 'user_ed25519');
  if (options.keysFrom) {
    for (const f of ['host_ed25519', 'user_ed25519']) {
      for (const ext of ['', '.pub']) {
        copyFileSync(join(options.keysFrom, f + ext), join(dir, f + ext));
        chmodSync(join(dir, f + ext), ext ? 0o644 : 0o600);
      }
    }
  } else {
    await Promise.all([keygen(hostKey), keygen(userKey)]);
  }
  const authorized = join(dir, 'authorized_keys');
  writeFileSync(authorized, readFileSync(`${userKey}.pub`), { mode: 0o600 });
  const port = options.port ?? (await freePort());
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  const extra = options.extraConfig ?? [];
  const setEnv = [
    ...(options.realHome ? [] : [`HOME=${home}`]),
    ...extra.flatMap((l) => (/^SetEnv\s/i.test(l) ? l.trim().split(/\s+/).slice(1) : [])),
  ];
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
      `LogLevel ${options.logLevel ?? 'ERROR'}`,
      'Subsystem sftp internal-sftp',
      // sshd takes only the first SetEnv line: one line for all of them.
      ...(setEnv.length ? [`SetEnv ${setEnv.join(' ')}`] : []),
      ...extra.filter((l) => !/^SetEnv\s/i.test(l)),
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
    await sleep(100);
  }
  return {
    port,
    user: userInfo().username,
    keyPath: userKey,
    knownHostsPath,
    hostKeyPublic,
    dir,
    log: () => log,
    async stop(stopOptions = {}) {
      const exited = new Promise<void>((res) => {
        if (child.exitCode !== null || child.signalCode !== null) res();
        else child.once('exit', () => res());
      });
      try {
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
      } catch {}
      // Gone for sure (the port closed) before this returns.
      const killer = setTimeout(() => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }, 5000);
      await exited;
      clearTimeout(killer);
      if (!stopOptions.keepFiles) rmSync(dir, { recursive: true, force: true });
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
