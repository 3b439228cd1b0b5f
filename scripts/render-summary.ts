/**
 * npm run render-summary: job summaries as a person sees them on GitHub, as PNGs. The pictures
 * are for people; the tests check the Markdown's structure.
 *
 *   npm run render-summary                           the built-in scenes, into .tmp/summary-images/
 *   npm run render-summary -- --docs                 the same, over the committed docs/images/
 *   npm run render-summary -- <summary.md> <out.png> any summary file (GITHUB_STEP_SUMMARY of a
 *                                                    real run, e.g. from scripts/run-action.mjs)
 *
 * The scenes run through the committed bundle as the runner runs it (the stand-in PBS of the
 * tests answers `qstat`): a single failed job, a mixed campaign, an all-finished campaign.
 * Each summary is turned into HTML by `marked` (GitHub Flavored Markdown; HTML passes through
 * as GitHub lets it) inside github-markdown-css's `.markdown-body`, at the width of a job
 * summary, and photographed by headless Chromium.
 *
 * Needs: Debian's `chromium` and `fonts-noto-color-emoji` (the state bar is emoji, as browsers
 * draw it): apt-get install -y chromium fonts-noto-color-emoji. CHROMIUM=<binary> to use another.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { marked } from 'marked';
import { infoText, pbsRecord, SERVER } from '../test/support/scene-files.js';
import { root, runAction } from './run-action.mjs';

const DOCS = join(root, 'docs', 'images');
/** GitHub's job summary is about this wide on a laptop screen. */
const WIDTH = 1000;
const MIN_HEIGHT = 240;
const CHROMIUM = process.env.CHROMIUM || 'chromium';

/** A workspace, scratch and PBS records of its own, as the tests' scenes have. */
class Scene {
  readonly base = mkdtempSync(join(tmpdir(), 'qq-sync-render-'));
  readonly workspace = join(this.base, 'workspace');
  readonly records = join(this.base, 'records');
  private next = 6001;
  constructor() {
    for (const d of [this.workspace, this.records]) mkdirSync(d, { recursive: true });
  }

  /**
   * A job in `dir` whose PBS record says `pbs` (F, R, Q) and `exit`; qq kept its scratch
   * directory (transfer_mode: never), so there is something to fetch. Returns its scratch.
   */
  job(dir: string, name: string, state: string, pbs: string, exit?: number): string {
    const jobId = `${this.next++}.${SERVER}`;
    // What qstat -f tells of a finished job's resources (the summary's account of a failure).
    const used =
      pbs === 'F'
        ? [
            `    resources_used.walltime = ${exit === -29 ? '04:00:07' : '01:12:31'}`,
            '    resources_used.mem = 3817452kb',
            '    Resource_List.walltime = 04:00:00',
            '    Resource_List.mem = 8gb',
            '',
          ].join('\n')
        : '';
    writeFileSync(
      join(this.records, `${jobId}.txt`),
      pbsRecord(jobId, pbs, 'node1.example.org', exit) + used,
    );
    const inputDir = join(this.workspace, dir);
    const workDir = join(this.base, 'scratch', dir);
    mkdirSync(inputDir, { recursive: true });
    mkdirSync(workDir, { recursive: true });
    for (const [f, text] of Object.entries(RESULTS)) writeFileSync(join(workDir, f), text);
    if (state === 'failed' || state === 'killed') {
      writeFileSync(join(workDir, 'run_md.err'), state === 'failed' ? GMX_ERROR : KILLED);
    }
    const info = infoText({
      jobId,
      jobName: name,
      inputDir,
      workDir,
      jobState: state,
      mainNode: 'node1.example.org',
      // qq records no exit code for a killed job.
      ...(exit === undefined || state === 'killed' ? {} : { exitCode: exit }),
    });
    writeFileSync(join(inputDir, 'run_md.qqinfo'), info.replace('- success', '- never'));
    return workDir;
  }

  run(inputs: Record<string, string>) {
    return runAction({
      workspace: this.workspace,
      inputs,
      env: {
        PATH: `${join(root, 'test', 'support', 'pbs')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
        QSTAT_STANDIN_RECORDS: this.records,
        GITHUB_ACTION: 'sync',
      },
    });
  }

  cleanup(): void {
    rmSync(this.base, { recursive: true, force: true });
  }
}

/** A few files as an MD run leaves them. */
const RESULTS = {
  'md.log': 'Step 0 ... Step 5000\n'.repeat(40),
  'confout.gro': 'x'.repeat(2000),
  'run_md.out': 'starting gmx mdrun\n',
};

/** The end of a failed GROMACS run's stderr, as users meet it. */
const GMX_ERROR = `${'Step 41000, time 82 (ps)  LINCS WARNING\n'.repeat(6)}
-------------------------------------------------------
Program:     gmx mdrun, version 2024.3
Source file: src/gromacs/mdlib/constr.cpp (line 168)
MPI rank:    0 (out of 8)

Fatal error:
Too many LINCS warnings (1000)
If you know what you are doing you can adjust the lincs warning threshold in
your mdp file or set the environment variable GMX_MAXCONSTRWARN to -1

For more information and tips for troubleshooting, please check the GROMACS
website at https://manual.gromacs.org/current/user-guide/run-time-errors.html
-------------------------------------------------------
`;

const KILLED =
  'Step 2890000, remaining wall clock time:   412 s\nReceived the TERM signal, stopping within 200 steps\n';

type Scenario = (s: Scene) => Record<string, string>;

const SCENARIOS: Record<string, Scenario> = {
  'summary-single-job': (s) => {
    s.job('sim1', 'ala-300K', 'failed', 'F', 1);
    return { path: 'sim1', 'shared-storage': 'true' };
  },
  'summary-mixed-campaign': (s) => {
    const plan: Array<[string, string, number | undefined]> = [
      ['finished', 'F', 0],
      ['finished', 'F', 0],
      ['finished', 'F', 0],
      ['failed', 'F', 1],
      ['killed', 'F', -29],
      ['running', 'R', undefined],
      ['queued', 'Q', undefined],
      ['running', 'R', undefined],
    ];
    plan.forEach(([state, pbs, exit], i) => {
      const workDir = s.job(`scan/T${300 + 10 * i}`, `ala-${300 + 10 * i}K`, state, pbs, exit);
      // The last one's scratch is gone: a transfer error on its row.
      if (i === plan.length - 1) rmSync(workDir, { recursive: true });
    });
    return { path: 'scan/*/', destination: 'collected', 'shared-storage': 'true' };
  },
  'summary-all-finished': (s) => {
    for (let i = 0; i < 6; i++)
      s.job(`scan/T${300 + 10 * i}`, `ala-${300 + 10 * i}K`, 'finished', 'F', 0);
    return { path: 'scan/*/', destination: 'collected', 'shared-storage': 'true' };
  },
};

function page(summaryMarkdown: string, css: string, measure: boolean): string {
  const body = marked.parse(summaryMarkdown, { gfm: true, async: false }) as string;
  // Chromium prints the DOM after scripts ran: the title carries the height to photograph.
  const script = measure
    ? '<script>addEventListener("load",()=>{document.title="H="+Math.ceil(document.documentElement.getBoundingClientRect().height)})</script>'
    : '';
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css}
body{margin:0;background:#fff}.markdown-body{box-sizing:border-box;max-width:${WIDTH}px;padding:24px 32px}</style>${script}</head>
<body><article class="markdown-body">${body}</article></body></html>`;
}

function chromium(args: string[]): string {
  const profile = mkdtempSync(join(tmpdir(), 'qq-sync-chromium-'));
  try {
    return execFileSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        ...args,
      ],
      { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

function photograph(summary: string, png: string, work: string): void {
  const css = readFileSync(
    createRequire(import.meta.url).resolve('github-markdown-css/github-markdown-light.css'),
    'utf8',
  );
  const measureFile = join(work, 'measure.html');
  writeFileSync(measureFile, page(summary, css, true));
  const dom = chromium([`--window-size=${WIDTH},800`, '--dump-dom', `file://${measureFile}`]);
  const height = Number(/<title>H=(\d+)<\/title>/.exec(dom)?.[1] ?? 800);
  const file = join(work, 'summary.html');
  writeFileSync(file, page(summary, css, false));
  // A window shorter than a few hundred pixels is photographed cut (a one-line summary lost
  // half its title): never below MIN_HEIGHT.
  const shot = Math.max(height, MIN_HEIGHT);
  chromium([`--window-size=${WIDTH},${shot}`, `--screenshot=${png}`, `file://${file}`]);
}

/** `npm run render-summary -- <summary.md> <out.png>`: one file, as it is. */
function renderFile(summaryFile: string, png: string): void {
  const work = mkdtempSync(join(tmpdir(), 'qq-sync-render-'));
  try {
    photograph(readFileSync(summaryFile, 'utf8'), resolve(png), work);
    console.log(`${summaryFile} → ${png}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function renderScenes(out: string): Promise<void> {
  mkdirSync(out, { recursive: true });
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    const s = new Scene();
    try {
      const run = await s.run(scenario(s));
      if (!run.summary) throw new Error(`${name}: no summary (exit ${run.code})\n${run.stdout}`);
      const png = join(out, `${name}.png`);
      photograph(run.summary, png, s.base);
      // Beside the picture (not in docs/): the Markdown it shows, to render or compare.
      if (out !== DOCS) writeFileSync(join(out, `${name}.md`), run.summary);
      console.log(`${name}: exit ${run.code}, ${run.summary.length} characters → ${png}`);
    } finally {
      s.cleanup();
    }
  }
}

const args = process.argv.slice(2);
if (args.length === 2 && !args.some((a) => a.startsWith('-'))) {
  renderFile(args[0] as string, args[1] as string);
} else if (args.length === 0 || (args.length === 1 && args[0] === '--docs')) {
  // The committed pictures change only when asked: a look at the scenes goes to .tmp/.
  await renderScenes(args[0] === '--docs' ? DOCS : join(root, '.tmp', 'summary-images'));
} else {
  console.error(
    'Usage: npm run render-summary [-- --docs | -- <summary.md> <out.png>]\n  no arguments: the built-in scenes into .tmp/summary-images/; --docs: into docs/images/',
  );
  process.exit(2);
}
