// The info-file parser (docs/qq-behaviour.md §1; qq's tests/test_properties_info.py): every sample file of
// test/fixtures/qqinfo-samples parsed to values written out here by hand, and broken
// files, each with qq's message (or a clear one where qq has none or crashes).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { QQError } from '../../src/domain/errors.js';
import {
  type InfoFile,
  jobIdMatches,
  MAX_INFO_FILE_BYTES,
  normalizeTimestamp,
  parseSizeString,
  parseTransferMode,
  transferModeMatches,
  usesScratch,
  wdhmsToHhmmss,
} from '../../src/domain/info/index.js';
import { parseInfoFile } from '../../src/domain/info/yaml.js';

const SAMPLES = fileURLToPath(new URL('../fixtures/qqinfo-samples/', import.meta.url));
const P = '/jobs/run/job.qqinfo';

/** A minimal valid file (the 15 required keys), with lines replaced, added or removed. */
const BASE: Record<string, string> = {
  batch_system: 'PBS',
  qq_version: '0.10.1',
  username: 'jdoe',
  job_id: '123.pbs',
  job_name: 'job.sh',
  script_name: 'job.sh',
  queue: 'default',
  job_type: 'standard',
  input_machine: 'login.example.org',
  input_dir: '/home/jdoe/run',
  job_state: 'running',
  submission_time: "'2026-04-20 10:15:02'",
  stdout_file: 'job.out',
  stderr_file: 'job.err',
  resources: '\n  ncpus: 1\n  work_dir: scratch_local',
};
function file(over: Record<string, string | null> = {}, extra = ''): string {
  const lines = ['# qq job info file'];
  const merged: Record<string, string | null> = { ...BASE, ...over };
  for (const [k, v] of Object.entries(merged)) if (v !== null) lines.push(`${k}: ${v}`);
  return `${lines.join('\n')}\n${extra}`;
}
function parse(over: Record<string, string | null> = {}, extra = ''): InfoFile {
  return parseInfoFile(file(over, extra), P);
}
function errorOf(fn: () => unknown): QQError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(QQError);
    return e as QQError;
  }
  throw new Error('expected a QQError, nothing was thrown');
}

// ------------------------------------------------------------------------------------------
// The sample files

const RUN_MD_BASE = {
  batchSystem: 'PBS',
  qqVersion: '0.10.1',
  username: 'jdoe',
  jobId: '14651234.pbs-m1.metacentrum.cz',
  jobName: 'run_md.sh',
  scriptName: 'run_md.sh',
  queue: 'default',
  jobType: 'standard',
  inputMachine: 'perian.metacentrum.cz',
  inputDir: '/storage/brno2/home/jdoe/proj/sim1',
  submissionTime: '2026-04-20 10:15:02',
  stdoutFile: 'run_md.out',
  stderrFile: 'run_md.err',
  resources: {
    nnodes: 1,
    ncpus: 8,
    memPerCpu: { value: 2097152 },
    walltime: '48:00:00',
    workDir: 'scratch_local',
    workSizePerCpu: { value: 4194304 },
    props: { cl_zenon: 'false', cluster: 'tarkil' },
  },
  excludedFiles: ['/storage/brno2/home/jdoe/proj/sim1/big_input'],
  includedFiles: [],
  transferMode: ['success'],
  depend: [],
  resubmitFrom: [],
};
const RUN_MD_STARTED = {
  startTime: '2026-04-20 10:17:40',
  mainNode: 'tarkil12.metacentrum.cz',
  allNodes: ['tarkil12.metacentrum.cz'],
  workDir: '/scratch.ssd/jdoe/job_14651234.pbs-m1.metacentrum.cz/main',
};

const EXPECTED: Record<string, InfoFile> = {
  'run_md.qqinfo': { ...RUN_MD_BASE, jobState: 'running', ...RUN_MD_STARTED } as InfoFile,
  'run_md_finished.qqinfo': {
    ...RUN_MD_BASE,
    jobState: 'finished',
    ...RUN_MD_STARTED,
    completionTime: '2026-04-21 03:02:11',
    jobExitCode: 0,
  } as InfoFile,
  'run_md_failed.qqinfo': {
    ...RUN_MD_BASE,
    jobState: 'failed',
    ...RUN_MD_STARTED,
    completionTime: '2026-04-21 03:02:11',
    jobExitCode: 1,
  } as InfoFile,
  'run_md_killed.qqinfo': {
    ...RUN_MD_BASE,
    jobState: 'killed',
    ...RUN_MD_STARTED,
    completionTime: '2026-04-21 03:02:11',
  } as InfoFile,
  'run_md_queued.qqinfo': {
    ...RUN_MD_BASE,
    jobState: 'queued',
    excludedFiles: [],
  } as InfoFile,
  'qq_loop_md+0003.qqinfo': {
    batchSystem: 'SlurmIT4I',
    qqVersion: '0.10.1',
    username: 'jdoe',
    jobId: '3123456',
    jobName: 'qq_loop_md+0003',
    scriptName: 'qq_loop_md',
    queue: 'qcpu',
    jobType: 'loop',
    inputMachine: 'login1.karolina.it4i.cz',
    inputDir: '/mnt/proj1/open-30-1/jdoe/sim',
    jobState: 'running',
    submissionTime: '2026-04-20 08:00:00',
    stdoutFile: 'qq_loop_md+0003.out',
    stderrFile: 'qq_loop_md+0003.err',
    resources: {
      nnodes: 2,
      ncpusPerNode: 128,
      memPerCpu: { value: 1048576 },
      walltime: '24:00:00',
      workDir: 'scratch',
    },
    excludedFiles: [],
    includedFiles: [],
    transferMode: ['success', 'failure'],
    depend: ['afterok=3123455'],
    loopInfo: {
      start: 1,
      end: 10,
      archive: '/mnt/proj1/open-30-1/jdoe/sim/storage',
      archiveFormat: 'md%04d',
      current: 3,
      archiveMode: ['success'],
    },
    account: 'OPEN-30-1',
    resubmitFrom: [],
    startTime: '2026-04-20 09:00:00',
    mainNode: 'cn123.karolina.it4i.cz',
    allNodes: ['cn123.karolina.it4i.cz', 'cn124.karolina.it4i.cz'],
    workDir: '/scratch/project/open-30-1/jdoe/qq-jobs/job_3123456',
  },
  'job.qqinfo': {
    batchSystem: 'PBS',
    qqVersion: '0.10.1',
    username: 'jdoe',
    jobId: '987.sokar-pbs.ncbr.muni.cz',
    jobName: 'job.sh',
    scriptName: 'job.sh',
    queue: 'cpu',
    jobType: 'standard',
    inputMachine: 'sokar.ncbr.muni.cz',
    inputDir: '/home/jdoe/run',
    jobState: 'running',
    submissionTime: '2026-04-20 10:15:02',
    stdoutFile: 'job.out',
    stderrFile: 'job.err',
    resources: {
      nnodes: 1,
      ncpus: 4,
      mem: { value: 16777216 },
      walltime: '12:00:00',
      workDir: 'input_dir',
    },
    excludedFiles: [],
    includedFiles: [],
    transferMode: ['success'],
    depend: [],
    server: 'sokar-pbs.ncbr.muni.cz',
    resubmitFrom: [],
    interpreter: { executable: 'python3', arguments: [] },
    startTime: '2026-04-20 10:16:00',
    mainNode: 'sokar5.ncbr.muni.cz',
    allNodes: ['sokar5.ncbr.muni.cz'],
    workDir: '/home/jdoe/run',
  },
};

describe('sample info files (test/fixtures/qqinfo-samples)', () => {
  it('every sample file has expected values here', () => {
    const names = readdirSync(SAMPLES).filter((n) => n.endsWith('.qqinfo'));
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names)).toEqual(new Set(Object.keys(EXPECTED)));
  });

  it.each(Object.keys(EXPECTED))('%s', (name) => {
    const path = `${SAMPLES}${name}`;
    const info = parseInfoFile(readFileSync(path, 'utf8'), path);
    expect(info).toStrictEqual(EXPECTED[name]);
  });

  it('uses_scratch of the samples', () => {
    const read = (n: string) => parseInfoFile(readFileSync(`${SAMPLES}${n}`, 'utf8'), n);
    expect(usesScratch(read('run_md.qqinfo'))).toBe(true);
    expect(usesScratch(read('qq_loop_md+0003.qqinfo'))).toBe(true);
    expect(usesScratch(read('job.qqinfo'))).toBe(false);
  });
});

// ------------------------------------------------------------------------------------------
// Field handling

describe('fields', () => {
  it('the minimal file: optional lists empty, transfer_mode defaults to [success]', () => {
    const info = parse();
    expect(info.transferMode).toEqual(['success']);
    expect(info.excludedFiles).toEqual([]);
    expect(info.includedFiles).toEqual([]);
    expect(info.depend).toEqual([]);
    expect(info.resubmitFrom).toEqual([]);
    expect(info.mainNode).toBeUndefined();
    expect(info.workDir).toBeUndefined();
    expect(info.allNodes).toBeUndefined();
    expect(info.jobExitCode).toBeUndefined();
    expect(info.loopInfo).toBeUndefined();
    expect(info.interpreter).toBeUndefined();
    expect('jobExitCode' in info).toBe(false);
  });

  it('unknown keys and the removed command_line are ignored', () => {
    const info = parse(
      {},
      'command_line:\n- -q\n- default\nsomething_new: {a: 1}\nfuture: [1, 2]\n',
    );
    expect(info.jobId).toBe('123.pbs');
    expect(Object.keys(info)).not.toContain('command_line');
    expect(Object.keys(info)).not.toContain('commandLine');
  });

  it('numeric job ids (unquoted) become strings, leading zeros kept', () => {
    expect(parse({ job_id: '3123456' }).jobId).toBe('3123456');
    expect(parse({ job_id: "'3123456'" }).jobId).toBe('3123456');
    expect(parse({ job_id: '0123' }).jobId).toBe('0123');
    expect(parse({ job_id: '12345678901234567890' }).jobId).toBe('12345678901234567890');
    expect(parse({ qq_version: '0.10' }).qqVersion).toBe('0.10');
  });

  it('timestamps: quoted or unquoted stay strings YYYY-MM-DD HH:MM:SS', () => {
    expect(parse({ submission_time: '2026-04-20 10:15:02' }).submissionTime).toBe(
      '2026-04-20 10:15:02',
    );
    expect(parse({ submission_time: "'2026-04-20 10:15:02'" }).submissionTime).toBe(
      '2026-04-20 10:15:02',
    );
    expect(parse({ submission_time: '"2026-04-20 10:15:02"' }).submissionTime).toBe(
      '2026-04-20 10:15:02',
    );
    expect(
      parse({}, 'start_time: 2026-04-20T10:16:00Z\ncompletion_time: 2026-4-21 3:02:11.5\n'),
    ).toMatchObject({
      startTime: '2026-04-20 10:16:00',
      completionTime: '2026-04-21 03:02:11',
    });
  });

  it('a timestamp that is not one is an error', () => {
    const e = errorOf(() => parse({ submission_time: "'yesterday'" }));
    expect(e.message).toBe(
      `Invalid qq info file '${P}': Field 'submission_time': time data 'yesterday' does not match format '%Y-%m-%d %H:%M:%S'.`,
    );
    expect(() => parse({ submission_time: "'2026-02-30 10:00:00'" })).toThrow(
      /does not match format/,
    );
    expect(() => parse({}, "start_time: '2026-01-01 24:00:00'\n")).toThrow(/start_time/);
  });

  it('job_state is case-insensitive; anything else, empty or null is unknown', () => {
    expect(parse({ job_state: 'RUNNING' }).jobState).toBe('running');
    expect(parse({ job_state: 'Finished' }).jobState).toBe('finished');
    expect(parse({ job_state: 'exploded' }).jobState).toBe('unknown');
    expect(parse({ job_state: "''" }).jobState).toBe('unknown');
    expect(parse({ job_state: '' }).jobState).toBe('unknown');
    expect(parse({ job_state: '3' }).jobState).toBe('unknown');
  });

  it("job_type is case-insensitive; unknown is qq's error", () => {
    expect(parse({ job_type: 'LOOP' }).jobType).toBe('loop');
    expect(parse({ job_type: 'Continuous' }).jobType).toBe('continuous');
    expect(parse({ job_type: 'loop-array' }).jobType).toBe('loop array');
    expect(errorOf(() => parse({ job_type: 'weird' })).message).toBe(
      "Could not recognize a job type 'weird'.",
    );
  });

  it('batch_system must be a registered name, exactly', () => {
    for (const name of ['PBS', 'Slurm', 'SlurmIT4I', 'SlurmLumi']) {
      expect(parse({ batch_system: name }).batchSystem).toBe(name);
    }
    expect(errorOf(() => parse({ batch_system: 'LSF' })).message).toBe(
      "No batch system registered as 'LSF'.",
    );
    expect(errorOf(() => parse({ batch_system: 'pbs' })).message).toBe(
      "No batch system registered as 'pbs'.",
    );
  });

  it('transfer_mode: names (any case), integer exit codes quoted or not', () => {
    expect(parse({ transfer_mode: '[Success, FAILURE]' }).transferMode).toEqual([
      'success',
      'failure',
    ]);
    expect(parse({ transfer_mode: "\n- always\n- never\n- '3'\n- -1\n- 0" }).transferMode).toEqual([
      'always',
      'never',
      3,
      -1,
      0,
    ]);
    expect(parse({ transfer_mode: '[]' }).transferMode).toEqual([]);
    expect(parse({ transfer_mode: '' }).transferMode).toEqual(['success']);
    expect(errorOf(() => parse({ transfer_mode: '[sometimes]' })).message).toBe(
      "Could not recognize a transfer mode variant 'sometimes'.",
    );
    expect(errorOf(() => parse({ transfer_mode: 'success' })).message).toBe(
      `Invalid qq info file '${P}': Field 'transfer_mode' must be a list, got str.`,
    );
  });

  it('job_exit_code: int, absent for killed jobs, wrong types refused', () => {
    expect(parse({}, 'job_exit_code: 0\n').jobExitCode).toBe(0);
    expect(parse({}, 'job_exit_code: 137\n').jobExitCode).toBe(137);
    expect(parse({}, 'job_exit_code: -1\n').jobExitCode).toBe(-1);
    expect(parse({}, 'job_exit_code:\n').jobExitCode).toBeUndefined();
    expect(errorOf(() => parse({}, 'job_exit_code: [1]\n')).message).toBe(
      `Invalid qq info file '${P}': Field 'job_exit_code' must be an int, got list.`,
    );
    expect(() => parse({}, 'job_exit_code: 1.5\n')).toThrow(/got float/);
    expect(() => parse({}, 'job_exit_code: true\n')).toThrow(/got bool/);
  });

  it('resources: sizes as {value}, strings or legacy {value, unit}; walltime; props', () => {
    const r = parse({
      resources: [
        '',
        '  mem: 8gb',
        "  mem_per_node: '8 GB'",
        '  mem_per_cpu: 8g',
        '  work_size: {value: 8, unit: gb}',
        '  work_size_per_node: {value: 1024}',
        '  work_size_per_cpu: 1tb',
        "  ncpus: '16'",
        '  ngpus: 2',
        '  walltime: 1w2d3h',
        '  work_dir: Input-Dir',
        '  props: {cl_zenon: false, cluster: tarkil, gpu_cap: 8.0}',
      ].join('\n'),
    }).resources;
    expect(r).toStrictEqual({
      ncpus: 16,
      ngpus: 2,
      mem: { value: 8 * 1024 * 1024 },
      memPerNode: { value: 8 * 1024 * 1024 },
      memPerCpu: { value: 8 * 1024 * 1024 },
      workSize: { value: 8 * 1024 * 1024 },
      workSizePerNode: { value: 1024 },
      workSizePerCpu: { value: 1024 ** 3 },
      walltime: '219:00:00',
      workDir: 'Input-Dir',
      props: { cl_zenon: 'false', cluster: 'tarkil', gpu_cap: '8.0' },
    });
    expect(
      parse({ resources: '\n  props: "cluster=tarkil,^cl_zenon,ssd"' }).resources.props,
    ).toEqual({
      cluster: 'tarkil',
      cl_zenon: 'false',
      ssd: 'true',
    });
    expect(parse({ resources: '\n  walltime: 2d' }).resources.walltime).toBe('48:00:00');
    expect(parse({ resources: '{}' }).resources).toEqual({});
  });

  it('resources: bad values', () => {
    expect(errorOf(() => parse({ resources: '\n  mem: lots' })).message).toBe(
      "Invalid size string: 'lots'.",
    );
    expect(errorOf(() => parse({ resources: '\n  mem: 8xb' })).message).toBe(
      "Unsupported unit for size 'xb'.",
    );
    expect(errorOf(() => parse({ resources: '\n  walltime: forever' })).message).toBe(
      "Invalid time string 'forever'.",
    );
    expect(errorOf(() => parse({ resources: "\n  ncpus: 'eight'" })).message).toBe(
      `Invalid qq info file '${P}': Field 'resources.ncpus' must be an int, got str 'eight'.`,
    );
    expect(errorOf(() => parse({ resources: '\n  nnodes: [2]' })).message).toBe(
      `Invalid qq info file '${P}': Field 'resources.nnodes' must be an int, got list.`,
    );
    expect(errorOf(() => parse({ resources: '\n  mem: {value: 1, color: red}' })).message).toBe(
      `Invalid qq info file '${P}': Field 'resources.mem' has an unexpected key 'color'.`,
    );
    expect(errorOf(() => parse({ resources: 'lots' })).message).toBe(
      `Invalid qq info file '${P}': Field 'resources' must be a dict, got str.`,
    );
    expect(errorOf(() => parse({ resources: '\n  props: "a,a=2"' })).message).toBe(
      "Property 'a' is defined multiple times.",
    );
  });

  it('interpreter: a string (v0.10) or a mapping (newer)', () => {
    expect(parse({}, 'interpreter: python3 -u\n').interpreter).toEqual({
      executable: 'python3',
      arguments: ['-u'],
    });
    expect(
      parse({}, 'interpreter:\n  executable: python3\n  arguments: [-u, -X]\n').interpreter,
    ).toEqual({
      executable: 'python3',
      arguments: ['-u', '-X'],
    });
    expect(parse({}, 'interpreter: {executable: bash}\n').interpreter).toEqual({
      executable: 'bash',
      arguments: [],
    });
    expect(parse({}, 'interpreter: {}\n').interpreter).toEqual({
      executable: 'bash',
      arguments: [],
    });
    expect(() => parse({}, "interpreter: ''\n")).toThrow(/Field 'interpreter' is empty/);
    expect(() => parse({}, 'interpreter: [python3]\n')).toThrow(
      /must be a str or a dict, got list/,
    );
  });

  it("loop_info: qq's int checks and range checks", () => {
    const loop = (body: string) => parse({ job_type: 'loop' }, `loop_info:\n${body}`);
    const ok =
      '  start: 1\n  end: 10\n  archive: /a/storage\n  archive_format: md%04d\n  current: 3\n';
    expect(loop(ok).loopInfo).toEqual({
      start: 1,
      end: 10,
      archive: '/a/storage',
      archiveFormat: 'md%04d',
      current: 3,
      archiveMode: ['success'],
    });
    expect(loop(`${ok}  archive_mode: [failure, '2']\n`).loopInfo?.archiveMode).toEqual([
      'failure',
      2,
    ]);
    expect(errorOf(() => loop(ok.replace('start: 1', "start: '1'"))).message).toBe(
      "Field 'start' must be an int, got str.",
    );
    expect(errorOf(() => loop(ok.replace('  end: 10\n', ''))).message).toBe(
      "Field 'end' must be an int, got NoneType.",
    );
    expect(errorOf(() => loop(ok.replace('current: 3', 'current: 3.5'))).message).toBe(
      "Field 'current' must be an int, got float.",
    );
    expect(errorOf(() => loop(ok.replace('archive: /a/storage', 'archive: [x]'))).message).toBe(
      "Field 'archive' must be a str, got list.",
    );
    expect(errorOf(() => loop(`${ok}  archive_mode: success\n`)).message).toBe(
      "Field 'archive_mode' must be a list of strings.",
    );
    expect(errorOf(() => loop(ok.replace('end: 10', 'end: 0'))).message).toBe(
      "Attribute 'loop-end' is undefined.",
    );
    expect(errorOf(() => loop(ok.replace('start: 1', 'start: -1'))).message).toBe(
      "Attribute 'loop-start' (-1) cannot be negative.",
    );
    expect(errorOf(() => loop(ok.replace('start: 1', 'start: 11'))).message).toBe(
      "Attribute 'loop-start' (11) cannot be higher than 'loop-end' (10).",
    );
    expect(errorOf(() => loop(ok.replace('current: 3', 'current: 12'))).message).toBe(
      "Current cycle number (12) cannot be higher than 'loop-end' (10).",
    );
    expect(() => parse({}, 'loop_info: yes\n')).toThrow(
      /Field 'loop_info' must be a dict, got str/,
    );
  });

  it('task_info (qq dev array tasks)', () => {
    expect(
      parse({}, 'task_info: {array_file: /a/x.qqarray, task_number: 2, total_tasks: 5}\n').taskInfo,
    ).toEqual({
      arrayFile: '/a/x.qqarray',
      taskNumber: 2,
      totalTasks: 5,
    });
    expect(
      errorOf(() => parse({}, 'task_info: {array_file: /a, task_number: x, total_tasks: 5}\n'))
        .message,
    ).toBe("Field 'task_number' must be an int, got str.");
  });

  it('lists of paths and nodes; optional strings', () => {
    const info = parse(
      {},
      [
        'excluded_files: [/home/jdoe/run/a, /home/jdoe/run/b]',
        'included_files:\n- /data/x',
        'depend: [afterok=1:2]',
        'resubmit_from: [input, login2]',
        'account: OPEN-1',
        'server: sokar-pbs.ncbr.muni.cz',
        'main_node: node1',
        'all_nodes: [node1, node2]',
        'work_dir: /scratch/x',
        '',
      ].join('\n'),
    );
    expect(info).toMatchObject({
      excludedFiles: ['/home/jdoe/run/a', '/home/jdoe/run/b'],
      includedFiles: ['/data/x'],
      depend: ['afterok=1:2'],
      resubmitFrom: ['input', 'login2'],
      account: 'OPEN-1',
      server: 'sokar-pbs.ncbr.muni.cz',
      mainNode: 'node1',
      allNodes: ['node1', 'node2'],
      workDir: '/scratch/x',
    });
    expect(errorOf(() => parse({}, 'excluded_files: /a\n')).message).toBe(
      `Invalid qq info file '${P}': Field 'excluded_files' must be a list, got str.`,
    );
    expect(errorOf(() => parse({}, 'all_nodes: [[a]]\n')).message).toBe(
      `Invalid qq info file '${P}': Field 'all_nodes' must be a list of str, got an item of list.`,
    );
    expect(errorOf(() => parse({}, 'main_node: {a: 1}\n')).message).toBe(
      `Invalid qq info file '${P}': Field 'main_node' must be a str, got dict.`,
    );
  });

  it('duplicate keys: the last one wins (as PyYAML); merge keys are honoured', () => {
    expect(parse({}, 'work_dir: /first\nwork_dir: /second\n').workDir).toBe('/second');
    expect(parse({}, 'job_id: 7\n').jobId).toBe('7');
    const merged = parse({
      resources: '\n  <<: {ncpus: 4, work_dir: input_dir}\n  nnodes: 2',
    }).resources;
    expect(merged).toEqual({ ncpus: 4, workDir: 'input_dir', nnodes: 2 });
  });

  it('a __proto__ key changes nothing', () => {
    const info = parse({}, '__proto__: {main_node: evil, work_dir: /evil}\n');
    expect(info.mainNode).toBeUndefined();
    expect(info.workDir).toBeUndefined();
    expect(({} as Record<string, unknown>).main_node).toBeUndefined();
  });
});

// ------------------------------------------------------------------------------------------
// Broken files

describe('broken info files', () => {
  it('a missing required field', () => {
    expect(errorOf(() => parse({ job_id: null })).message).toBe(
      `Invalid qq info file '${P}': missing required field 'job_id'.`,
    );
    expect(errorOf(() => parse({ queue: null, resources: null })).message).toBe(
      `Invalid qq info file '${P}': missing required fields 'queue', 'resources'.`,
    );
  });

  it.each(Object.keys(BASE))('without %s', (key) => {
    expect(errorOf(() => parse({ [key]: null })).message).toBe(
      `Invalid qq info file '${P}': missing required field '${key}'.`,
    );
  });

  it('a required field of the wrong type', () => {
    expect(errorOf(() => parse({ job_id: '[1, 2]' })).message).toBe(
      `Invalid qq info file '${P}': Field 'job_id' must be a str, got list.`,
    );
    expect(errorOf(() => parse({ input_dir: '' })).message).toBe(
      `Invalid qq info file '${P}': Field 'input_dir' must be a str, got NoneType.`,
    );
    expect(errorOf(() => parse({ username: '{a: b}' })).message).toBe(
      `Invalid qq info file '${P}': Field 'username' must be a str, got dict.`,
    );
  });

  it('invalid YAML', () => {
    const e = errorOf(() => parseInfoFile('batch_system: PBS\njob_id: [1, 2\nqueue: x\n', P));
    expect(e.message).toMatch(
      /^Failed to parse YAML in \/jobs\/run\/job\.qqinfo: .+ at line \d+, column \d+\.$/,
    );
    expect(e.message).not.toContain('\n');
    expect(errorOf(() => parseInfoFile('a: b: c\n', P)).message).toMatch(
      /^Failed to parse YAML in /,
    );
    expect(errorOf(() => parseInfoFile('a: "unterminated\n', P)).message).toMatch(
      /^Failed to parse YAML in /,
    );
    expect(errorOf(() => parseInfoFile('\tjob_id: 1\n', P)).message).toMatch(
      /^Failed to parse YAML in /,
    );
  });

  it('several YAML documents', () => {
    expect(errorOf(() => parseInfoFile(`${file()}---\njob_id: 2\n`, P)).message).toMatch(
      /^Failed to parse YAML in \/jobs\/run\/job\.qqinfo: Source contains multiple documents/,
    );
  });

  it('an empty file, a comment only', () => {
    expect(errorOf(() => parseInfoFile('', P)).message).toBe(
      `Invalid qq info file '${P}': the file is empty.`,
    );
    expect(errorOf(() => parseInfoFile('# qq job info file\n', P)).message).toBe(
      `Invalid qq info file '${P}': the file is empty.`,
    );
  });

  it('a list or a scalar at the top level', () => {
    expect(errorOf(() => parseInfoFile('- batch_system: PBS\n- job_id: 1\n', P)).message).toBe(
      `Invalid qq info file '${P}': expected a mapping of fields at the top level, got list.`,
    );
    expect(errorOf(() => parseInfoFile('just some text\n', P)).message).toBe(
      `Invalid qq info file '${P}': expected a mapping of fields at the top level, got str.`,
    );
    expect(errorOf(() => parseInfoFile('42\n', P)).message).toBe(
      `Invalid qq info file '${P}': expected a mapping of fields at the top level, got int.`,
    );
  });

  it.each([
    ['!foo', 'job_id: !foo 1\n', 'Unresolved tag: !foo'],
    ['!!python/object', 'job_id: !!python/object:os.system x\n', 'python/object'],
    ['!!python/object/apply', "x: !!python/object/apply:os.system ['id']\n", 'python/object/apply'],
    ['!!binary', 'x: !!binary aGVsbG8=\n', 'binary'],
    [
      '%TAG shorthand',
      '%TAG !e! tag:example.com,2000:\n---\nx: !e!thing 1\n',
      'tag:example.com,2000:thing',
    ],
  ])('a custom tag (%s) is an error, not a crash', (_label, extra, fragment) => {
    const text = extra.startsWith('%')
      ? extra.replace('---\n', `---\n${file().replace('# qq job info file\n', '')}`)
      : file({}, extra);
    const e = errorOf(() => parseInfoFile(text, P));
    expect(e.message).toMatch(/^Failed to parse YAML in \/jobs\/run\/job\.qqinfo: /);
    expect(e.message).toContain(fragment);
  });

  it('an alias bomb ("billion laughs") fails on the alias limit', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const bomb = `${levels.join('\n')}\n`;
    const e = errorOf(() => parseInfoFile(file({}, bomb), P));
    expect(e.message).toBe(
      `Failed to parse YAML in ${P}: Excessive alias count indicates a resource exhaustion attack.`,
    );
  });

  it('a bomb built from merge keys fails the same way', () => {
    const lines = ['l0: &l0 {a: 1, b: 2}'];
    for (let i = 1; i < 30; i++)
      lines.push(`l${i}: &l${i} {<<: [*l${i - 1}, *l${i - 1}], x${i}: [*l${i - 1}, *l${i - 1}]}`);
    const e = errorOf(() => parseInfoFile(file({}, `${lines.join('\n')}\n`), P));
    expect(e.message).toMatch(/^Failed to parse YAML in .*: Excessive alias count/);
  });

  it('a few aliases are fine', () => {
    const info = parse(
      { input_dir: '&d /home/jdoe/run' },
      'work_dir: *d\nmain_node: login.example.org\n',
    );
    expect(info.workDir).toBe('/home/jdoe/run');
  });

  it('deeply nested collections fail before the parser recurses', () => {
    const deep = `x: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    expect(errorOf(() => parseInfoFile(file({}, deep), P)).message).toBe(
      `Failed to parse YAML in ${P}: collections nested deeper than 64 levels.`,
    );
    // Block nesting by indentation: the parser's own limit gives an error, not a crash.
    let staircase = '';
    for (let i = 0; i < 1400; i++) staircase += `${' '.repeat(i)}k:\n`;
    expect(errorOf(() => parseInfoFile(staircase, P)).message).toMatch(
      /^(Failed to parse YAML in|Invalid qq info file)/,
    );
  });

  it('text larger than the limit', () => {
    const big = file({}, `pad: '${'x'.repeat(MAX_INFO_FILE_BYTES)}'\n`);
    expect(errorOf(() => parseInfoFile(big, P)).message).toBe(
      `qq info file '${P}' is too large (more than ${MAX_INFO_FILE_BYTES} bytes); not a qq info file.`,
    );
  });
});

// ------------------------------------------------------------------------------------------
// Helpers

describe('helpers', () => {
  it('uses_scratch (docs/qq-behaviour.md §1.4)', () => {
    const u = (workDir?: string) =>
      usesScratch({ resources: workDir === undefined ? {} : { workDir } });
    expect(u('scratch_local')).toBe(true);
    expect(u('scratch_shared')).toBe(true);
    expect(u('scratch')).toBe(true);
    expect(u(undefined)).toBe(true);
    expect(u('input_dir')).toBe(false);
    expect(u('job_dir')).toBe(false);
    expect(u('Input-Dir')).toBe(false);
    expect(u('JOBDIR')).toBe(false);
    expect(u('input_dir2')).toBe(true);
  });

  it('sizes (qq Size.from_string)', () => {
    expect(parseSizeString('8gb')).toEqual({ value: 8388608 });
    expect(parseSizeString(' 8 GB ')).toEqual({ value: 8388608 });
    expect(parseSizeString('8g')).toEqual({ value: 8388608 });
    expect(parseSizeString('10M')).toEqual({ value: 10240 });
    expect(parseSizeString('3kb')).toEqual({ value: 3 });
    expect(parseSizeString('0b')).toEqual({ value: 0 });
    expect(parseSizeString('100b')).toEqual({ value: 1 });
    expect(() => parseSizeString('1.5gb')).toThrow("Invalid size string: '1.5gb'.");
  });

  it('walltime conversion (qq wdhms_to_hhmmss)', () => {
    // qq's docstring says 195:04:05, but its code (1w = 168 h) gives 219:04:05.
    expect(wdhmsToHhmmss('1w2d3h4m5s')).toBe('219:04:05');
    expect(wdhmsToHhmmss('90m')).toBe('1:30:00');
    expect(wdhmsToHhmmss('')).toBe('0:00:00');
    expect(wdhmsToHhmmss('1w 2d 3h')).toBe('219:00:00');
    expect(() => wdhmsToHhmmss('2x')).toThrow("Invalid time string '2x'.");
  });

  it('transfer modes (Informer.should_transfer_files)', () => {
    expect(parseTransferMode(' Always ')).toBe('always');
    expect(parseTransferMode('-3')).toBe(-3);
    expect(parseTransferMode(7)).toBe(7);
    const cases: [string | number, number, boolean][] = [
      ['success', 0, true],
      ['success', 1, false],
      ['failure', 0, false],
      ['failure', 1, true],
      ['failure', -1, true],
      ['always', 0, true],
      ['always', 5, true],
      ['never', 0, false],
      ['never', 5, false],
      [2, 2, true],
      [2, 0, false],
      [0, 0, true],
    ];
    for (const [mode, code, expected] of cases) {
      expect(transferModeMatches(parseTransferMode(mode), code), `${mode} ${code}`).toBe(expected);
    }
  });

  it('timestamps', () => {
    expect(normalizeTimestamp('2026-04-20 10:15:02')).toBe('2026-04-20 10:15:02');
    expect(normalizeTimestamp('2024-02-29 00:00:00')).toBe('2024-02-29 00:00:00');
    expect(normalizeTimestamp('2025-02-29 00:00:00')).toBeUndefined();
    expect(normalizeTimestamp('2026-04-20')).toBeUndefined();
    expect(normalizeTimestamp('2026-04-20 10:15:60')).toBeUndefined();
  });

  it('job id matching is re-exported here too', () => {
    expect(jobIdMatches('1.a', '1')).toBe(true);
  });
});
