// npm run demo — qq-sync on a machine with no cluster: no scheduler, no ssh, rsync optional.
//
// It builds one example qq job in a temporary directory: a molecular-dynamics run that
// failed (exit code 1) on a compute node, whose scratch directory was kept (transfer_mode:
// success), and which the scheduler has already forgotten (a stand-in `qstat` answers
// "Unknown Job Id", as PBS does for purged jobs). Then it runs the bundled action exactly as
// a GitHub runner would, twice: once to fetch and report, once with `fail-on: failed` to show
// the gate. Nothing outside the temporary directory is touched.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '../scripts/run-action.mjs';
import { makeDemoWorld } from './world.mjs';

const base = mkdtempSync(join(tmpdir(), 'qq-sync-demo-'));
const { workspace, inputDir, bin } = makeDemoWorld(base);

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
      .replace(/<\/(tr|h2|h3|p|li)>|<br>/g, '\n')
      .replace(/<\/summary>/g, ': ')
      .replace(/<\/t[dh]>/g, ' | ')
      .replace(/<[^>]+>/g, '')
      .replace(/&nbsp;/g, ' ')
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
