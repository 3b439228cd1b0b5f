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
  realpathSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeLeftovers } from '../../src/transfer/leftovers.js';
import { lockPathOf, withDestinationLock } from '../../src/transfer/lock.js';
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
