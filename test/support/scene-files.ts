/**
 * The files of a test scene, with no side effects (no bundle check), so that scripts can use
 * them too: a PBS Pro `qstat -fxw` record for the stand-in qstat, and a qq info file.
 */

export const SERVER = 'pbs-m1.metacentrum.cz';

/** A `qstat -fxw` record in PBS Pro's layout (the fields qq reads). */
export function pbsRecord(
  id: string,
  state = 'R',
  node = 'node1.example.org',
  exit?: number,
): string {
  const lines = [
    `Job Id: ${id}`,
    '    Job_Name = run_md.sh',
    '    Job_Owner = tester@login1.example.org',
    `    job_state = ${state}`,
    '    queue = q_1d',
    `    server = ${SERVER}`,
  ];
  if (state !== 'Q' && state !== 'H') lines.push(`    exec_host2 = ${node}:15002/0*8`);
  if (exit !== undefined) lines.push(`    Exit_status = ${exit}`);
  lines.push('    Variable_List = PBS_O_WORKDIR=/tmp,QQ_ENV_SET=true');
  return `${lines.join('\n')}\n`;
}

export interface InfoFields {
  batchSystem?: string;
  jobId: string;
  jobName?: string;
  inputDir: string;
  jobState?: string;
  mainNode?: string;
  workDir?: string;
  stdoutFile?: string;
  stderrFile?: string;
  exitCode?: number;
}

/** A qq info file; every string is written as a YAML double-quoted (JSON) string, so any
 *  character (newlines included) reaches the parser exactly. */
export function infoText(f: InfoFields): string {
  const s = (v: string) => JSON.stringify(v);
  const state = f.jobState ?? 'running';
  const lines = [
    '# qq job info file',
    `batch_system: ${f.batchSystem ?? 'PBS'}`,
    'qq_version: 0.10.1',
    'username: tester',
    `job_id: ${s(f.jobId)}`,
    `job_name: ${s(f.jobName ?? 'run_md.sh')}`,
    `script_name: ${s('run_md.sh')}`,
    'queue: q_1d',
    'job_type: standard',
    `input_machine: ${s('login1.example.org')}`,
    `input_dir: ${s(f.inputDir)}`,
    `job_state: ${state}`,
    "submission_time: '2026-11-25 08:00:00'",
    `stdout_file: ${s(f.stdoutFile ?? 'run_md.out')}`,
    `stderr_file: ${s(f.stderrFile ?? 'run_md.err')}`,
    'resources:',
    '  nnodes: 1',
    '  ncpus: 1',
    '  work_dir: scratch_local',
    'transfer_mode:',
    '- success',
    "start_time: '2026-11-25 08:01:00'",
  ];
  if (f.mainNode !== undefined) lines.push(`main_node: ${s(f.mainNode)}`, 'all_nodes:');
  if (f.mainNode !== undefined) lines.push(`- ${s(f.mainNode)}`);
  if (f.workDir !== undefined) lines.push(`work_dir: ${s(f.workDir)}`);
  if (['finished', 'failed', 'killed'].includes(state)) {
    lines.push("completion_time: '2026-11-25 09:00:00'");
  }
  if (f.exitCode !== undefined) lines.push(`job_exit_code: ${f.exitCode}`);
  return `${lines.join('\n')}\n`;
}
