import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ANNOTATION_LIMIT,
  aggregateAnnotations,
  annotationsOf,
} from '../../src/action/annotations.js';
import { computeOutputs, OUTPUT_NAMES } from '../../src/action/outputs.js';
import { type RunReport, reportOrder } from '../../src/action/report.js';
import { type JobResult, overallStatus } from '../../src/action/result.js';
import {
  escapeHtml,
  HEADLINE_MAX,
  headline,
  renderSummary,
  SUMMARY_LIMIT,
} from '../../src/action/summary.js';

function job(over: Partial<JobResult>): JobResult {
  return {
    id: '1.pbs',
    name: 'run.sh',
    infoFile: '/x/run.qqinfo',
    state: 'running',
    status: 'synced',
    reason: '',
    exitCode: null,
    filesSynced: 2,
    bytesSynced: 10,
    destination: '/x',
    cacheHit: false,
    cacheKey: '',
    mainNode: 'node1',
    workDir: '/scratch/1',
    inputDir: '/x',
    durationMs: 5,
    reasonCode: 'fetched',
    method: 'rsync',
    attempts: 1,
    ...over,
  };
}

function report(results: JobResult[], over: Partial<RunReport> = {}): RunReport {
  return { results, fatal: '', hits: [], tookMs: 5, heading: '', workspace: '/x', ...over };
}

describe('outputs', () => {
  it('names exactly the outputs of action.yml', () => {
    const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8'));
    expect([...OUTPUT_NAMES].sort()).toEqual(Object.keys(action.outputs).sort());
  });

  it('sets every output, empty where it does not apply, when there are no jobs', () => {
    const out = computeOutputs([], 'No qq job info file found.');
    expect(Object.keys(out).sort()).toEqual([...OUTPUT_NAMES].sort());
    expect(out.status).toBe('failed');
    expect(out.reason).toBe('No qq job info file found.');
    expect(out['job-id']).toBe('');
    expect(out.jobs).toBe('[]');
    expect(out['cache-hit']).toBe('false');
    expect(out['files-synced']).toBe('0');
  });

  it('reports the first job, totals over all, and the first failure as the reason', () => {
    const out = computeOutputs([
      job({ exitCode: 0 }),
      job({
        id: '2.pbs',
        status: 'skipped',
        reason: 'Job is queued or booting: nothing to sync.',
        filesSynced: 0,
        bytesSynced: 0,
      }),
      job({
        id: '3.pbs',
        status: 'failed',
        reason: 'boom',
        filesSynced: 1,
        bytesSynced: 5,
        cacheHit: true,
      }),
    ]);
    expect(out.status).toBe('failed');
    expect(out['job-id']).toBe('1.pbs');
    expect(out['exit-code']).toBe('0');
    expect(out.reason).toBe('boom');
    expect(out['files-synced']).toBe('3');
    expect(out['bytes-synced']).toBe('15');
    expect(out['cache-hit']).toBe('true');
    const jobs = JSON.parse(out.jobs);
    expect(jobs).toHaveLength(3);
    expect(Object.keys(jobs[0]).sort()).toEqual(
      [
        'id',
        'name',
        'infoFile',
        'state',
        'stateCode',
        'status',
        'reason',
        'exitCode',
        'filesSynced',
        'bytesSynced',
        'filesWouldSync',
        'bytesWouldSync',
        'destination',
        'cacheHit',
        'cacheKey',
        'changedFiles',
        'changedFilesCount',
      ].sort(),
    );
  });

  it('derives the overall status as the contract says', () => {
    expect(overallStatus([job({}), job({ status: 'skipped' })])).toBe('synced');
    expect(overallStatus([job({ status: 'skipped' })])).toBe('skipped');
    expect(overallStatus([job({}), job({ status: 'failed' })])).toBe('failed');
    // A dry run never says synced.
    expect(overallStatus([job({ status: 'dry-run' }), job({ status: 'skipped' })])).toBe('dry-run');
    expect(overallStatus([job({ status: 'dry-run' }), job({ status: 'failed' })])).toBe('failed');
  });

  it('tells failing jobs first, then the others, each in the order found', () => {
    const [a, b, c, d] = [
      job({ id: 'a' }),
      job({ id: 'b', status: 'failed' }),
      job({ id: 'c', status: 'skipped' }),
      job({ id: 'd' }),
    ] as const;
    const hits = [{ result: d, condition: 'unsuitable' as const }];
    expect(reportOrder([a, b, c, d], hits).map((r) => r.id)).toEqual(['b', 'd', 'a', 'c']);
  });
});

describe('summary', () => {
  it('escapes every value that comes from a job', () => {
    const html = renderSummary(
      report([
        job({
          id: '<img src=x onerror=alert(1)>',
          name: '"a"&b',
          status: 'failed',
          reasonCode: 'error',
          reason: '<script>x</script>',
        }),
      ]),
    );
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&quot;a&quot;&amp;b');
    expect(escapeHtml(`'`)).toBe('&#39;');
  });

  it('says in words what happened to a single job', () => {
    const failed = job({ state: 'failed', exitCode: 1, filesSynced: 4, bytesSynced: 157 });
    expect(headline(report([failed]))).toBe(
      'Job 1.pbs (run.sh) failed (exit 1); its files were fetched (4 files, 157 B).',
    );
    const queued = job({
      state: 'queued',
      status: 'skipped',
      reasonCode: 'queued',
      reason: 'Job is queued or booting: nothing to sync.',
    });
    expect(headline(report([queued]))).toBe(
      'Job 1.pbs (run.sh) is queued; nothing to fetch (queued).',
    );
  });

  it('a campaign: one headline with the counts by state and by outcome, at most 200 characters', () => {
    const results = [
      job({ id: '1', state: 'finished', exitCode: 0 }),
      job({ id: '2', state: 'failed', exitCode: 1 }),
      job({ id: '3', state: 'queued', status: 'skipped', reasonCode: 'queued' }),
      job({
        id: '4',
        state: 'running',
        status: 'failed',
        reasonCode: 'transfer-failed',
        reason: 'x',
      }),
    ];
    expect(headline(report(results))).toBe(
      '4 jobs: 2 fetched (4 files, 20 B), 1 nothing to fetch, 1 could not be fetched; 1 job failed on the cluster.',
    );
    const finished = [job({ id: '1', state: 'finished' }), job({ id: '2', state: 'finished' })];
    expect(headline(report(finished))).toBe('2 jobs, all finished: 2 fetched (4 files, 20 B).');
    const long = results.map((r) => ({ ...r, name: 'n'.repeat(500) }));
    expect(headline(report([long[0] as JobResult])).length).toBeLessThanOrEqual(HEADLINE_MAX);
  });

  it('a row per job: mark, job, name, state, exit, outcome with its reason, files, bytes, destination, time', () => {
    const reason = `Could not rsync files between 'n1:/scratch/7' and '/x/out/7': ${'e'.repeat(300)}`;
    const html = renderSummary(
      report([
        job({
          id: '7',
          state: 'running',
          status: 'failed',
          reasonCode: 'transfer-failed',
          reason,
          destination: '/x/out/7',
        }),
        job({
          id: '8',
          state: 'finished',
          exitCode: 0,
          destination: '/x/out/8',
          method: 'rsync over ssh',
          attempts: 2,
        }),
      ]),
    );
    expect(html).toContain(
      '<tr><th></th><th>Job</th><th>Name</th><th>State</th><th>Exit</th><th>Outcome</th><th>Files</th><th>Bytes</th><th>Destination</th><th>Time</th></tr>',
    );
    // The reason on its row: short, the whole text one click away.
    expect(html).toMatch(
      /<tr><td>✖<\/td><td>7<\/td><td>run.sh<\/td><td>🟦&nbsp;running<\/td><td><\/td><td><details><summary>failed: Could not rsync files between &#39;n1:\/scratch\/7&#39;.{0,120}…<\/summary>Could not rsync files.*e{300}<\/details><\/td><td><\/td><td><\/td><td>out\/7<\/td>/,
    );
    expect(html).toContain(
      '<tr><td>✔</td><td>8</td><td>run.sh</td><td>🟩&nbsp;finished</td><td>0</td><td>fetched (over ssh, 2 attempts)</td><td>2</td><td>10&nbsp;B</td><td>out/8</td><td>5&nbsp;ms</td></tr>',
    );
    // No Reasons list under the table: each reason is on its row.
    expect(html).not.toContain('<h3>Reasons</h3>');
  });

  it('one vocabulary for states: the words of fail-on, also for qq’s “in an inconsistent state”', () => {
    const html = renderSummary(report([job({ state: 'in an inconsistent state' })]));
    expect(html).toContain('<td>🟪&nbsp;inconsistent</td>');
    expect(html).toContain('is in an inconsistent state');
  });

  it('a bar of states only for several jobs in several states, in colours that mean the state', () => {
    const same = renderSummary(
      report([job({ id: '1', state: 'finished' }), job({ id: '2', state: 'finished' })]),
    );
    expect(same).not.toContain('<p>🟩');
    const mixed = renderSummary(
      report([
        job({ id: '1', state: 'finished' }),
        job({ id: '2', state: 'failed' }),
        job({ id: '3', state: 'running' }),
      ]),
    );
    expect(mixed).toContain('<p>🟩🟥🟦<br>🟩 finished 1 · 🟥 failed 1 · 🟦 running 1</p>');
    expect(mixed).not.toContain('mermaid');
  });

  it('stays under the 1 MiB limit with a huge campaign, saying what it left out', () => {
    const many = Array.from({ length: 20_000 }, (_, i) =>
      job({ id: `${i}.pbs`, status: 'failed', reasonCode: 'error', reason: 'x'.repeat(500) }),
    );
    const html = renderSummary(report(many));
    expect(Buffer.byteLength(html)).toBeLessThan(1024 * 1024);
    expect(html.length).toBeLessThanOrEqual(SUMMARY_LIMIT + 10_000);
    expect(html).toMatch(/\d+ more job\(s\) not shown/);
  });
});

describe('annotations', () => {
  it('keeps at most the runner limit, the last one aggregating the rest', () => {
    const items = Array.from({ length: 25 }, (_, i) => ({ title: `job ${i}`, message: `m${i}` }));
    const out = aggregateAnnotations(items, 'jobs failed');
    expect(out).toHaveLength(ANNOTATION_LIMIT);
    expect(out[ANNOTATION_LIMIT - 1]?.title).toBe('qq-sync: 16 more jobs failed');
    expect(out[ANNOTATION_LIMIT - 1]?.message).toContain('job 9, job 10');
    expect(out[ANNOTATION_LIMIT - 1]?.message).toContain('job 24');
    expect(aggregateAnnotations(items.slice(0, 10), 'x')).toHaveLength(10);
  });

  it('a failed or killed job the step does not gate on: one warning naming it, its state and exit code', () => {
    const r = job({
      id: '5001.pbs-m1',
      name: 'ala-300K',
      state: 'failed',
      exitCode: 1,
      filesSynced: 4,
      bytesSynced: 157,
    });
    const out = annotationsOf(report([r]));
    expect(out.error).toEqual([]);
    expect(out.warning).toEqual([
      {
        title: 'qq-sync: 5001.pbs-m1 failed',
        message:
          'Job 5001.pbs-m1 (ala-300K) failed (exit 1); fetched 4 files, 157 B. The step does not fail on it (fail-on: failed would).',
      },
    ]);
    // Gated: the fail-on error says it, with a title, and no warning repeats it.
    const gated = annotationsOf(report([r], { hits: [{ result: r, condition: 'FAILED' }] }));
    expect(gated.warning).toEqual([]);
    expect(gated.error).toEqual([
      {
        title: 'qq-sync: fail-on',
        message: 'fail-on: job 5001.pbs-m1 (ala-300K) failed (exit 1).',
      },
    ]);
  });

  it('every message names its job and is one line (no raw CR/LF from ssh or rsync)', () => {
    const out = annotationsOf(
      report([
        job({
          id: '1',
          status: 'skipped',
          state: 'queued',
          reasonCode: 'queued',
          reason: 'Job is queued or booting: nothing to sync.',
        }),
        job({
          id: '2',
          status: 'failed',
          reasonCode: 'transfer-failed',
          reason: 'Could not rsync\r\nssh: connect refused\r\n',
        }),
      ]),
    );
    expect(out.warning[0]?.message).toBe('1 (run.sh): Job is queued or booting: nothing to sync.');
    expect(out.error[0]?.message).toBe('2 (run.sh): Could not rsync ssh: connect refused');
  });

  it('all kinds together stay within the limit per kind', () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      job({ id: `${i}`, status: 'skipped', state: 'queued', reasonCode: 'queued', reason: 'q' }),
    );
    const unmatched = job({ id: 'u', unmatchedFiles: ['a', 'b'] });
    const out = annotationsOf(report([...many, unmatched]));
    expect(out.warning).toHaveLength(ANNOTATION_LIMIT);
    expect(out.warning.at(-1)?.title).toBe('qq-sync: 23 more warnings');
    // Warnings printed earlier in the run (a scheduler not asked …) count against the limit.
    const after3 = annotationsOf(report([...many, unmatched]), 3);
    expect(after3.warning).toHaveLength(ANNOTATION_LIMIT - 3);
    expect(after3.warning.at(-1)?.title).toBe('qq-sync: 26 more warnings');
    // A cancel's own error is one of the ten errors.
    const failed = many.map((r) => ({
      ...r,
      status: 'failed' as const,
      reasonCode: 'cancelled' as const,
    }));
    expect(annotationsOf(report(failed, { cancelled: 'SIGINT' })).error).toHaveLength(
      ANNOTATION_LIMIT - 1,
    );
  });
});
