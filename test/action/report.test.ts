import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CancelledError, cancelMessage } from '../../src/action/cancel.js';
import {
  ANNOTATION_LIMIT,
  aggregateAnnotations,
  annotationsOf,
} from '../../src/action/report/annotations.js';
import { computeOutputs, OUTPUT_NAMES } from '../../src/action/report/outputs.js';
import { type RunReport, reportOrder, stepFailure } from '../../src/action/report/report.js';
import { type JobResult, overallStatus } from '../../src/action/report/result.js';
import {
  escapeHtml,
  HEADLINE_MAX,
  headline,
  renderSummary,
  SUMMARY_LIMIT,
} from '../../src/action/report/summary/summary.js';

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
          filesSynced: 0,
          bytesSynced: 0,
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
    // The reason on its row: short, the whole text one click away; no destination (nothing
    // was fetched into it).
    expect(html).toMatch(
      /<tr><td>✖<\/td><td>7<\/td><td>run.sh<\/td><td>🟦&nbsp;running<\/td><td><\/td><td><details><summary>failed: Could not rsync files between &#39;n1:\/scratch\/7&#39;.{0,120}…<\/summary>Could not rsync files.*e{300}<\/details><\/td><td><\/td><td><\/td><td><\/td>/,
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

describe('summary read at a glance (issue 27)', () => {
  const rowsOf = (html: string) => [...html.matchAll(/<tr><td>(.*?)<\/td><td>(.*?)<\/td>/g)];

  it('the rows that made the step fail first; the first column is the outcome for the user, with a legend', () => {
    const ok = job({ id: 'ok', state: 'finished', exitCode: 0 });
    const failedFetched = job({ id: 'ff', state: 'failed', exitCode: 3 });
    const killedFetched = job({ id: 'kf', state: 'killed' });
    const notFetched = job({
      id: 'nf',
      state: 'running',
      status: 'failed',
      reasonCode: 'transfer-failed',
      reason: 'boom',
      filesSynced: 0,
      bytesSynced: 0,
    });
    const queued = job({ id: 'q', state: 'queued', status: 'skipped', reasonCode: 'queued' });
    const html = renderSummary(report([ok, failedFetched, queued, killedFetched, notFetched]));
    expect(rowsOf(html).map((m) => `${m[1]} ${m[2]}`)).toEqual([
      '✖ nf',
      '⚠️ ff',
      '⚠️ kf',
      '✔ ok',
      '– q',
    ]);
    expect(html).toContain(
      '<p><sub>✔ fetched · ⚠️ fetched, but the job failed or was killed · ✖ not fetched: an error (the step fails) · – nothing to fetch</sub></p>',
    );
    // Failed and killed: two colours.
    expect(html).toContain('<td>🟥&nbsp;failed</td>');
    expect(html).toContain('<td>🟧&nbsp;killed</td>');
    // A fail-on hit comes first too.
    const gated = renderSummary(
      report([ok, queued], { hits: [{ result: queued, condition: 'unsuitable' }] }),
    );
    expect(rowsOf(gated).map((m) => m[2])).toEqual(['q', 'ok']);
  });

  it('no destination for a job with nothing fetched; Time includes the wait', () => {
    const html = renderSummary(
      report([
        job({ id: 'a', destination: '/x/out/a', durationMs: 120, waitedMs: 8000 }),
        job({
          id: 'b',
          status: 'failed',
          reasonCode: 'work-dir-missing',
          reason: 'gone',
          filesSynced: 0,
          destination: '/x/out/b',
        }),
      ]),
    );
    expect(html).toContain(
      '<td>out/a</td><td>8.1&nbsp;s<br><sub>waited&nbsp;8.0&nbsp;s</sub></td>',
    );
    expect(html).not.toContain('out/b');
  });

  it('a dry run says what it would fetch', () => {
    const dry = {
      ...job({ id: 'd', reasonCode: 'dry-run', filesSynced: 0, bytesSynced: 0 }),
      filesWouldSync: 15,
      bytesWouldSync: 270105,
    };
    const html = renderSummary(report([dry]));
    expect(html).toContain('would fetch 15 files (263.8 KiB)');
    expect(html).toMatch(/<tr><td>○<\/td>/);
    expect(html).toContain('dry run: 15 files (263.8 KiB) would be fetched');
  });

  it('an input error appears once, whole', () => {
    const fatal = `Input 'fail-on' has an unknown condition 'fialed'; allowed: ${'x, '.repeat(80)}unsuitable.`;
    const html = renderSummary(report([], { fatal }));
    expect(html.split('unknown condition &#39;fialed&#39;').length).toBe(2);
    expect(html).toContain('unsuitable.');
  });

  it('the title names the shard; an empty shard says so in words', () => {
    const settings = { shard: { index: 2, count: 8 } } as unknown as RunReport['settings'];
    const html = renderSummary(report([job({})], { settings, heading: 'step sync, path c' }));
    expect(html).toContain('<h2>qq-sync: step sync, path c, shard 2/8</h2>');
    const empty = renderSummary(report([], { settings, heading: 'step sync' }));
    expect(empty).toContain(
      'No jobs in shard 2/8: every job found belongs to another shard of the matrix.',
    );
    expect(empty).not.toContain('0 jobs');
  });
});

describe('why a job failed, in the summary', () => {
  const hostile = [
    'Traceback (most recent call last):',
    '</details></pre><script>alert(1)</script>',
    '',
    '| a | b |',
    '|---|---|',
    '```',
    '::error::PWNED',
    '# heading',
    "it's <b>bold</b> & `code`",
  ].join('\n');

  function failed(over: Partial<JobResult> = {}): JobResult {
    return job({
      id: '6001.pbs',
      state: 'failed',
      exitCode: 1,
      whyFailed: {
        usage: {
          walltime: '00:10:02',
          walltimeLimit: '01:00:00',
          mem: '1204kb',
          memLimit: '4gb',
          limitKill: { limit: 'walltime', said: 'Exit_status -29' },
        },
        stderr: {
          name: 'run_md.err',
          text: hostile,
          lines: 9,
          cut: true,
          where: 'the fetched copy',
        },
      },
      ...over,
    });
  }

  it('the stderr tail escaped in a <pre>, on one line, so it breaks neither the HTML nor the Markdown', () => {
    const html = renderSummary(report([failed()]));
    const block = html.slice(html.indexOf('<h3>Why the job failed</h3>'));
    expect(block).toContain(
      '<details open><summary>⚠️ 6001.pbs (run.sh) failed (exit 1) · walltime 00:10:02 of 01:00:00 · memory 1.2 MiB of 4.0 GiB · the scheduler stopped it at its walltime limit (Exit_status -29)</summary>',
    );
    expect(block).toContain('<p>Last 9 lines of <code>run_md.err</code> (the fetched copy):</p>');
    expect(block).toContain(
      '<pre>Traceback (most recent call last):&#10;&lt;/details&gt;&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#10;&#10;| a | b |',
    );
    expect(block).toContain('&#10;::error::PWNED&#10;');
    expect(block).toContain('it&#39;s &lt;b&gt;bold&lt;/b&gt; &amp; `code`</pre></details>\n');
    // Every tag in the block is ours: the job's text adds none.
    const tags = [...block.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[0]);
    expect(tags).toEqual([
      '<h3',
      '</h3',
      '<details',
      '<summary',
      '</summary',
      '<p',
      '<code',
      '</code',
      '</p',
      '<pre',
      '</pre',
      '</details',
    ]);
    // One line: a blank line would end the HTML block and hand the rest to Markdown.
    expect(block.trimEnd().split('\n').slice(1)).toHaveLength(1);
    // The state word stays qq's; the limit is a note beside it.
    expect(html).toContain('<td>🟥&nbsp;failed<br><sub>walltime limit</sub></td>');
  });

  it('says plainly when the stderr is not available; several jobs: closed blocks', () => {
    const gone = failed({
      id: '2',
      whyFailed: {
        stderr: {
          name: 'x.err',
          lines: 0,
          cut: false,
          unavailable: 'not read in the fetched copy: it is a symlink',
        },
      },
    });
    const html = renderSummary(report([failed(), gone]));
    expect(html).toContain('<h3>Why the jobs failed</h3>');
    expect(html).not.toContain('<details open>');
    expect(html).toContain(
      '<p>Its stderr <code>x.err</code> is not shown: not read in the fetched copy: it is a symlink.</p>',
    );
  });

  it('a campaign of failed jobs with long stderr stays under the 1 MiB limit', () => {
    const big = `${'<&>'.repeat(1300)}\n`.repeat(1);
    const many = Array.from({ length: 3000 }, (_, i) =>
      failed({
        id: `${i}.pbs`,
        whyFailed: { stderr: { name: 'e', text: big, lines: 1, cut: true, where: 'x' } },
      }),
    );
    const html = renderSummary(report(many));
    expect(Buffer.byteLength(html)).toBeLessThan(1024 * 1024);
    expect(html).toMatch(/\d+ more not shown \(the summary's size limit\)/);
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

describe('the cancel sentence', () => {
  it('is one sentence with one count: the step error and the summary say the same', () => {
    const results = [
      job({}),
      job({ id: '2.pbs', status: 'failed', reasonCode: 'transfer-failed', reason: 'rsync failed' }),
      job({ id: '3.pbs', status: 'failed', reasonCode: 'cancelled', reason: 'Cancelled (SIGINT)' }),
    ];
    const sentence = 'Cancelled (SIGINT): 2 of 3 job(s) not fetched.';
    expect(cancelMessage(new CancelledError('SIGINT'), results)).toBe(sentence);
    expect(stepFailure(report(results, { cancelled: 'SIGINT' }))).toBe(sentence);
    expect(renderSummary(report(results, { cancelled: 'SIGINT' }))).toContain(sentence);
  });
});
