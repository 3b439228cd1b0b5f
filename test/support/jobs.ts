/**
 * Builds qq jobs on disk for tests: an input directory with the info file qq would have
 * written (v0.10.1's layout and quoting) and a working directory with the job's files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestJob {
  batchSystem?: string;
  jobId: string;
  jobName?: string;
  inputDir: string;
  inputMachine?: string;
  jobState: string;
  mainNode?: string;
  workDir?: string;
  exitCode?: number;
  transferMode?: string[];
  workDirType?: string;
  /** Files to create in the working directory: name → content. */
  files?: Record<string, string>;
}

function q(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function infoFileText(job: TestJob): string {
  const name = job.jobName ?? 'run_md.sh';
  const stem = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : name;
  const lines = [
    '# qq job info file',
    `batch_system: ${job.batchSystem ?? 'Slurm'}`,
    'qq_version: 0.10.1',
    'username: tester',
    `job_id: ${q(job.jobId)}`,
    `job_name: ${q(name)}`,
    `script_name: ${q(name)}`,
    'queue: debug',
    'job_type: standard',
    `input_machine: ${q(job.inputMachine ?? 'login1.example.org')}`,
    `input_dir: ${q(job.inputDir)}`,
    `job_state: ${job.jobState}`,
    "submission_time: '2026-11-25 08:00:00'",
    `stdout_file: ${q(`${stem}.out`)}`,
    `stderr_file: ${q(`${stem}.err`)}`,
    'resources:',
    '  nnodes: 1',
    '  ncpus: 1',
    `  work_dir: ${job.workDirType ?? 'scratch_local'}`,
    'transfer_mode:',
    ...(job.transferMode ?? ['success']).map((m) => `- ${m}`),
  ];
  if (job.jobState !== 'queued') lines.push("start_time: '2026-11-25 08:01:00'");
  if (job.mainNode !== undefined) lines.push(`main_node: ${q(job.mainNode)}`);
  if (job.mainNode !== undefined) lines.push('all_nodes:', `- ${q(job.mainNode)}`);
  if (job.workDir !== undefined) lines.push(`work_dir: ${q(job.workDir)}`);
  if (['finished', 'failed', 'killed'].includes(job.jobState)) {
    lines.push("completion_time: '2026-11-25 09:00:00'");
  }
  if (job.exitCode !== undefined) lines.push(`job_exit_code: ${job.exitCode}`);
  return `${lines.join('\n')}\n`;
}

/** Writes the info file into the input dir and the files into the work dir; returns the info path. */
export function makeJob(job: TestJob): string {
  const name = job.jobName ?? 'run_md.sh';
  const stem = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : name;
  mkdirSync(job.inputDir, { recursive: true });
  const infoPath = join(job.inputDir, `${stem}.qqinfo`);
  writeFileSync(infoPath, infoFileText(job));
  if (job.workDir) {
    mkdirSync(job.workDir, { recursive: true });
    for (const [file, content] of Object.entries(job.files ?? {})) {
      const target = join(job.workDir, file);
      mkdirSync(join(target, '..'), { recursive: true });
      writeFileSync(target, content);
    }
  }
  return infoPath;
}
