/**
 * qq's rsync layer (docs/qq-behaviour.md §6.2, §9 "rsync layer"): the argv shape with our extra flags, the
 * `files` rules, and real rsync on temp directories through transferJob.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QQError } from '../../src/domain/errors.js';
import { TransferError, transferJob } from '../../src/transfer/index.js';
import {
  detectRsync,
  lastProgressLine,
  parseRsyncVersion,
  type RsyncCapabilities,
  rsyncArgv,
} from '../../src/transfer/rsync/index.js';
import { OUT_FORMAT } from '../../src/transfer/rsync/records.js';
import { splitFiles, validateFiles } from '../../src/transfer/select/files.js';
import { includeFilters } from '../../src/transfer/select/index.js';
import { rsyncRsh } from '../../src/transfer/ssh/index.js';
import { cleanTemps, tempDir } from '../support/temp.js';
import { localSettings, names, put } from '../support/transfer.js';

afterAll(cleanTemps);

const QQ_SSH = '-o GSSAPIAuthentication=yes -o PasswordAuthentication=no';
const ssh = (strict: 'yes' | 'accept-new' | 'no' = 'accept-new', sshOptions: string[] = []) => ({
  sshOptions,
  strictHostKeyChecking: strict,
});

describe('rsync argv (qq §6.2 with our flags)', () => {
  const base = {
    workDir: '/source',
    destination: '/dest',
    overwrite: 'always' as const,
    dryRun: false,
  };

  it('local → local: -rltD, -s, no --delete, trailing slash on the source only, no -e', () => {
    expect(rsyncArgv({ ...base, ssh: ssh() })).toEqual([
      'rsync',
      '-rltD',
      '-s',
      '--stats',
      '--info=progress2',
      OUT_FORMAT,
      '--',
      '/source/',
      '/dest',
    ]);
  });

  it('remote → local: -e with qq options, ours and the user options; --update for newer', () => {
    const argv = rsyncArgv({
      ...base,
      workDir: '/source/',
      host: 'remotehost',
      overwrite: 'newer',
      ownDir: { name: '.qq-sync-displaced.0123456789abcdef', backup: true },
      ssh: {
        ...ssh('yes', ['-p 2222', "-i '/keys/my key'", '-o ProxyJump=gw']),
        connectTimeoutSec: 7,
      },
    });
    expect(argv).toEqual([
      'rsync',
      '-e',
      `ssh -p 2222 -i '/keys/my key' -o ProxyJump=gw ${QQ_SSH} -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=7`,
      '-rltD',
      '-s',
      '--update',
      '--backup',
      '--backup-dir=.qq-sync-displaced.0123456789abcdef',
      '--stats',
      '--info=progress2',
      OUT_FORMAT,
      // The run's own directory: out of the transfer, before any rule of the selection.
      '--exclude=/.qq-sync-displaced.0123456789abcdef',
      '--',
      'remotehost:/source/',
      '/dest',
    ]);
    for (const never of ['-a', '--delete', '--checksum', '--files-from', '-c']) {
      expect(argv.some((w) => w === never || w.startsWith(`${never}=`))).toBe(false);
    }
  });

  it("a part of a parallel transfer and a selection: the run's own directory left out first", () => {
    const ownDir = { name: '.qq-sync-displaced.0123456789abcdef', backup: true };
    const exclude = '--exclude=/.qq-sync-displaced.0123456789abcdef';
    const part = rsyncArgv({ ...base, ssh: ssh(), overwrite: 'newer', ownDir, filesFrom: '/p' });
    expect(part).toContain(exclude);
    expect(part.indexOf(exclude)).toBeLessThan(part.indexOf('--'));
    const chosen = rsyncArgv({ ...base, ssh: ssh(), files: ['a.txt'], ownDir });
    expect(chosen.indexOf(exclude)).toBeLessThan(chosen.indexOf('--include'));
    expect(chosen.indexOf('--include')).toBeGreaterThan(0);
  });

  it('default ssh string: accept-new and a 30 s connect timeout', () => {
    expect(rsyncRsh(ssh())).toBe(
      `ssh ${QQ_SSH} -o StrictHostKeyChecking=accept-new -o BatchMode=yes -o ConnectTimeout=30`,
    );
  });

  it('a dry run adds --dry-run', () => {
    expect(rsyncArgv({ ...base, dryRun: true, ssh: ssh() })).toContain('--dry-run');
  });

  it("includes: qq's form for top-level names", () => {
    const argv = rsyncArgv({ ...base, files: ['file1.txt', 'dir'], ssh: ssh() });
    expect(argv.slice(argv.indexOf(OUT_FORMAT) + 1)).toEqual([
      '--include',
      'file1.txt',
      '--include',
      'file1.txt/***',
      '--include',
      'dir',
      '--include',
      'dir/***',
      '--exclude',
      '*',
      '--',
      '/source/',
      '/dest',
    ]);
  });

  it('includes: nested names anchor every pattern and include the parents', () => {
    expect(includeFilters(['file1.txt', 'dir/sub/file2.txt', 'dir/x'])).toEqual([
      '--include',
      '/file1.txt',
      '--include',
      '/file1.txt/***',
      '--include',
      '/dir/',
      '--include',
      '/dir/sub/',
      '--include',
      '/dir/sub/file2.txt',
      '--include',
      '/dir/sub/file2.txt/***',
      '--include',
      '/dir/x',
      '--include',
      '/dir/x/***',
      '--exclude',
      '*',
    ]);
  });

  it('no includes: --exclude * alone; "." means everything', () => {
    expect(includeFilters([])).toEqual(['--exclude', '*']);
    expect(includeFilters(['a', '.'])).toEqual([]);
  });
});

describe('the local rsync, asked once', () => {
  it('reads the version and what it allows', () => {
    expect(parseRsyncVersion('rsync  version 3.2.7  protocol version 31\n')).toEqual({
      version: '3.2.7',
      protectArgs: true,
      progress2: true,
    });
    expect(parseRsyncVersion('rsync  version v3.5.0  protocol version 32')?.version).toBe('3.5.0');
    expect(parseRsyncVersion('rsync  version 3.0.9  protocol version 30')).toMatchObject({
      protectArgs: true,
      progress2: false,
    });
    expect(parseRsyncVersion('rsync  version 2.6.9  protocol version 29')).toMatchObject({
      protectArgs: false,
      progress2: false,
    });
    expect(parseRsyncVersion('openrsync: protocol version 29')).toBeUndefined();
  });

  it('an old rsync: no --info=progress2 before 3.1; no fetch over ssh before 3.0 (no -s)', () => {
    const job = { workDir: '/w', destination: '/d', overwrite: 'always' as const, dryRun: false };
    const v30 = parseRsyncVersion('rsync  version 3.0.9') as RsyncCapabilities;
    const v26 = parseRsyncVersion('rsync  version 2.6.9') as RsyncCapabilities;
    expect(rsyncArgv({ ...job, ssh: ssh() }, v30)).toEqual([
      'rsync',
      '-rltD',
      '-s',
      '--stats',
      OUT_FORMAT,
      '--',
      '/w/',
      '/d',
    ]);
    expect(rsyncArgv({ ...job, ssh: ssh() }, v26)).toEqual([
      'rsync',
      '-rltD',
      '--stats',
      OUT_FORMAT,
      '--',
      '/w/',
      '/d',
    ]);
    expect(() => rsyncArgv({ ...job, host: 'node1', ssh: ssh() }, v26)).toThrow(
      /rsync 2\.6\.9 on this machine is too old to fetch over ssh safely/,
    );
  });

  it('the installed rsync is detected (and is new enough for every flag)', async () => {
    const caps = await detectRsync();
    expect(caps?.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(caps).toMatchObject({ protectArgs: true, progress2: true });
    expect(await detectRsync({ PATH: tempDir('empty-path') })).toBeUndefined();
  });
});

describe('files input', () => {
  it("splits as qq's _split_files", () => {
    expect(splitFiles(undefined)).toBeUndefined();
    expect(splitFiles('')).toBeUndefined();
    expect(splitFiles('a.txt')).toEqual(['a.txt']);
    expect(splitFiles('a.txt b.txt')).toEqual(['a.txt', 'b.txt']);
    expect(splitFiles('a.txt,b.txt')).toEqual(['a.txt', 'b.txt']);
    expect(splitFiles('a.txt:b.txt')).toEqual(['a.txt', 'b.txt']);
    expect(splitFiles('a.txt , b.txt:c.txt  d.txt')).toEqual(['a.txt', 'b.txt', 'c.txt', 'd.txt']);
  });

  it('keeps entries inside the working directory, relative', () => {
    expect(
      validateFiles(['a.txt', '/work/sub/b', 'sub/../c', './d', 'e/', '/work', '..x'], '/work'),
    ).toEqual(['a.txt', 'sub/b', 'c', 'd', 'e', '.', '..x']);
  });

  it.each([
    ['../x', "Item '/work/../x' is not in target directory '/work'."],
    ['/etc/passwd', "Item '/etc/passwd' is not in target directory '/work'."],
    ['sub/../../x', "Item '/work/sub/../../x' is not in target directory '/work'."],
    ['/workother/a', "Item '/workother/a' is not in target directory '/work'."],
    ['..', "Item '/work/..' is not in target directory '/work'."],
  ])("refuses %s with qq's message", (entry, message) => {
    expect(() => validateFiles([entry], '/work')).toThrow(QQError);
    expect(() => validateFiles([entry], '/work')).toThrow(message);
  });

  it('refuses entries that could be read as options', () => {
    expect(() => validateFiles(['-rf'], '/work')).toThrow(/looks like an option/);
    expect(() => validateFiles(['--delete'], '/work')).toThrow(/looks like an option/);
  });
});

describe('values that could be options or shell words are refused before ssh or rsync runs', () => {
  const canary = path.join(tempDir('canary'), 'ran');
  const req = (over: Partial<Parameters<typeof transferJob>[0]>) =>
    transferJob({
      workDir: '/work',
      mainNode: 'node1',
      local: false,
      destination: tempDir('dst'),
      dryRun: false,
      settings: localSettings({ retries: 2 }),
      ...over,
    });

  it.each([
    `-oProxyCommand=touch ${canary}`,
    '-p22',
    'node1;touch x',
    'node 1',
    'node1\ntouch',
    '$(touch x)',
    'node`id`',
    'root@node1',
    'node1:/etc',
    '',
  ])('main node %j', async (mainNode) => {
    await expect(req({ mainNode })).rejects.toThrow(/^Refusing main node/);
    expect(existsSync(canary)).toBe(false);
  });

  it.each(['work', './work', '', '/work/\nx', '/work/../etc'])('work dir %j', async (workDir) => {
    await expect(req({ workDir })).rejects.toThrow(/^Refusing working directory/);
  });

  it.each(['out', '/dst/../etc'])('destination %j', async (destination) => {
    await expect(req({ destination })).rejects.toThrow(/^Refusing destination/);
  });

  it('ssh-options that are not ssh options', async () => {
    await expect(
      req({
        mainNode: '127.0.0.1',
        settings: localSettings({ sshOptions: [`-oProxyCommand=touch ${canary}`] }),
      }),
    ).rejects.toThrow(/Input 'ssh-options'/);
    await expect(req({ settings: localSettings({ sshOptions: ["-o User=a'b"] }) })).rejects.toThrow(
      /single quote/,
    );
    expect(existsSync(canary)).toBe(false);
  });
});

describe('real rsync, local (qq tests/test_batch_interface.py)', () => {
  const run = (src: string, dst: string, over: Partial<Parameters<typeof transferJob>[0]> = {}) =>
    transferJob({
      workDir: src,
      mainNode: 'unused',
      local: true,
      destination: dst,
      dryRun: false,
      settings: localSettings(),
      ...over,
    });

  it('copies new files, keeps destination-only files, updates changed files', async () => {
    const src = tempDir('src');
    const dst = tempDir('dst');
    await put(src, 'new.txt', 'new');
    await put(src, 'sub/deep.txt', 'deep');
    await put(src, 'changed.txt', 'source version, longer', 1_600_000_000);
    await put(dst, 'changed.txt', 'old', 1_600_000_000);
    await put(dst, 'only-here.txt', 'keep me');
    const r = await run(src, dst);
    expect(r.method).toBe('rsync');
    expect(r.attempts).toBe(1);
    expect(await names(dst)).toEqual([
      'changed.txt',
      'new.txt',
      'only-here.txt',
      'sub',
      'sub/deep.txt',
    ]);
    expect(await readFile(path.join(dst, 'changed.txt'), 'utf8')).toBe('source version, longer');
    expect(await readFile(path.join(dst, 'only-here.txt'), 'utf8')).toBe('keep me');
    expect(r.files).toBe(3);
    expect(r.bytes).toBe(3 + 4 + 22);
    expect(Math.floor((await stat(path.join(dst, 'changed.txt'))).mtimeMs / 1000)).toBe(
      1_600_000_000,
    );
    // Nothing changed: a second run transfers nothing.
    const again = await run(src, dst);
    expect([again.files, again.bytes]).toEqual([0, 0]);
  });

  it('a failure gives "Could not rsync files between" (work dir missing, not retried)', async () => {
    const dst = tempDir('dst');
    const messages: string[] = [];
    const err = await run('/nonexistent/qq-sync-F', dst, {
      settings: localSettings({ retries: 3 }),
      onMessage: (m) => messages.push(m),
    }).catch((e) => e);
    expect(err).toBeInstanceOf(TransferError);
    expect(err.message).toMatch(
      /^Could not rsync files between '\/nonexistent\/qq-sync-F' and '.*': .*change_dir.*No such file or directory.*\.$/s,
    );
    expect(err.transient).toBe(false);
    expect(messages).toEqual([]);
  });

  describe('files', () => {
    const tree = async () => {
      const src = tempDir('src');
      await put(src, 'a.txt', 'a');
      await put(src, 'b.txt', 'b');
      await put(src, 'x.gro', 'x');
      await put(src, 'y.gro', 'y');
      await put(src, 'sub/a.txt', 'sub a');
      await put(src, 'sub/c.txt', 'sub c');
      await put(src, 'sub/m.gro', 'sub m');
      await put(src, 'dir/d1', 'd1');
      await put(src, 'dir/inner/d2', 'd2');
      const dst = tempDir('dst');
      await put(dst, 'mine.txt', 'mine');
      return { src, dst };
    };

    it('include-only copies only the selected files and keeps other destination files', async () => {
      const { src, dst } = await tree();
      const r = await run(src, dst, { files: ['a.txt'] });
      expect(await names(dst)).toEqual(['a.txt', 'mine.txt']);
      expect(r.files).toBe(1);
    });

    it('an empty selection copies nothing', async () => {
      const { src, dst } = await tree();
      const r = await run(src, dst, { files: [] });
      expect(await names(dst)).toEqual(['mine.txt']);
      expect(r.files).toBe(0);
    });

    it('nested names work (unlike qq), without picking same-named files elsewhere', async () => {
      const { src, dst } = await tree();
      await run(src, dst, { files: ['sub/c.txt', 'b.txt'] });
      expect(await names(dst)).toEqual(['b.txt', 'mine.txt', 'sub', 'sub/c.txt']);
      const dst2 = tempDir('dst');
      await run(src, dst2, { files: ['sub/c.txt', 'a.txt'] });
      expect(await names(dst2)).toEqual(['a.txt', 'sub', 'sub/c.txt']);
    });

    it('a directory brings its whole tree; wildcards match at top level and nested', async () => {
      const { src, dst } = await tree();
      await run(src, dst, { files: ['dir', '*.gro'] });
      expect(await names(dst)).toEqual([
        'dir',
        'dir/d1',
        'dir/inner',
        'dir/inner/d2',
        'mine.txt',
        'x.gro',
        'y.gro',
      ]);
      const dst2 = tempDir('dst');
      await run(src, dst2, { files: ['sub/*.gro'] });
      expect(await names(dst2)).toEqual(['sub', 'sub/m.gro']);
    });

    it('missing names are skipped without error; absolute names inside the work dir work', async () => {
      const { src, dst } = await tree();
      const r = await run(src, dst, { files: ['nope.txt', path.join(src, 'b.txt')] });
      expect(await names(dst)).toEqual(['b.txt', 'mine.txt']);
      expect(r.files).toBe(1);
    });

    it.each(['../x', '/etc/passwd', 'sub/../../x'])(
      'refuses %s before rsync runs',
      async (entry) => {
        const { src, dst } = await tree();
        await expect(run(src, dst, { files: [entry] })).rejects.toThrow(
          /^Item '.*' is not in target directory '.*'\.$/,
        );
        expect(await names(dst)).toEqual(['mine.txt']);
      },
    );

    it('refuses an entry starting with -', async () => {
      const { src, dst } = await tree();
      await expect(run(src, dst, { files: ['--delete'] })).rejects.toThrow(/looks like an option/);
      await expect(run(src, dst, { files: ['-e'] })).rejects.toThrow(/looks like an option/);
    });
  });
});

describe('lastProgressLine', () => {
  it('takes the newest complete progress2 record, one-spaced, and ignores a half-written one', () => {
    const tail =
      '      180   0%    0.00kB/s    0:00:00 (xfr#1, ir-chk=1099/1301)\r' +
      '   12,360  12%  175.78kB/s    0:00:01 (xfr#2, ir-chk=1098/1301)\r' +
      '   12,4';
    expect(lastProgressLine(tail)).toBe('12,360 12% 175.78kB/s 0:00:01 (xfr#2, ir-chk=1098/1301)');
  });
  it('skips the --stats block and finds nothing in text without a record', () => {
    expect(
      lastProgressLine(
        '   1,000 100%  1.00MB/s    0:00:00 (xfr#1, to-chk=0/1)\n\nNumber of files: 1\nTotal bytes sent: 9\n',
      ),
    ).toBe('1,000 100% 1.00MB/s 0:00:00 (xfr#1, to-chk=0/1)');
    expect(lastProgressLine('Number of files: 1\n')).toBeUndefined();
    expect(lastProgressLine('')).toBeUndefined();
  });
});
