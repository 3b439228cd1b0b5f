/**
 * `wait-for`: poll every job (one scheduler call per batch system per poll) until its real
 * state is one of the wanted ones, at most `wait-timeout` seconds. With `follow`, new lines of
 * the jobs' stdout/stderr files are streamed into the log meanwhile. A cancel ends the wait at
 * once: the jobs still waiting get the cancel as their error.
 */

import * as core from '@actions/core';
import type { BatchContext } from '../../batch/types.js';
import { type RealState, realStateToString } from '../../domain/states.js';
import { sleep } from '../../util/sleep.js';
import { signalNameOf } from '../cancel.js';
import type { Settings } from '../inputs.js';
import { warnEarly } from '../report/annotations.js';
import type { Follower } from './follow.js';
import { realStateOf, refreshStates } from './real-states.js';
import type { Job } from './targets.js';

function stateName(s: RealState | undefined): string {
  return s ? realStateToString(s) : 'not known';
}

/** `finished`, `finished or failed`, `finished, failed or killed` */
function orList(words: readonly string[]): string {
  return words.length < 2
    ? (words[0] ?? '')
    : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/**
 * Returns once every job is done waiting; jobs still waiting at the deadline get an error.
 * Returns how long each job waited (until the poll that found it in a wanted state), for the
 * summary's Time.
 */
export async function waitForStates(
  jobs: readonly Job[],
  settings: Settings,
  ctx: BatchContext,
  follower: Follower | undefined,
  now: () => number = Date.now,
): Promise<Map<Job, number>> {
  const wanted = orList([...settings.waitFor].map(realStateToString));
  const started = now();
  const deadline = started + settings.waitTimeoutSec * 1000;
  const waited = new Map<Job, number>();
  let polls = 0;
  for (;;) {
    const pending = jobs.filter((j) => {
      const s = realStateOf(j);
      return s !== undefined && !settings.waitFor.has(s);
    });
    const stillWaiting = new Set(pending);
    for (const j of jobs)
      if (!stillWaiting.has(j) && !waited.has(j)) waited.set(j, now() - started);
    if (ctx.signal?.aborted) {
      for (const j of pending) {
        j.errorCode = 'cancelled';
        j.error = `Cancelled (${signalNameOf(ctx.signal.reason)}) while waiting until the job is ${wanted}; its last state was '${stateName(realStateOf(j))}'.`;
        waited.set(j, now() - started);
      }
      return waited;
    }
    if (follower) await follower.poll(jobs);
    if (pending.length === 0) {
      if (polls > 0) core.info(`All jobs reached one of: ${wanted}.`);
      return waited;
    }
    const remaining = deadline - now();
    if (remaining <= 0) {
      for (const j of pending) {
        j.errorCode = 'wait-timeout';
        j.error = `Timed out after ${settings.waitTimeoutSec} s waiting until the job is ${wanted}; its last state was '${stateName(realStateOf(j))}'.`;
        waited.set(j, now() - started);
      }
      return waited;
    }
    const sample = pending
      .slice(0, 5)
      .map((j) => `${j.info?.jobId ?? j.label} is ${stateName(realStateOf(j))}`)
      .join(', ');
    core.info(
      `Waiting until ${pending.length === 1 ? '1 job is' : `${pending.length} jobs are`} ${wanted} (${sample}${pending.length > 5 ? ', …' : ''}); next poll in ${Math.ceil(Math.min(settings.pollIntervalSec * 1000, remaining) / 1000)} s.`,
    );
    await sleep(Math.min(settings.pollIntervalSec * 1000, remaining), ctx.signal);
    if (ctx.signal?.aborted) continue;
    polls++;
    await refreshStates(pending, settings, ctx, {
      reread: true,
      all: true,
      warn: (m) => warnEarly(m),
    });
  }
}
