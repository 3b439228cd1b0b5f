import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ANNOTATION_LIMIT,
  aggregateAnnotations,
  computeOutputs,
  escapeHtml,
  type JobResult,
  OUTPUT_NAMES,
  overallStatus,
  renderSummary,
  SUMMARY_LIMIT,
} from '../../src/action/report.js';

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
    action: 'fetched',
    ...over,
  };
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
  });
});

describe('summary', () => {
  it('escapes every value that comes from a job', () => {
    const html = renderSummary(
      [
        job({
          id: '<img src=x onerror=alert(1)>',
          name: '"a"&b',
          status: 'failed',
          reason: '<script>x</script>',
        }),
      ],
      'headline <b>',
    );
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&quot;a&quot;&amp;b');
    expect(html).toContain('headline &lt;b&gt;');
    expect(escapeHtml(`'`)).toBe('&#39;');
  });

  it('stays under the 1 MiB limit with a huge campaign, saying what it left out', () => {
    const many = Array.from({ length: 20_000 }, (_, i) =>
      job({ id: `${i}.pbs`, status: 'failed', reason: 'x'.repeat(500) }),
    );
    const html = renderSummary(many, 'big');
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
    expect(out[ANNOTATION_LIMIT - 1]?.title).toBe('16 more jobs failed');
    expect(out[ANNOTATION_LIMIT - 1]?.message).toContain('job 9, job 10');
    expect(out[ANNOTATION_LIMIT - 1]?.message).toContain('job 24');
    expect(aggregateAnnotations(items.slice(0, 10), 'x')).toHaveLength(10);
  });
});
