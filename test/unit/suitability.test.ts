// Navigator predicates (docs/qq-behaviour.md §4), Syncer.ensure_suitable (§5.1) and the no-destination error,
// mirroring qq's tests/sync/test_sync_syncer.py, tests/test_core_navigator.py and the Informer
// tests (docs/qq-behaviour.md §9). The messages are written out here, not imported, so a changed constant fails.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QQError } from '../../src/domain/errors.js';
import type { InfoFile, TransferMode } from '../../src/domain/info/index.js';
import { RealState } from '../../src/domain/states.js';
import {
  checkSuitable,
  ensureDestination,
  formatDurationWdhhmmss,
  getDestination,
  hasDestination,
  hostsMatch,
  IMPLICITLY_SYNCHRONIZED_MESSAGE,
  isKilled,
  isQueued,
  isSynchronized,
  jobIdMatches,
  KILLED_NO_WORK_DIR_MESSAGE,
  NO_DESTINATION_MESSAGE,
  normalizeLogical,
  QUEUED_MESSAGE,
  SYNCHRONIZED_MESSAGE,
  stateDetails,
  stateMessage,
  workDirIsInputDir,
} from '../../src/domain/suitability.js';

const MSG_INPUT_DIR =
  'Working directory of the job is the input directory of the job: implicitly synchronized.';
const MSG_SYNCED =
  'Job has been completed and was synchronized: working directory no longer exists.';
const MSG_KILLED = 'Job has been killed and no working directory is available.';
const MSG_QUEUED = 'Job is queued or booting: nothing to sync.';
const MSG_NO_DEST = "Host ('main_node') or working directory ('work_dir') are not defined.";

const S = RealState;
const ALL_STATES = Object.values(RealState);

type Fields = Parameters<typeof checkSuitable>[0];
/** qq's message for a job that is not suitable (the code is checked below). */
const reasonOf = (...args: Parameters<typeof checkSuitable>) => checkSuitable(...args)?.message;

/** qq's Syncer fixture: work dir /workdir on `node`, input machine `input`, input dir elsewhere, scratch. */
function job(over: Partial<InfoFile> = {}): Fields {
  return {
    workDir: '/workdir',
    mainNode: 'node',
    inputMachine: 'input',
    inputDir: '/different_input',
    resources: { workDir: 'scratch_local' },
    transferMode: ['success'],
    ...over,
  };
}
function withCode(
  exitCode: number | undefined,
  modes: TransferMode[],
  over: Partial<InfoFile> = {},
) {
  const j = job({ transferMode: modes, ...over });
  if (exitCode !== undefined) j.jobExitCode = exitCode;
  return j;
}

describe("the message constants are qq's", () => {
  it('to the letter', () => {
    expect(IMPLICITLY_SYNCHRONIZED_MESSAGE).toBe(MSG_INPUT_DIR);
    expect(SYNCHRONIZED_MESSAGE).toBe(MSG_SYNCED);
    expect(KILLED_NO_WORK_DIR_MESSAGE).toBe(MSG_KILLED);
    expect(QUEUED_MESSAGE).toBe(MSG_QUEUED);
    expect(NO_DESTINATION_MESSAGE).toBe(MSG_NO_DEST);
  });
});

describe('Syncer.ensure_suitable: unsuitable with the right message', () => {
  it.each([S.QUEUED, S.BOOTING, S.HELD, S.WAITING])('%s → queued or booting', (state) => {
    expect(reasonOf(job(), state)).toBe(MSG_QUEUED);
  });

  const synced: [RealState, number, TransferMode[]][] = [
    [S.FINISHED, 0, ['success']],
    [S.FINISHED, 0, ['always']],
    [S.FINISHED, 0, [0]],
    [S.FAILED, 1, ['failure']],
    [S.FAILED, 1, ['always']],
    [S.FAILED, 1, [1]],
    [S.EXITING, 0, ['always']],
    [S.EXITING, 0, ['success']],
    [S.EXITING, 1, ['always']],
    [S.EXITING, 1, ['failure']],
    [S.EXITING, 2, [2]],
  ];
  it.each(synced)('%s(%s) with %j → completed and was synchronized', (state, code, modes) => {
    expect(reasonOf(withCode(code, modes), state)).toBe(MSG_SYNCED);
  });

  it('work dir equals input dir: FAILED(1), [success], not scratch, main node == input machine', () => {
    const j = withCode(1, ['success'], {
      workDir: '/same',
      inputDir: '/same',
      mainNode: 'input',
      resources: { workDir: 'input_dir' },
    });
    expect(reasonOf(j, S.FAILED)).toBe(MSG_INPUT_DIR);
  });

  it('the input-dir check comes first, even for queued jobs and synchronized codes', () => {
    const base = { workDir: '/same', inputDir: '/same', resources: { workDir: 'job_dir' } };
    expect(reasonOf(withCode(0, ['success'], base), S.FINISHED)).toBe(MSG_INPUT_DIR);
    expect(reasonOf(job(base), S.QUEUED)).toBe(MSG_INPUT_DIR);
  });

  it.each([
    ['no work_dir', { workDir: undefined, mainNode: 'host' }],
    ['no main_node', { workDir: '/path', mainNode: undefined }],
    ['empty work_dir', { workDir: '', mainNode: 'host' }],
  ])('killed without destination (%s) → killed and no working directory', (_l, over) => {
    expect(reasonOf(job(over), S.KILLED)).toBe(MSG_KILLED);
    // EXITING without an exit code is being killed
    expect(reasonOf(job(over), S.EXITING)).toBe(MSG_KILLED);
  });

  it("synchronized beats killed: check 2 only looks at the file's exit code and modes", () => {
    expect(reasonOf(withCode(1, ['failure'], { workDir: undefined }), S.KILLED)).toBe(MSG_SYNCED);
    // naive failed (exit 1) + batch QUEUED = INCONSISTENT, transfer failure
    expect(reasonOf(withCode(1, ['failure']), S.IN_AN_INCONSISTENT_STATE)).toBe(MSG_SYNCED);
  });
});

describe('Syncer.ensure_suitable: passes', () => {
  const passes: [RealState, number | undefined, TransferMode[]][] = [
    [S.RUNNING, undefined, ['success']],
    [S.SUSPENDED, undefined, ['success']],
    [S.FINISHED, 0, ['failure']],
    [S.FINISHED, 0, ['never']],
    [S.FAILED, 1, ['success']],
    [S.FAILED, 2, ['success', 1]],
    [S.FAILED, 1, ['never']],
    [S.KILLED, undefined, ['failure']],
    [S.KILLED, undefined, ['always']],
    [S.KILLED, undefined, ['never']],
    [S.KILLED, undefined, ['success']],
    [S.UNKNOWN, undefined, ['success']],
    [S.UNKNOWN, undefined, ['always']],
    [S.UNKNOWN, 1, ['success']],
    [S.IN_AN_INCONSISTENT_STATE, undefined, ['success']],
    [S.IN_AN_INCONSISTENT_STATE, undefined, ['always']],
    [S.EXITING, 3, ['success']],
    [S.EXITING, undefined, ['always']],
  ];
  it.each(passes)('%s(%s) with %j → suitable', (state, code, modes) => {
    expect(reasonOf(withCode(code, modes), state)).toBeUndefined();
  });
});

describe('Syncer.sync without destination', () => {
  it.each([
    [undefined, 'host'],
    ['/path', undefined],
    [undefined, undefined],
    ['', 'host'],
    ['/path', ''],
  ])('work_dir=%j main_node=%j → QQError', (workDir, mainNode) => {
    const j: Partial<InfoFile> = {};
    if (workDir !== undefined) j.workDir = workDir;
    if (mainNode !== undefined) j.mainNode = mainNode;
    let err: unknown;
    try {
      ensureDestination(j);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QQError);
    expect((err as Error).message).toBe(MSG_NO_DEST);
  });

  it('returns the destination when both are set', () => {
    expect(ensureDestination({ workDir: '/w', mainNode: 'n' })).toEqual({
      host: 'n',
      workDir: '/w',
    });
  });

  it('naive queued + scheduler unknown (INCONSISTENT, never started): suitable, then no destination', () => {
    const queued = job({ workDir: undefined, mainNode: undefined });
    expect(reasonOf(queued, S.IN_AN_INCONSISTENT_STATE)).toBeUndefined();
    expect(() => ensureDestination(queued)).toThrow(MSG_NO_DEST);
  });

  it('naive running + scheduler unknown: suitable, sync is attempted', () => {
    expect(reasonOf(job(), S.IN_AN_INCONSISTENT_STATE)).toBeUndefined();
    expect(ensureDestination(job())).toEqual({ host: 'node', workDir: '/workdir' });
  });
});

describe('the decision table of docs/qq-behaviour.md §5.1 (scratch work dir ≠ input dir)', () => {
  // [state, exit code, modes, destination?, expected message or undefined]
  const rows: [RealState, number | undefined, TransferMode[], boolean, string | undefined][] = [];
  for (const st of [S.QUEUED, S.BOOTING, S.HELD, S.WAITING]) {
    for (const m of ['success', 'failure', 'always', 'never'] as TransferMode[]) {
      rows.push([st, undefined, [m], false, MSG_QUEUED]);
    }
  }
  for (const st of [S.RUNNING, S.SUSPENDED])
    rows.push([st, undefined, ['always'], true, undefined]);
  rows.push([S.FINISHED, 0, ['success'], true, MSG_SYNCED]);
  rows.push([S.FINISHED, 0, ['always'], true, MSG_SYNCED]);
  rows.push([S.FINISHED, 0, [0], true, MSG_SYNCED]);
  rows.push([S.FINISHED, 0, ['failure'], true, undefined]);
  rows.push([S.FINISHED, 0, ['never'], true, undefined]);
  rows.push([S.FAILED, 7, ['failure'], true, MSG_SYNCED]);
  rows.push([S.FAILED, 7, ['always'], true, MSG_SYNCED]);
  rows.push([S.FAILED, 7, [7], true, MSG_SYNCED]);
  rows.push([S.FAILED, 7, ['success'], true, undefined]);
  rows.push([S.FAILED, 7, ['never'], true, undefined]);
  rows.push([S.FAILED, 7, [3, -1], true, undefined]);
  rows.push([S.EXITING, 0, ['success'], true, MSG_SYNCED]);
  rows.push([S.EXITING, 0, ['always'], true, MSG_SYNCED]);
  rows.push([S.EXITING, 4, ['failure'], true, MSG_SYNCED]);
  rows.push([S.EXITING, 4, [4], true, MSG_SYNCED]);
  rows.push([S.EXITING, 4, ['success'], true, undefined]);
  rows.push([S.EXITING, undefined, ['always'], true, undefined]);
  rows.push([S.EXITING, undefined, ['always'], false, MSG_KILLED]);
  rows.push([S.KILLED, undefined, ['success'], true, undefined]);
  rows.push([S.KILLED, undefined, ['success'], false, MSG_KILLED]);
  rows.push([S.UNKNOWN, 2, ['success'], true, undefined]);
  rows.push([S.IN_AN_INCONSISTENT_STATE, undefined, ['never'], true, undefined]);
  rows.push([S.UNKNOWN, undefined, ['success'], false, undefined]);

  it.each(rows)('%s exit=%s modes=%j destination=%s → %s', (state, code, modes, dest, expected) => {
    const j = withCode(code, modes, dest ? {} : { workDir: undefined, mainNode: undefined });
    expect(reasonOf(j, state)).toBe(expected);
  });

  it('each message comes with its own code (the code decides, never the text)', () => {
    const codeOf: Record<string, string> = {
      [MSG_INPUT_DIR]: 'implicitly-synchronized',
      [MSG_SYNCED]: 'synchronized',
      [MSG_KILLED]: 'killed-no-work-dir',
      [MSG_QUEUED]: 'queued',
    };
    const seen = new Set<string>();
    for (const [state, code, modes, dest] of rows) {
      const j = withCode(code, modes, dest ? {} : { workDir: undefined, mainNode: undefined });
      const why = checkSuitable(j, state);
      if (!why) continue;
      expect(why.code).toBe(codeOf[why.message]);
      seen.add(why.code);
    }
    expect([...seen].sort()).toEqual(['killed-no-work-dir', 'queued', 'synchronized']);
    const inInput = checkSuitable(
      job({ workDir: '/in', inputDir: '/in', resources: { workDir: 'job_dir' } }),
      S.FAILED,
    );
    expect(inInput).toEqual({ code: 'implicitly-synchronized', message: MSG_INPUT_DIR });
  });
});

describe('Navigator predicates', () => {
  it('has_destination / get_destination', () => {
    expect(hasDestination({ workDir: undefined, mainNode: 'node' })).toBe(false);
    expect(hasDestination({ workDir: '/dir', mainNode: undefined })).toBe(false);
    expect(hasDestination({})).toBe(false);
    expect(hasDestination({ workDir: '/dir', mainNode: 'node' })).toBe(true);
    expect(getDestination({ workDir: '/dir', mainNode: 'node' })).toEqual({
      host: 'node',
      workDir: '/dir',
    });
    expect(getDestination({ workDir: '/dir' })).toBeUndefined();
    expect(getDestination({ mainNode: 'node' })).toBeUndefined();
  });

  it('is_queued', () => {
    const yes = new Set<RealState>([S.QUEUED, S.BOOTING, S.HELD, S.WAITING]);
    for (const s of ALL_STATES) expect(isQueued(s), s).toBe(yes.has(s));
  });

  it('is_killed', () => {
    expect(isKilled(S.KILLED, undefined)).toBe(true);
    expect(isKilled(S.KILLED, 0)).toBe(true);
    expect(isKilled(S.EXITING, undefined)).toBe(true);
    expect(isKilled(S.EXITING, 1)).toBe(false);
    expect(isKilled(S.EXITING, 0)).toBe(false);
    expect(isKilled(S.FINISHED, undefined)).toBe(false);
  });

  it('is_synchronized (Informer.should_transfer_files for lists of modes)', () => {
    expect(isSynchronized(undefined, ['always'])).toBe(false);
    expect(isSynchronized(0, ['success'])).toBe(true);
    expect(isSynchronized(0, ['failure', 'never'])).toBe(false);
    expect(isSynchronized(3, ['success', 3])).toBe(true);
    expect(isSynchronized(3, ['success', 4])).toBe(false);
    expect(isSynchronized(-1, ['failure'])).toBe(true);
    expect(isSynchronized(0, [])).toBe(false);
  });
});

describe('work_dir_is_input_dir', () => {
  const same = { workDir: '/home/u/run', inputDir: '/home/u/run' };
  it("qq's table", () => {
    expect(workDirIsInputDir(job({ workDir: undefined }))).toBe(false);
    expect(workDirIsInputDir(job({ workDir: '/a', inputDir: '/b' }))).toBe(false);
    // shared (not scratch), different nodes → true
    expect(
      workDirIsInputDir(
        job({ ...same, resources: { workDir: 'input_dir' }, mainNode: 'n1', inputMachine: 'n2' }),
      ),
    ).toBe(true);
    // scratch, same node → true
    expect(workDirIsInputDir(job({ ...same, mainNode: 'n1', inputMachine: 'n1' }))).toBe(true);
    // scratch, different node → false
    expect(workDirIsInputDir(job({ ...same, mainNode: 'n1', inputMachine: 'n2' }))).toBe(false);
    // shared, same node → true
    expect(
      workDirIsInputDir(
        job({ ...same, resources: { workDir: 'job_dir' }, mainNode: 'n1', inputMachine: 'n1' }),
      ),
    ).toBe(true);
  });

  it("needs a destination (qq's _work_dir is None without main_node)", () => {
    expect(
      workDirIsInputDir(job({ ...same, resources: { workDir: 'input_dir' }, mainNode: undefined })),
    ).toBe(false);
  });

  it('a missing work-dir type counts as scratch', () => {
    expect(
      workDirIsInputDir(job({ ...same, resources: {}, mainNode: 'a', inputMachine: 'b' })),
    ).toBe(false);
    expect(
      workDirIsInputDir(
        job({ ...same, resources: { workDir: 'Input-Dir' }, mainNode: 'a', inputMachine: 'b' }),
      ),
    ).toBe(true);
  });

  it('paths are compared logically: . and .. collapsed as text, trailing / ignored', () => {
    const nonScratch = { resources: { workDir: 'input_dir' } };
    expect(
      workDirIsInputDir(
        job({ ...nonScratch, workDir: '/home/u/x/../run/', inputDir: '/home/u/./run' }),
      ),
    ).toBe(true);
    expect(
      workDirIsInputDir(job({ ...nonScratch, workDir: 'run', inputDir: '/home/u/run' }), '/home/u'),
    ).toBe(true);
    expect(
      workDirIsInputDir(
        job({ ...nonScratch, workDir: 'run', inputDir: '/home/u/run' }),
        '/elsewhere',
      ),
    ).toBe(false);
  });

  it('host names: FQDN and short name of the same host match', () => {
    expect(
      workDirIsInputDir(
        job({ ...same, mainNode: 'tarkil12.metacentrum.cz', inputMachine: 'tarkil12' }),
      ),
    ).toBe(true);
    expect(
      workDirIsInputDir(
        job({ ...same, mainNode: 'TARKIL12', inputMachine: 'tarkil12.metacentrum.cz' }),
      ),
    ).toBe(true);
    expect(
      workDirIsInputDir(
        job({ ...same, mainNode: 'tarkil13', inputMachine: 'tarkil12.metacentrum.cz' }),
      ),
    ).toBe(false);
  });
});

describe('normalizeLogical', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qq-sync-logical-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('collapses . and .. as text and anchors relative paths to cwd', () => {
    expect(normalizeLogical('/a/b/../c/./d/', '/')).toBe('/a/c/d');
    expect(normalizeLogical('x/../y', '/base/dir')).toBe('/base/dir/y');
    expect(normalizeLogical('../..', '/a/b/c')).toBe('/a');
    expect(normalizeLogical('/..', '/x')).toBe('/');
    expect(normalizeLogical('/a//b', '/')).toBe('/a/b');
  });

  it('does not follow symlinks (a link and its target stay different)', () => {
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    expect(normalizeLogical(join(dir, 'link'), '/')).toBe(join(dir, 'link'));
    expect(normalizeLogical(join(dir, 'link', '..', 'real'), '/')).toBe(join(dir, 'real'));
    const info = job({
      workDir: join(dir, 'link'),
      inputDir: join(dir, 'real'),
      resources: { workDir: 'input_dir' },
    });
    expect(workDirIsInputDir(info)).toBe(false);
  });
});

describe('hostsMatch', () => {
  it.each([
    ['node1.cluster.org', 'node1.cluster.org', true],
    ['NODE1.Cluster.org', 'node1.cluster.ORG', true],
    ['node1', 'node1.cluster.org', true],
    ['node1.cluster.org', 'node1', true],
    ['node1.cluster.org.', 'node1.cluster.org', true],
    ['node1', 'node1', true],
    ['node1', 'node2.cluster.org', false],
    ['node1.a.org', 'node1.b.org', false],
    ['node1', 'node10', false],
    ['node', 'node1.cluster.org', false],
    ['', '', false],
    ['', 'node1', false],
  ])('%j vs %j → %s', (a, b, expected) => {
    expect(hostsMatch(a, b)).toBe(expected);
  });
  it('missing names never match', () => {
    expect(hostsMatch(undefined, undefined)).toBe(false);
    expect(hostsMatch(undefined, 'x')).toBe(false);
  });
});

describe('Informer.matches_job', () => {
  const full = '12345.fake.server.com';
  it.each(['12345', '12345.fake', '12345.FAKE.SERVER.COM', '12345.....fake.server.com', full])(
    '%j matches',
    (id) => {
      expect(jobIdMatches(full, id)).toBe(true);
      expect(jobIdMatches(id, full)).toBe(true);
    },
  );
  it.each([
    '54321',
    '123456.fake.server.com',
    '1234.fake.server.com',
    '',
    '.fake.server.com',
    'abcd.fake.server.com',
  ])('%j does not match', (id) => {
    expect(jobIdMatches(full, id)).toBe(false);
  });
  it('Slurm ids', () => {
    expect(jobIdMatches('3123456', '3123456')).toBe(true);
    expect(jobIdMatches('3123456', '3123457')).toBe(false);
  });
});

describe('state texts (docs/qq-behaviour.md §2.6)', () => {
  it('messages', () => {
    const expected: Record<string, string> = {
      QUEUED: 'Job is queued',
      HELD: 'Job is held',
      WAITING: 'Job is waiting',
      SUSPENDED: 'Job is suspended',
      RUNNING: 'Job is running',
      BOOTING: 'Job is booting',
      KILLED: 'Job has been killed',
      FAILED: 'Job has failed',
      FINISHED: 'Job has finished',
      EXITING: 'Job is exiting',
      IN_AN_INCONSISTENT_STATE: 'Job is in an inconsistent state',
      UNKNOWN: 'Job is in an unknown state',
    };
    expect(Object.keys(expected).sort()).toEqual([...ALL_STATES].sort());
    for (const s of ALL_STATES) expect(stateMessage(s)).toBe(expected[s]);
  });

  const info = {
    submissionTime: '2026-04-20 10:15:02',
    startTime: '2026-04-20 10:17:40',
    mainNode: 'tarkil12.metacentrum.cz',
    allNodes: ['tarkil12.metacentrum.cz'],
  };
  const now = new Date(2026, 3, 28, 11, 20, 45); // local time, as qq's datetime.now()

  it('details', () => {
    const q = { submissionTime: '2026-04-20 10:15:02' };
    expect(stateDetails(S.QUEUED, q, { now })).toBe('In queue for 1w 1d 01:05:43');
    expect(stateDetails(S.HELD, q, { now: new Date(2026, 3, 20, 10, 16, 0) })).toBe(
      'In queue for 00:00:58',
    );
    expect(stateDetails(S.WAITING, q, { now: new Date(2026, 3, 21, 10, 15, 2) })).toBe(
      'In queue for 1d 00:00:00',
    );
    expect(stateDetails(S.SUSPENDED, info, { now })).toBe('');
    expect(stateDetails(S.RUNNING, info, { now: new Date(2026, 3, 20, 12, 17, 41) })).toBe(
      "Running for 02:00:01 on 'tarkil12.metacentrum.cz'",
    );
    expect(stateDetails(S.RUNNING, { ...info, allNodes: ['a', 'b'] }, { now })).toMatch(
      / on 'tarkil12.metacentrum.cz' and 1 other node$/,
    );
    expect(stateDetails(S.RUNNING, { ...info, allNodes: ['a', 'b', 'c'] }, { now })).toMatch(
      / and 2 other nodes$/,
    );
    expect(stateDetails(S.RUNNING, { ...info, allNodes: undefined }, { now })).toMatch(
      / on unknown node\(s\)$/,
    );
    expect(stateDetails(S.BOOTING, info, { batchMainNode: 'n7' })).toBe(
      "Preparing working directory on 'n7'",
    );
    const done = { ...info, completionTime: '2026-04-21 03:02:11' };
    expect(stateDetails(S.KILLED, done)).toBe('Killed at 2026-04-21 03:02:11');
    expect(stateDetails(S.FAILED, { ...done, jobExitCode: 3 })).toBe(
      'Failed at 2026-04-21 03:02:11 [exit code: 3]',
    );
    expect(stateDetails(S.FINISHED, { ...done, jobExitCode: 0 })).toBe(
      'Completed at 2026-04-21 03:02:11',
    );
    expect(stateDetails(S.EXITING, done)).toBe('Job is being killed');
    expect(stateDetails(S.EXITING, { ...done, jobExitCode: 0 })).toBe(
      'Job is finishing successfully',
    );
    expect(stateDetails(S.EXITING, { ...done, jobExitCode: 2 })).toBe(
      'Job is failing [exit code: 2]',
    );
    expect(stateDetails(S.IN_AN_INCONSISTENT_STATE, info)).toBe(
      'The batch system and qq disagree on the status of the job',
    );
    expect(stateDetails(S.UNKNOWN, info)).toBe('Job is in a state that qq does not recognize');
  });

  it('durations as [Nw ][Nd ]HH:MM:SS', () => {
    expect(formatDurationWdhhmmss(45)).toBe('00:00:45');
    expect(formatDurationWdhhmmss(86400 + 2 * 3600 + 3 * 60 + 4)).toBe('1d 02:03:04');
    expect(formatDurationWdhhmmss(10 * 86400 + 5 * 3600 + 6 * 60 + 7)).toBe('1w 3d 05:06:07');
    expect(formatDurationWdhhmmss(100 * 3600)).toBe('4d 04:00:00');
  });
});
