/** collectJobs and loadInfo from source: from the `path` input to jobs, on real files. */
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  collectJobs,
  INFO_READS_AT_ONCE,
  type Job,
  keptAnswer,
  loadInfo,
  loadInfos,
} from '../../src/action/jobs/targets.js';
import type { BatchContext } from '../../src/batch/types.js';
import { parseInfoFile } from '../../src/domain/info/yaml.js';
import { BatchState } from '../../src/domain/states.js';
import { makeJob } from '../support/jobs.js';
import { World } from './world.js';

const world = new World();
afterAll(() => world.cleanup());
const ctx: BatchContext = { timeoutMs: 5000, env: world.env(), debug: () => {} };

function job(dir: string, id: string, mtime: number): string {
  const file = makeJob({
    jobId: id,
    jobName: `${id}.sh`,
    inputDir: join(world.workspace, dir),
    jobState: 'queued',
  });
  utimesSync(file, mtime, mtime);
  return file;
}

describe('collectJobs', () => {
  const a = job('campaign/a', 'a1', 1000);
  const b2 = job('campaign/b', 'b2', 3000);
  const b1 = job('campaign/b', 'b1', 2000);

  it("expands directories and globs into info files, each directory's oldest first", async () => {
    const jobs = await collectJobs(world.settings({ path: 'campaign/*' }), ctx, world.env());
    expect(jobs.map((j) => j.infoFile)).toEqual([a, b1, b2]);
    expect(jobs.map((j) => j.info?.jobId)).toEqual(['a1', 'b1', 'b2']);
    expect(jobs[0]?.label).toBe('campaign/a/a1.qqinfo');
    expect(jobs.every((j) => j.system?.name === 'Slurm' && !j.error)).toBe(true);
  });

  it('a file named twice is one job; a line that fails carries its error alone', async () => {
    const jobs = await collectJobs(
      world.settings({ path: 'campaign/a\ncampaign/a/a1.qqinfo\nmissing\ncampaign/a/a1.qqinfo/x' }),
      ctx,
      world.env(),
    );
    expect(jobs.map((j) => j.error ?? j.infoFile)).toEqual([
      a,
      "Path 'missing' does not exist.",
      "Path 'campaign/a/a1.qqinfo/x' does not exist.",
    ]);
  });

  it('a file that is neither a directory nor a .qqinfo file is refused by name', async () => {
    writeFileSync(join(world.workspace, 'notes.txt'), 'x');
    const jobs = await collectJobs(world.settings({ path: 'notes.txt' }), ctx, world.env());
    expect(jobs).toEqual([
      { label: 'notes.txt', error: "Path 'notes.txt' is neither a directory nor a .qqinfo file." },
    ]);
  });

  it('a glob that matches nothing says so', async () => {
    const jobs = await collectJobs(world.settings({ path: 'none-*' }), ctx, world.env());
    expect(jobs[0]?.error).toBe("No file or directory matches 'none-*'.");
  });
});

describe('loadInfo', () => {
  it('records the parse error on the job instead of throwing; a later good read clears it', async () => {
    const dir = join(world.workspace, 'bad');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'bad.qqinfo');
    writeFileSync(file, 'batch_system: Nope\n');
    const j: Job = { label: 'bad', infoFile: file };
    await loadInfo(j, undefined);
    expect(j.error).toBe("No batch system registered as 'Nope'.");
    makeJob({
      jobId: '9',
      jobName: 'bad.sh',
      inputDir: dir,
      jobState: 'running',
      batchSystem: 'PBS',
    });
    await loadInfo(j, 'SlurmLumi');
    expect(j.error).toBeUndefined();
    expect(j.system?.name).toBe('SlurmLumi');
  });
});

describe('loadInfos', () => {
  it("reads more jobs than it reads at once, each into its own job, the parsed file's values kept", async () => {
    const n = INFO_READS_AT_ONCE * 2 + 3;
    const jobs: Job[] = Array.from({ length: n }, (_, i) => ({
      label: `many/j${i}`,
      infoFile: job(`many/j${i}`, `m${i}`, 1000 + i),
    }));
    const seen: string[] = [];
    await loadInfos(jobs, undefined, (j) => seen.push(j.label));
    expect(jobs.map((j) => j.info?.jobId)).toEqual(jobs.map((_, i) => `m${i}`));
    expect(seen.sort()).toEqual(jobs.map((j) => j.label).sort());
    const first = jobs[0] as Job;
    // A compact copy, equal to what the parser makes of the file.
    expect(first.info).toEqual(
      parseInfoFile(readFileSync(first.infoFile as string, 'utf8'), first.infoFile as string),
    );
  });
});

describe('keptAnswer', () => {
  it("keeps the scheduler's answer without its raw record", () => {
    const answer = {
      id: '7.srv',
      found: true,
      state: BatchState.RUNNING,
      mainNode: 'node1.example.org',
      nodes: ['node1.example.org', 'node2.example.org'],
      exitCode: 0,
      comment: 'Job run at …',
      infoFile: '/w/run.qqinfo',
      inputDir: '/w',
      jobName: 'run',
      raw: { job_state: 'R', Variable_List: 'QQ_INFO=/w/run.qqinfo' },
    };
    const kept = keptAnswer(answer);
    expect(kept).toEqual({ ...answer, raw: {} });
    expect(kept?.nodes).not.toBe(answer.nodes);
    expect(keptAnswer(undefined)).toBeUndefined();
  });
});
