/**
 * The `ssh/` room: ssh to the main node — its argv and rsync's `-e` (this file), the run's shared
 * connection, and the user's `ssh-options` parsed and checked (options.ts).
 *
 * ssh as rsync and `follow` use it: qq's options, never a prompt, a connect timeout, the
 * host-key policy, and the user's `ssh-options` — as argv, and as rsync's `-e` string.
 */
import { InputError } from '../../domain/errors.js';
import { runCommand } from '../../exec/run.js';
import { parseSshOptions } from './options.js';

export { parseSshOptions } from './options.js';

export interface SshSettings {
  /** The `ssh-options` lines, each split as a shell would (`-p 2222 -i ~/.ssh/key`). */
  sshOptions: readonly string[];
  strictHostKeyChecking: 'yes' | 'accept-new' | 'no';
  /** Seconds for ssh to connect. */
  connectTimeoutSec?: number;
  /**
   * A private directory for ssh's control sockets: all transfers of a run to one host share
   * one ssh connection (ControlMaster), instead of one handshake per job.
   */
  controlDir?: string;
  env?: NodeJS.ProcessEnv;
}

export const CONNECT_TIMEOUT_SEC = 30;

/** The ssh argv before the host: qq's options, ours, then the user's (theirs win: ssh takes the first). */
export function sshArgs(settings: SshSettings): string[] {
  return [
    ...parseSshOptions(settings.sshOptions),
    '-o',
    'GSSAPIAuthentication=yes',
    '-o',
    'PasswordAuthentication=no',
    '-o',
    `StrictHostKeyChecking=${settings.strictHostKeyChecking}`,
    '-o',
    'BatchMode=yes',
    '-o',
    `ConnectTimeout=${settings.connectTimeoutSec ?? CONNECT_TIMEOUT_SEC}`,
    ...(settings.controlDir
      ? [
          '-o',
          'ControlMaster=auto',
          '-o',
          `ControlPath=${settings.controlDir}/%C`,
          '-o',
          'ControlPersist=60',
        ]
      : []),
  ];
}

/** One word for rsync's `-e` splitter, which honours single quotes. */
function rshWord(word: string): string {
  if (/^[A-Za-z0-9_./=:@,+%~-]+$/.test(word)) return word;
  if (word.includes("'")) {
    throw new InputError(
      `Input 'ssh-options': a value with a single quote cannot be passed to rsync: ${word}`,
    );
  }
  return `'${word}'`;
}

/** rsync's `-e` value. */
export function rsyncRsh(settings: SshSettings): string {
  return ['ssh', ...sshArgs(settings)].map(rshWord).join(' ');
}

/** What ssh will try, for error messages: user, port, identity files, known-hosts file. */
export function describeSsh(host: string, settings: SshSettings): string {
  const words = parseSshOptions(settings.sshOptions);
  let user = settings.env?.USER ?? process.env.USER ?? 'the current user';
  let port = '22';
  const keys: string[] = [];
  let knownHosts = '~/.ssh/known_hosts';
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const v = words[i + 1] ?? '';
    if (w === '-l') user = v;
    else if (w === '-p') port = v;
    else if (w === '-i') keys.push(v);
    else if (w === '-o') {
      // `Keyword=value` or `Keyword value`; ssh_config writes a value with spaces in double quotes.
      const m = /^([A-Za-z]+)\s*=?\s*(.*)$/s.exec(v);
      const val = (m?.[2] ?? '').replace(/^"(.*)"$/, '$1');
      const key = (m?.[1] ?? '').toLowerCase();
      if (key === 'user') user = val;
      else if (key === 'port') port = val;
      else if (key === 'identityfile') keys.push(val);
      else if (key === 'userknownhostsfile') knownHosts = val;
    }
  }
  return `ssh to ${user}@${host} port ${port}, ${keys.length ? `key ${keys.join(', ')}` : 'default keys'}, known hosts ${knownHosts}`;
}

/** The known-hosts file ssh uses with these settings. */
export function knownHostsFile(settings: SshSettings): string {
  const m = /known hosts (.*)$/.exec(describeSsh('x', settings));
  return m?.[1] ?? '~/.ssh/known_hosts';
}

/**
 * ssh's notices that are not errors, dropped from what is quoted as a reason: with
 * `accept-new` (or qq's `no`) the first connection to a node prints
 * `Warning: Permanently added '<host>' (ED25519) to the list of known hosts.` on stderr, which
 * would otherwise stand in front of (or as) the real cause of a failure.
 */
const SSH_NOTICE = /^Warning: Permanently added .* to the list of known hosts\.?\s*$/;

export function withoutSshNotices(stderr: string): string {
  return stderr
    .split(/\r?\n/)
    .filter((l) => !SSH_NOTICE.test(l.trim()))
    .join('\n');
}

/**
 * Open the run's shared connection to `host` (`controlDir` must be set): a background master
 * (`ssh -f -N`, ControlMaster=yes) that every later ssh of the run to the host rides on. Done
 * once per host before its first transfer, so that parallel transfers do not each make a
 * handshake of their own while the first is still connecting. True if it is open; when it is
 * not, each transfer connects by itself and reports what goes wrong in its own words.
 */
export async function openSharedConnection(
  host: string,
  settings: SshSettings,
  timeoutMs: number,
): Promise<{ open: boolean; detail: string }> {
  if (!settings.controlDir) return { open: false, detail: 'no control directory' };
  const r = await runCommand(
    ['ssh', ...sshArgs(settings), '-o', 'ControlMaster=yes', '-f', '-N', '--', host],
    { timeoutMs, env: settings.env },
  );
  if (r.code === 0) return { open: true, detail: `in ${r.durationMs} ms` };
  const why = r.timedOut
    ? `no answer within ${Math.round(timeoutMs / 1000)} s`
    : r.spawnError
      ? r.spawnError.message
      : withoutSshNotices(r.stderr).trim().split('\n').pop() || `exit ${r.code}`;
  return { open: false, detail: why };
}

/**
 * Close the shared connections opened under `controlDir` (one `ssh -O exit` per host); also
 * in a cancelled run (a master is in a session of its own: nothing else ends it).
 */
export async function closeSharedConnections(
  hosts: Iterable<string>,
  settings: SshSettings,
): Promise<void> {
  if (!settings.controlDir) return;
  await Promise.all(
    [...new Set(hosts)].map((host) =>
      runCommand(['ssh', ...sshArgs(settings), '-O', 'exit', '--', host], {
        timeoutMs: 10_000,
        env: settings.env,
        cleanup: true,
      }),
    ),
  );
}
