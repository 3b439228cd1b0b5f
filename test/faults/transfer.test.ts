/**
 * Transfer faults through the bundle, on loopback: ssh refused, ssh hanging on the banner, a
 * changed host key (yes and accept-new), the work dir vanishing mid-transfer, a read-only and
 * a full destination (tmpfs), rsync killed mid-run then run again, two runs of the same job at
 * once. Never a half-written file under a final name, never a file of the user deleted.
 */
import { spawnSync } from 'node:child_process';
import {
  type Dirent,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runCommand } from '../../src/exec/run.js';
import { jobRows } from '../corpus/harness.js';
import { explain } from '../support/explain.js';
import { freePort } from '../support/ports.js';
import { sceneMaker } from '../support/scenes.js';
import { sshInputs, sshSkip } from '../support/services.js';

const sshd = inject('sshd');
const scene = sceneMaker();
const mounts: string[] = [];
// Registered after the scenes' removal, so it runs before it (see sceneMaker).
afterAll(async () => {
  for (const m of mounts) await runCommand(['umount', '-l', m], { timeoutMs: 10_000 });
});

/**
 * Every regular file under `dir`, relative, recursively. Also while a run writes there: a
 * directory listed may be gone when it is read (the lock's private directory is renamed).
 */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && d !== dir) return;
      throw e;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** Many files with contents derived from their names, so a truncated one is recognisable. */
function manyFiles(n: number, size: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const name = `d${i % 10}/f${i}.dat`;
    files[name] = `${name}:`.repeat(Math.ceil(size / (name.length + 1))).slice(0, size);
  }
  return files;
}

/** No file under a final name is partial: each equals the job's copy. No temp files left. */
function expectWhole(dest: string, files: Record<string, string>): number {
  let n = 0;
  for (const rel of filesUnder(dest)) {
    if (rel === 'run_md.qqinfo' || rel.startsWith('.qq-sync')) continue;
    expect(files[rel], `unexpected file ${rel}`).toBeDefined();
    expect(readFileSync(join(dest, rel), 'utf8') === files[rel], `partial file ${rel}`).toBe(true);
    n++;
  }
  return n;
}

async function mountTmpfs(dir: string, options: string): Promise<string | undefined> {
  mkdirSync(dir, { recursive: true });
  const r = await runCommand(['mount', '-t', 'tmpfs', '-o', options, 'tmpfs', dir], {
    timeoutMs: 10_000,
  });
  if (r.code !== 0) return r.stderr.trim() || 'mount failed';
  mounts.push(dir);
  return undefined;
}

/** Polls until `find()` returns pids of processes whose argv mention `marker`, then kills them. */
function killWhenSeen(program: string, marker: string, signal: NodeJS.Signals): Promise<number> {
  return new Promise((resolve) => {
    const deadline = Date.now() + 60_000;
    const tick = () => {
      let killed = 0;
      for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
        let argv: string[];
        try {
          argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        } catch {
          continue;
        }
        if (argv[0]?.endsWith(program) && argv.some((a) => a.includes(marker))) {
          try {
            process.kill(Number(pid), signal);
            killed++;
          } catch {}
        }
      }
      if (killed > 0 || Date.now() > deadline) resolve(killed);
      else setTimeout(tick, 10);
    };
    tick();
  });
}

describe.skipIf(sshSkip(sshd))('ssh faults (real sshd on loopback)', () => {
  it('ssh refused: a clear error naming host, port and key, after the retries', async () => {
    const s = scene();
    s.job('job', { mainNode: '127.0.0.1' });
    const port = await freePort();
    const run = await s.run({
      path: 'job',
      'shared-storage': 'false',
      retries: '1',
      ...sshInputs(sshd, { port }),
    });
    expect(run.code, explain(run)).toBe(1);
    const reason = jobRows(run)[0]?.reason ?? '';
    expect(reason).toMatch(/Connection refused/);
    // qq's sentence in `reason`; which host, port and key were tried in the log and annotation.
    expect(reason).not.toContain(', key ');
    expect(run.stdout).toContain(`@127.0.0.1 port ${port}, key ${sshd.keyPath}`);
    expect(run.stdout).toMatch(new RegExp(`::error [^\\n]*port ${port}, key `));
    expect(run.stdout).toMatch(/Attempt 1 failed [\s\S]*retrying in/);
  });

  it('ssh hanging on the banner: the transfer timeout ends it', async () => {
    const sockets: Socket[] = [];
    const server: Server = createServer((sock) => sockets.push(sock)); // accepts, says nothing
    const port = await new Promise<number>((res) =>
      server.listen(0, '127.0.0.1', () => res((server.address() as { port: number }).port)),
    );
    try {
      const s = scene();
      s.job('job', { mainNode: '127.0.0.1' });
      const run = await s.run({
        path: 'job',
        'shared-storage': 'false',
        retries: '0',
        'transfer-timeout': '3',
        ...sshInputs(sshd, { port }),
      });
      expect(run.code, explain(run)).toBe(1);
      expect(jobRows(run)[0]?.reason).toMatch(/timed out/i);
    } finally {
      for (const sock of sockets) sock.destroy();
      server.close();
    }
  });

  for (const policy of ['yes', 'accept-new'] as const) {
    it(`host key changed, strict-host-key-checking: ${policy}: refused, with the known-hosts file named`, async () => {
      const s = scene();
      s.job('job', { mainNode: '127.0.0.1' }, { 'secret.txt': 'must not arrive\n' });
      // A known-hosts file holding another key for this host and port.
      const other = join(s.base, 'other_key');
      spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
      const pub = readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
      const knownHosts = join(s.base, 'known_hosts');
      writeFileSync(knownHosts, `[127.0.0.1]:${sshd.port} ${pub}\n`);
      const inputs = sshInputs(sshd);
      inputs['ssh-options'] = (inputs['ssh-options'] as string).replace(
        sshd.knownHostsPath,
        knownHosts,
      );
      const run = await s.run({
        path: 'job',
        'shared-storage': 'false',
        retries: '2',
        ...inputs,
        'strict-host-key-checking': policy,
      });
      expect(run.code, explain(run)).toBe(1);
      const reason = jobRows(run)[0]?.reason ?? '';
      expect(reason).toMatch(/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/);
      // `reason` is qq's sentence exactly; what ssh users miss most is said beside it, in the
      // log and the annotation.
      expect(reason).toMatch(/^Could not rsync files between '[^']*' and '[^']*': [\s\S]*\.$/);
      expect(reason).not.toContain('strict-host-key-checking');
      expect(run.stdout).toContain(knownHosts);
      expect(run.stdout).toMatch(new RegExp(`::error [^\n]*strict-host-key-checking: ${policy}`));
      expect(run.stdout).not.toMatch(/Attempt 1 failed/); // not transient: no retry
      expect(existsSync(join(s.workspace, 'job', 'secret.txt'))).toBe(false);
      // The known-hosts file is not rewritten with the new key.
      expect(readFileSync(knownHosts, 'utf8')).toBe(`[127.0.0.1]:${sshd.port} ${pub}\n`);
    });
  }

  it("accept-new, a first connection that fails: ssh's 'Permanently added' notice is not the reason", async () => {
    const s = scene();
    const job = s.job('job', { mainNode: '127.0.0.1' }, { 'a.txt': 'a\n' });
    rmSync(job.workDir, { recursive: true, force: true });
    const knownHosts = join(s.base, 'known_hosts_empty');
    writeFileSync(knownHosts, '');
    const inputs = sshInputs(sshd);
    inputs['ssh-options'] = (inputs['ssh-options'] as string).replace(
      sshd.knownHostsPath,
      knownHosts,
    );
    const run = await s.run({
      path: 'job',
      'shared-storage': 'false',
      retries: '0',
      ...inputs,
      'strict-host-key-checking': 'accept-new',
    });
    expect(run.code, explain(run)).toBe(1);
    // ssh did add the key (and said so on stderr) ...
    expect(readFileSync(knownHosts, 'utf8')).toMatch(/ ssh-ed25519 | ecdsa-| ssh-rsa /);
    // ... but the reason is rsync's, without ssh's notice.
    const reason = jobRows(run)[0]?.reason ?? '';
    expect(reason, explain(run)).toMatch(
      /^Could not rsync files between .*No such file or directory/s,
    );
    expect(reason, explain(run)).not.toMatch(/Permanently added/);
  });

  it('rsync killed mid-transfer: a clear error; run again, the result is whole', async () => {
    const s = scene();
    const files = manyFiles(3000, 2000);
    const job = s.job('job', { mainNode: '127.0.0.1' }, files);
    const inputs = { path: 'job', 'shared-storage': 'false', retries: '0', ...sshInputs(sshd) };
    const [run, killed] = await Promise.all([
      s.run(inputs),
      killWhenSeen('rsync', job.inputDir, 'SIGKILL'),
    ]);
    expect(killed, 'rsync was never seen running').toBeGreaterThan(0);
    expect(run.code, explain(run)).toBe(1);
    expect(jobRows(run)[0]?.reason).toMatch(/killed|SIGKILL|connection unexpectedly closed/i);
    expectWhole(job.inputDir, files);
    const again = await s.run(inputs);
    expect(again.code, explain(again)).toBe(0);
    expect(expectWhole(job.inputDir, files)).toBe(3000);
  });
});

describe('local faults', () => {
  it('the work dir vanishes mid-transfer: error or completion, never a partial file', async () => {
    const s = scene();
    const files = manyFiles(3000, 4000);
    const job = s.job('job', {}, files);
    const runP = s.run({ path: 'job', 'shared-storage': 'true', retries: '0' });
    // Remove the work dir as soon as the first file has arrived.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && filesUnder(job.inputDir).length < 2) {
      await new Promise((r) => setTimeout(r, 5));
    }
    rmSync(job.workDir, { recursive: true, force: true });
    const run = await runP;
    const row = jobRows(run)[0];
    if (run.code !== 0) {
      expect(row?.status, explain(run)).toBe('failed');
      expect(row?.reason, explain(run)).toMatch(
        /^Could not rsync files between .*vanished|No such file|rsync/,
      );
    }
    expectWhole(job.inputDir, files);
    // No rsync temporary files left behind.
    expect(
      filesUnder(job.inputDir).filter((f) => /(^|\/)\.[^/]+\.[A-Za-z0-9]{6}$/.test(f)),
    ).toEqual([]);
  });

  it('two runs of the same job at once: both finish, the result is whole', async () => {
    const s = scene();
    const files = manyFiles(2000, 3000);
    const job = s.job('job', {}, files);
    const inputs = { path: 'job', 'shared-storage': 'true' };
    const [a, b] = await Promise.all([s.run(inputs), s.run(inputs)]);
    expect(a.code, explain(a)).toBe(0);
    expect(b.code, explain(b)).toBe(0);
    expect(expectWhole(job.inputDir, files)).toBe(2000);
    const fetched = [a, b].map((r) => Number(r.outputs['files-synced']));
    // The lock serialises them: the second finds everything up to date.
    expect(fetched.sort((x, y) => x - y)).toEqual([0, 2000]);
  });

  it('a read-only destination: a clear error, nothing lost', async () => {
    const s = scene();
    const job = s.job('job', {}, { 'a.txt': 'a\n' });
    const dest = join(s.base, 'ro');
    const problem = await mountTmpfs(dest, 'ro,size=1m');
    if (problem) {
      if (process.env.CI === 'true') throw new Error(`cannot mount a tmpfs: ${problem}`);
      console.warn(`!!! read-only destination test SKIPPED: ${problem}`);
      return;
    }
    const run = await s.run({ path: 'job', 'shared-storage': 'true', destination: dest });
    expect(run.code, explain(run)).toBe(1);
    expect(jobRows(run)[0]?.reason).toMatch(/Read-only file system/i);
    expect(existsSync(job.workDir)).toBe(true);
  });

  it('a full destination (small tmpfs): a clear error, no half-written file under its name', async () => {
    const s = scene();
    const big = 'B'.repeat(400 * 1024);
    const job = s.job('job', {}, { 'small.txt': 's\n', 'big.dat': big });
    const dest = join(s.base, 'full');
    const problem = await mountTmpfs(dest, 'size=128k');
    if (problem) {
      if (process.env.CI === 'true') throw new Error(`cannot mount a tmpfs: ${problem}`);
      console.warn(`!!! full destination test SKIPPED: ${problem}`);
      return;
    }
    writeFileSync(join(dest, 'mine.txt'), 'the user file\n');
    const run = await s.run({ path: 'job', 'shared-storage': 'true', destination: dest });
    expect(run.code, explain(run)).toBe(1);
    expect(jobRows(run)[0]?.reason).toMatch(/No space left on device/i);
    if (existsSync(join(dest, 'big.dat'))) {
      expect(statSync(join(dest, 'big.dat')).size).toBe(big.length);
    }
    expect(readFileSync(join(dest, 'mine.txt'), 'utf8')).toBe('the user file\n');
    expect(existsSync(job.workDir)).toBe(true);
  });
});
