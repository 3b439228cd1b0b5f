/**
 * One ssh connection per host for the whole step, through the bundle: a real OpenSSH server
 * of this file's own on 127.0.0.1 (LogLevel VERBOSE, so that it logs every login) and real
 * rsync. Jobs are PBS jobs answered by the stand-in `qstat` of test/support/pbs (PBS cannot
 * be installed here); what is tested is the ssh side, which is real.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { jobRows, Scene } from '../corpus/harness.js';
import { explain } from '../support/explain.js';
import {
  type StartedSshd,
  sshdUnavailableReason,
  sshOptionLines,
  startSshd,
} from '../support/sshd.js';

const unavailable = sshdUnavailableReason();
if (unavailable) {
  if (process.env.CI === 'true') throw new Error(`sshd is needed for these tests: ${unavailable}`);
  console.warn(`!!! shared-connection tests SKIPPED: ${unavailable}`);
}

const scenes: Scene[] = [];
const servers: StartedSshd[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
  for (const s of scenes) s.cleanup();
});

/** Logins sshd accepted so far. */
function logins(s: StartedSshd): number {
  return s
    .log()
    .split('\n')
    .filter((l) => /Accepted publickey for /.test(l)).length;
}

/** ssh processes still running with a control path of this run (`/qqs-…/`). */
function leftoverMasters(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (argv[0]?.endsWith('ssh') && argv.some((a) => /^ControlPath=.*\/qqs-/.test(a))) {
        found.push(`${pid}: ${argv.join(' ')}`);
      }
    } catch {}
  }
  return found;
}

describe.skipIf(unavailable !== undefined)('shared ssh connection (private sshd)', () => {
  it('six jobs on one host, four at a time: one login for the step, closed at its end', async () => {
    const sshd = await startSshd({ logLevel: 'VERBOSE' });
    servers.push(sshd);
    const before = logins(sshd);
    const s = new Scene();
    scenes.push(s);
    for (let i = 0; i < 6; i++) {
      s.job(`runs/sim${i}`, { mainNode: '127.0.0.1' }, { [`out${i}.txt`]: `result ${i}\n` });
    }
    const run = await s.run({
      path: 'runs/*',
      'shared-storage': 'false',
      parallel: '4',
      'ssh-options': sshOptionLines(sshd).join('\n'),
      'strict-host-key-checking': 'yes',
    });
    expect(run.code, explain(run)).toBe(0);
    const rows = jobRows(run);
    expect(rows.map((r) => r.status)).toEqual(Array(6).fill('synced'));
    for (let i = 0; i < 6; i++) {
      expect(readFileSync(`${s.workspace}/runs/sim${i}/out${i}.txt`, 'utf8')).toBe(`result ${i}\n`);
    }
    // Six rsyncs, one handshake: every transfer was a session on the step's one connection.
    expect(logins(sshd) - before, sshd.log()).toBe(1);
    expect(leftoverMasters()).toEqual([]);
  });

  it('the server refuses: no shared connection, each transfer reports it in its own words', async () => {
    const sshd = await startSshd();
    servers.push(sshd);
    const s = new Scene();
    scenes.push(s);
    s.job('a', { mainNode: '127.0.0.1' });
    s.job('b', { mainNode: '127.0.0.1' });
    const run = await s.run(
      {
        path: 'a\nb',
        'shared-storage': 'false',
        retries: '0',
        // A key the server does not know: the master and then each rsync are refused.
        'ssh-options': [
          ...sshOptionLines(sshd).filter((l) => !l.startsWith('-i ')),
          '-i /nonexistent/key',
        ].join('\n'),
        'strict-host-key-checking': 'yes',
      },
      { RUNNER_DEBUG: '1' },
    );
    expect(run.code).toBe(1);
    const rows = jobRows(run);
    expect(rows.map((r) => r.status)).toEqual(['failed', 'failed']);
    for (const r of rows) {
      expect(r.reason).toMatch(/^Could not rsync files between '127\.0\.0\.1:.*Permission denied/s);
    }
    expect(run.stdout).toMatch(
      /::debug::ssh: no shared connection to '127\.0\.0\.1' \(.*Permission denied/,
    );
    expect(leftoverMasters()).toEqual([]);
  });
});
