// The demo world: one example qq job on a machine with no cluster, used by `npm run demo` and
// by the repository's own workflow that runs the action with `uses: ./` on a hosted runner.
//
// A molecular-dynamics run that failed (exit code 1) on a compute node, whose scratch directory
// was kept (transfer_mode: success), and which the scheduler has already forgotten (a stand-in
// `qstat` answers "Unknown Job Id", as PBS does for purged jobs). The scratch directory is on
// this machine, so the action copies it locally with `shared-storage: true`.
//
//   node demo/world.mjs DIR   builds the world in DIR and, on a GitHub runner, writes the
//                             outputs input-dir and workspace and puts the stand-in qstat on PATH.
import { appendFileSync, chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Builds the demo job under `base` (an empty directory); returns where its parts are. */
export function makeDemoWorld(base) {
  const workspace = join(base, 'workspace');
  const inputDir = join(workspace, 'sim1');
  const workDir = join(base, 'scratch', 'job_4242.pbs-demo', 'main');
  const bin = join(base, 'bin');
  for (const d of [inputDir, workDir, bin]) mkdirSync(d, { recursive: true });

  // What the job left in its scratch directory.
  writeFileSync(join(workDir, 'md.log'), 'Step 0 ... Step 5000\nFatal error: bonds blew up\n');
  writeFileSync(join(workDir, 'run_md.out'), 'starting gmx mdrun\n');
  writeFileSync(join(workDir, 'run_md.err'), 'Fatal error: bonds blew up at step 5000\n');
  writeFileSync(
    join(workDir, 'confout.gro'),
    'demo\n    1\n    1SOL     OW    1   0.1   0.2   0.3\n',
  );
  writeFileSync(join(inputDir, 'run_md.sh'), '#!/bin/bash\ngmx mdrun -deffnm md\n');

  // The info file qq wrote for it (qq v0.10.1's format).
  writeFileSync(
    join(inputDir, 'run_md.qqinfo'),
    `# qq job info file
batch_system: PBS
qq_version: 0.10.1
username: demo
job_id: 4242.pbs-demo
job_name: run_md.sh
script_name: run_md.sh
queue: default
job_type: standard
input_machine: ${hostname()}
input_dir: ${inputDir}
job_state: failed
submission_time: '2026-11-20 10:15:02'
stdout_file: run_md.out
stderr_file: run_md.err
resources:
  nnodes: 1
  ncpus: 8
  walltime: '48:00:00'
  work_dir: scratch_local
transfer_mode:
- success
start_time: '2026-11-20 10:17:40'
main_node: node042.demo-cluster
all_nodes:
- node042.demo-cluster
work_dir: ${workDir}
completion_time: '2026-11-20 13:02:11'
job_exit_code: 1
`,
  );

  // The scheduler has forgotten the job: PBS's qstat answers like this for purged jobs.
  writeFileSync(
    join(bin, 'qstat'),
    `#!/usr/bin/env node
process.stderr.write('qstat: Unknown Job Id ' + process.argv.slice(2).filter((a) => !a.startsWith('-')).join(' ') + '\\n');
process.exit(153);
`,
  );
  chmodSync(join(bin, 'qstat'), 0o755);

  return { workspace, inputDir, workDir, bin };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node demo/world.mjs DIR');
    process.exit(2);
  }
  mkdirSync(dir, { recursive: true });
  const world = makeDemoWorld(resolve(dir));
  console.log(JSON.stringify(world, null, 2));
  if (process.env.GITHUB_OUTPUT) {
    appendFileSync(
      process.env.GITHUB_OUTPUT,
      `input-dir=${world.inputDir}\nworkspace=${world.workspace}\n`,
    );
  }
  if (process.env.GITHUB_PATH) appendFileSync(process.env.GITHUB_PATH, `${world.bin}\n`);
}
