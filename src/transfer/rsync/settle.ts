/**
 * The rsync transport's settle step (type-change.ts): with `overwrite: newer`, rsync moves aside
 * what it replaces into the run's own backup directory, made before rsync first runs. Once the
 * whole job has run, in one stream or many, each such entry is put back (a newer file where the
 * job has a directory: refused and named) or removed, and what was written under a directory
 * removed again is no longer reported.
 *
 * Only where something of the user's can be displaced: a destination that is not there yet or
 * is empty when the lock is taken holds nothing a directory of the job could replace (every
 * entry in it later is the job's, written by this run; the lock keeps other syncs out), so
 * rsync runs without `--backup` — which costs it per file — and nothing is made or settled.
 * One look at the destination (its first entry), no walk.
 */
import { opendir } from 'node:fs/promises';
import { QQError } from '../../domain/errors.js';
import { errorMessage } from '../../util/errors.js';
import { rsyncFailure, TransferError } from '../errors.js';
import type { Job } from '../job.js';
import type { HeldLock } from '../lock/index.js';
import type { Outcome, RunJob } from '../transport.js';
import {
  type DisplacedDir,
  keepDisplaced,
  makeDisplacedDir,
  type Settled,
  settleDisplaced,
  settledProblems,
} from '../type-change.js';
import { endpoint } from './index.js';

/** rsync's exits after a whole pass in which some entries failed or vanished. */
const RSYNC_PARTIAL = 23;
const RSYNC_VANISHED = 24;

/** The run's outcome or its error, as the settle step weighs them. */
type Ran = { value: Outcome; failed: false } | { failure: unknown; failed: true };

/** Under the lock: the job run with rsync's backup directory, then what it holds settled. */
export async function settleRsync(lock: HeldLock, job: Job, run: RunJob): Promise<Outcome> {
  const own = job.ownDir;
  if (!own || job.overwrite !== 'newer' || (await nothingToDisplace(job.destination))) {
    return run(job, async () => {});
  }
  const backed: Job = { ...job, ownDir: { ...own, backup: true } };
  let made: DisplacedDir | undefined;
  const prepare = async () => {
    if (made) return;
    try {
      const m = await makeDisplacedDir(job.destination, own.name);
      made = m.dir;
      await lock.recordDisplaced(m.st);
    } catch (e) {
      throw new QQError(
        `Cannot write to the destination '${job.destination}': ${errorMessage(e)}.`,
      );
    }
  };
  const ran: Ran = await run(backed, prepare).then(
    (value) => ({ value, failed: false as const }),
    (failure: unknown) => ({ failure, failed: true as const }),
  );
  if (!made) {
    if (ran.failed) throw ran.failure;
    return ran.value;
  }
  return settleAfter(job, made, ran);
}

/**
 * True when `destination` is not there or holds no entry at all (its first entry is looked
 * at, through a symlink as rsync goes). Anything else — an entry of any name or kind, a
 * destination that cannot be read or is not a directory — is taken as something that could
 * be displaced: rsync then runs with its backup directory, as before.
 */
export async function nothingToDisplace(destination: string): Promise<boolean> {
  let dir: Awaited<ReturnType<typeof opendir>>;
  try {
    dir = await opendir(destination, { bufferSize: 1 });
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
  try {
    return (await dir.read()) === null;
  } catch {
    return false;
  } finally {
    await dir.close().catch(() => {});
  }
}

/** Put back or remove what rsync moved aside; the outcome less what was removed, or the error. */
async function settleAfter(job: Job, made: DisplacedDir, ran: Ran): Promise<Outcome> {
  // rsync went through the whole tree (exit 0, or 23/24: some entries failed): the
  // directories it made have the job's times. Otherwise every displaced entry is put back.
  const exit =
    ran.failed && ran.failure instanceof TransferError ? ran.failure.rsyncExit : undefined;
  const complete = !ran.failed || exit === RSYNC_PARTIAL || exit === RSYNC_VANISHED;
  const settled = await settleDisplaced(job.destination, made, {
    runFailed: !complete,
    refuse: true,
  }).catch(async (e: unknown) => {
    // Cannot read or move (permissions, the disk): nothing of the user's hidden away.
    const kept = await keepDisplaced(job.destination, made.name);
    throw new TransferError(
      `Cannot put back what rsync moved aside in '${job.destination}' (${errorMessage(e)}): it is kept in '${kept}' there.`,
      false,
    );
  });
  let value = ran.failed ? undefined : ran.value;
  for (const r of settled.removed) {
    job.onRetract?.(r.rel);
    if (value) value = { ...value, files: value.files - r.files, bytes: value.bytes - r.bytes };
  }
  const lines = settledLines(job, settled);
  if (ran.failed) throw withLines(ran.failure, lines);
  if (lines.length > 0) {
    throw new TransferError(
      rsyncFailure(endpoint(job.host, job.workDir), job.destination, lines.join('\n')),
      false,
    );
  }
  return value as Outcome;
}

/** The entries refused and the problems met while settling (the problems also told). */
function settledLines(job: Job, settled: Settled): string[] {
  const lines = [...settled.refused];
  const problems = settledProblems(settled);
  if (problems) {
    job.onMessage?.(problems);
    lines.push(problems.replace(/\.$/, ''));
  }
  return lines;
}

/** The run's error with the settle step's lines after its sentence (or as it was, with none). */
function withLines(failure: unknown, lines: string[]): unknown {
  if (lines.length === 0 || !(failure instanceof Error)) return failure;
  const message = failure.message.replace(/\.$/, '');
  const hint = failure instanceof TransferError ? failure.hint : undefined;
  return new TransferError(`${message}\n${lines.join('\n')}.`, false, undefined, hint);
}
