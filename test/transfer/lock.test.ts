/**
 * The destination lock on a real file system: a dead holder's lock (a real process that has
 * exited) taken over by several runs at once — exactly one takes it over, and the holders never
 * overlap; a live holder on another host is waited for; a silent one is taken over; and what a
 * takeover removes of a killed run's temporaries, exactly.
 */
import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/exec/run.js';
import { lockPathOf, withDestinationLock } from '../../src/transfer/lock/index.js';
import { removeLeftovers } from '../../src/transfer/lock/leftovers.js';
import { displacedName, makeDisplacedDir } from '../../src/transfer/type-change.js';
import { cleanTemps, tempDir } from '../support/temp.js';

afterAll(cleanTemps);

/** The pid of a process that has run and exited (not reused within the test). */
function deadPid(): number {
  const r = spawnSync('sh', ['-c', 'echo $$']);
  return Number(String(r.stdout).trim());
}

function plantLock(dest: string, owner: object, ageMs = 0): void {
  const dir = lockPathOf(realpathSync(dest));
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'owner');
  writeFileSync(file, JSON.stringify({ token: 'aaaaaaaaaaaaaaaa', started: 0, ...owner }));
  const t = new Date(Date.now() - ageMs);
  utimesSync(file, t, t);
}

describe('withDestinationLock', () => {
  it('a dead holder on this host: taken over at once by one of several waiters; holders never overlap', async () => {
    const dest = tempDir('lock');
    const pid = deadPid();
    plantLock(dest, { pid, host: hostname(), started: Date.now() });
    const messages: string[] = [];
    let inside = 0;
    let overlap = false;
    const run = () =>
      withDestinationLock(
        dest,
        async () => {
          inside++;
          if (inside > 1) overlap = true;
          await new Promise((r) => setTimeout(r, 20));
          inside--;
        },
        { timeoutMs: 20_000, onMessage: (m) => messages.push(m) },
      );
    await Promise.all([run(), run(), run(), run()]);
    expect(overlap).toBe(false);
    expect(messages).toEqual([
      `Took over the lock of process ${pid} on ${hostname()} on '${dest}': its process ${pid} on this host no longer exists.`,
    ]);
    expect(readdirSync(dest)).toEqual([]);
  });

  it('a live holder on another host is waited for, a silent one is taken over', async () => {
    const dest = tempDir('lock');
    plantLock(dest, { pid: process.pid, host: 'other-node.example' });
    await expect(withDestinationLock(dest, async () => 1, { timeoutMs: 600 })).rejects.toThrow(
      /^Another sync into '.*' still held its lock \(.*\.qq-sync\.lock\) after 1 seconds\.$/,
    );
    plantLock(dest, { pid: process.pid, host: 'other-node.example' }, 60_000);
    const messages: string[] = [];
    expect(
      await withDestinationLock(dest, async () => 2, {
        timeoutMs: 600,
        onMessage: (m) => messages.push(m),
      }),
    ).toBe(2);
    expect(messages[0]).toMatch(
      /: it has given no sign of life for 60 s \(process \d+ on other-node\.example\)\.$/,
    );
  });
});

describe('the lock beside the destination', () => {
  it('two spellings of one destination (a symlink to it, a trailing ./) share one lock, in its parent', async () => {
    const base = tempDir('lock');
    const dest = path.join(base, 'dest');
    mkdirSync(dest);
    symlinkSync(dest, path.join(base, 'alias'));
    const lock = lockPathOf(realpathSync(dest));
    expect(path.dirname(lock)).toBe(realpathSync(base));
    expect(path.basename(lock)).toBe('.dest.qq-sync.lock');
    let release = () => {};
    const holding = withDestinationLock(
      dest,
      () =>
        new Promise<void>((r) => {
          release = r;
        }),
      { timeoutMs: 5000 },
    );
    await new Promise((r) => setTimeout(r, 100));
    for (const other of [path.join(base, 'alias'), `${dest}/.`]) {
      await expect(withDestinationLock(other, async () => 1, { timeoutMs: 300 })).rejects.toThrow(
        /still held its lock/,
      );
    }
    release();
    await holding;
    expect(readdirSync(base).sort()).toEqual(['alias', 'dest']);
    expect(readdirSync(dest)).toEqual([]);
  });

  it('a name too long for the suffixes: its hash', () => {
    const lock = lockPathOf(`/x/${'n'.repeat(250)}`);
    expect(Buffer.byteLength(path.basename(lock))).toBeLessThan(255 - 22);
    expect(path.dirname(lock)).toBe('/x');
  });

  it('a parent that cannot be written: a clear error naming it, nothing written', async () => {
    const base = tempDir('lock');
    const parent = path.join(base, 'ro');
    mkdirSync(parent);
    const mount = (args: string[]) => runCommand(['mount', ...args], { timeoutMs: 10_000 });
    const made = await mount(['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', parent]);
    if (made.code !== 0) {
      if (process.env.CI === 'true') throw new Error(`cannot mount a tmpfs: ${made.stderr}`);
      console.warn(`!!! read-only parent test SKIPPED: ${made.stderr.trim()}`);
      return;
    }
    try {
      mkdirSync(path.join(parent, 'dest'));
      expect((await mount(['-o', 'remount,ro', parent])).code).toBe(0);
      let ran = false;
      await expect(
        withDestinationLock(
          path.join(parent, 'dest'),
          async () => {
            ran = true;
          },
          { timeoutMs: 1000 },
        ),
      ).rejects.toThrow(
        `Cannot take the lock of the destination '${parent}/dest': qq-sync keeps it beside the destination, in '${parent}', which cannot be written (EROFS: read-only file system`,
      );
      expect(ran).toBe(false);
      expect(readdirSync(parent)).toEqual(['dest']);
    } finally {
      await runCommand(['umount', '-l', parent], { timeoutMs: 10_000 });
    }
  });

  it("a dead run: its recorded backup directory settled, one that is not it left alone; the destination's .qq-sync.lock* names kept", async () => {
    for (const recorded of ['same', 'other'] as const) {
      const dest = tempDir('lock');
      const token = '0123456789abcdef';
      const name = displacedName(token);
      const { st } = await makeDisplacedDir(dest, name);
      writeFileSync(path.join(dest, name, 'mine.txt'), 'mine\n');
      // The user's and the job's names like the lock's: theirs.
      mkdirSync(path.join(dest, '.qq-sync.lock'));
      writeFileSync(path.join(dest, '.qq-sync.lock', 'data.txt'), 'data\n');
      mkdirSync(path.join(dest, `.qq-sync.lock.${'a'.repeat(16)}`));
      const lock = lockPathOf(realpathSync(dest));
      plantLock(dest, { pid: deadPid(), host: hostname(), token, started: Date.now() - 1000 });
      const ino = recorded === 'same' ? String(st.ino) : String(st.ino + 1n);
      writeFileSync(path.join(lock, 'displaced'), JSON.stringify({ dev: String(st.dev), ino }));
      // A staging directory of a run that is gone, beside the lock: removed.
      mkdirSync(`${lock}.${'b'.repeat(16)}`);
      writeFileSync(
        path.join(`${lock}.${'b'.repeat(16)}`, 'owner'),
        JSON.stringify({ pid: deadPid(), host: hostname(), token: 'b'.repeat(16), started: 0 }),
      );
      const messages: string[] = [];
      const run = withDestinationLock(dest, async () => 'ran', {
        timeoutMs: 5000,
        onMessage: (m) => messages.push(m),
      });
      if (recorded === 'same') {
        expect(await run).toBe('ran');
        expect(readFileSync(path.join(dest, 'mine.txt'), 'utf8')).toBe('mine\n');
        expect(readdirSync(dest).sort()).toEqual(
          ['.qq-sync.lock', `.qq-sync.lock.${'a'.repeat(16)}`, 'mine.txt'].sort(),
        );
      } else {
        await expect(run).rejects.toThrow(/is not the directory this sync made/);
        expect(readFileSync(path.join(dest, name, 'mine.txt'), 'utf8')).toBe('mine\n');
      }
      expect(readFileSync(path.join(dest, '.qq-sync.lock', 'data.txt'), 'utf8')).toBe('data\n');
      expect(
        readdirSync(path.dirname(lock)).filter((n) => n.startsWith(path.basename(lock))),
      ).toEqual([]);
    }
  });
});

describe('removeLeftovers', () => {
  it('removes exactly the temporaries the killed run changed between its start and the takeover', async () => {
    const dest = tempDir('left');
    mkdirSync(path.join(dest, 'sub'));
    const pause = () => new Promise((r) => setTimeout(r, 20));
    // From before the killed run: kept whatever their names.
    writeFileSync(path.join(dest, '.old.txt.Ab12Cd'), 'old');
    mkdirSync(path.join(dest, '.olddir.0a1b2c3f.qqsync'));
    await pause();
    const since = Date.now();
    await pause();
    const nonUtf8 = Buffer.concat([
      Buffer.from(`${dest}/sub/.caf`),
      Buffer.from([0xe9]),
      Buffer.from('.dat.Zz9xY1'),
    ]);
    writeFileSync(nonUtf8, 'partial');
    writeFileSync(path.join(dest, '.a.txt.Qw3Er5'), 'partial');
    writeFileSync(path.join(dest, 'sub', '.b.bin.0a1b2c3d.qqsync'), 'partial');
    // A new directory the copier was filling under a temporary name: removed with its contents.
    mkdirSync(path.join(dest, '.new.0a1b2c3e.qqsync', 'deeper'), { recursive: true });
    writeFileSync(path.join(dest, '.new.0a1b2c3e.qqsync', 'deeper', 'whole.txt'), 'whole');
    // Not temporaries: wrong length, wrong alphabet, no leading dot, all lower case (a real
    // extension more likely than mkstemp's), a symlink, a directory.
    for (const n of [
      '.a.txt.Qw3Er',
      '.a.txt.Qw3Er5x',
      '.a.txt.Qw-Er5',
      'a.txt.Qw3Er5',
      '.c.sqlite',
    ]) {
      writeFileSync(path.join(dest, n), 'user');
    }
    symlinkSync('/etc/hostname', path.join(dest, '.link.txt.Ab12Cd'));
    mkdirSync(path.join(dest, '.dir.txt.Ab12Cd'));
    await pause();
    const until = Date.now();
    await pause();
    // After the takeover: another run's temporary, being written while this one looks.
    writeFileSync(path.join(dest, '.next.txt.Mn4Op6'), 'partial of a live run');
    const messages: string[] = [];
    const removed = await removeLeftovers(dest, { since, until }, (m) => messages.push(m));
    expect(removed.sort()).toEqual([
      '.a.txt.Qw3Er5',
      '.new.0a1b2c3e.qqsync',
      'sub/.b.bin.0a1b2c3d.qqsync',
      'sub/.caf\xe9.dat.Zz9xY1',
    ]);
    expect(messages).toHaveLength(1);
    expect(readdirSync(dest).sort()).toEqual(
      [
        '.a.txt.Qw-Er5',
        '.a.txt.Qw3Er',
        '.a.txt.Qw3Er5x',
        '.c.sqlite',
        '.dir.txt.Ab12Cd',
        '.link.txt.Ab12Cd',
        '.next.txt.Mn4Op6',
        '.old.txt.Ab12Cd',
        '.olddir.0a1b2c3f.qqsync',
        'a.txt.Qw3Er5',
        'sub',
      ].sort(),
    );
    expect(readdirSync(path.join(dest, 'sub'))).toEqual([]);
  });
});
