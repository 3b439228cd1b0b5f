// npm run demo — qq-sync on a machine with no cluster: no scheduler, no ssh, rsync optional.
//
// It builds one example qq job in a temporary directory: a molecular-dynamics run that
// failed (exit code 1) on a compute node, whose scratch directory was kept (transfer_mode:
// success), and which the scheduler has already forgotten (a stand-in `qstat` answers
// "Unknown Job Id", as PBS does for purged jobs). Then it runs the bundled action exactly as
// a GitHub runner would, twice: once to fetch and report, once with `fail-on: failed` to show
// the gate. Nothing outside the temporary directory is touched.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '../scripts/run-action.mjs';

const base = mkdtempSync(join(tmpdir(), 'qq-sync-demo-'));
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

const env = { PATH: `${bin}:${process.env.PATH}` };
// The scratch directory is visible from here (in the demo, it is on this machine).
const inputs = { path: 'sim1', 'shared-storage': 'true' };

function show(title, run) {
  console.log(`\n=== ${title} (exit code ${run.code}) ===`);
  console.log('--- log ---');
  process.stdout.write(run.stdout);
  console.log('--- outputs ---');
  for (const [k, v] of Object.entries(run.outputs)) console.log(`${k}: ${v}`);
  console.log('--- job summary (as text) ---');
  console.log(
    run.summary
      .replace(/<\/(tr|h2|h3|p|li)>/g, '\n')
      .replace(/<\/t[dh]>/g, ' | ')
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&'),
  );
}

console.log(`Demo job in ${base}`);
const first = await runAction({ workspace, inputs, env });
show('uses: qq-sync (fetch and report)', first);
console.log('Files now in the input directory:', readdirSync(inputDir).sort().join(', '));

const gated = await runAction({ workspace, inputs: { ...inputs, 'fail-on': 'failed' }, env });
show('uses: qq-sync with fail-on: failed (the gate)', gated);

const ok = first.code === 0 && first.outputs.status === 'synced' && gated.code === 1;
console.log(
  ok
    ? '\nDemo done: the files were fetched, the state reported, and fail-on: failed failed the step.'
    : '\nDemo did not behave as expected (see above).',
);
process.exit(ok ? 0 : 1);
