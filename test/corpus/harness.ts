/**
 * Shared by the corpus, fault and security suites: a private scene on disk (workspace, work
 * dirs, stand-in PBS records, a canary path), qq jobs written into it, the bundle run the way
 * the runner runs it, and a reader of stdout that parses workflow commands as the runner does.
 *
 * PBS Pro cannot be installed here: `qstat` is the stand-in of test/support/pbs (recorded output,
 * clearly labelled there); its records are written per scene into a private directory
 * (QSTAT_STANDIN_RECORDS), so every job id the scene needs exists with the state it needs.
 *
 * QQ_SYNC_TEST_ENTRY=<file> runs another build of the bundle than the committed dist/index.js
 * (a helper builds its own when src/ changed and dist/ was not rebuilt yet).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type ActionRun, root, runAction } from '../../scripts/run-action.mjs';
import { requireCurrentBundle } from '../support/bundle.js';
import { type InfoFields, infoText, pbsRecord, SERVER } from '../support/scene-files.js';

requireCurrentBundle();

export const ENTRY = process.env.QQ_SYNC_TEST_ENTRY || undefined;
export const PBS_BIN = join(root, 'test', 'support', 'pbs');

// Written without the bundle check, for scripts/render-summary.ts too.
export { type InfoFields, infoText, pbsRecord } from '../support/scene-files.js';
export { SERVER };

export interface JobRow {
  id: string;
  name: string;
  infoFile: string;
  state: string;
  status: string;
  reason: string;
  filesSynced: number;
  bytesSynced: number;
  destination: string;
}

/** A private directory tree for one test: workspace, scratch, PBS records, canary. */
export class Scene {
  readonly base: string;
  readonly workspace: string;
  readonly scratch: string;
  readonly records: string;
  /** The file an injected `touch` would create; checked by `canaryFired()`. */
  readonly canary: string;
  private next = 6000;

  constructor(prefix = 'qq-sync-g-') {
    this.base = mkdtempSync(join(tmpdir(), prefix));
    this.workspace = join(this.base, 'workspace');
    this.scratch = join(this.base, 'scratch');
    this.records = join(this.base, 'records');
    this.canary = join(this.base, 'CANARY');
    for (const d of [this.workspace, this.scratch, this.records]) mkdirSync(d, { recursive: true });
  }

  /** A fresh full PBS job id with a record in the given state. */
  pbsJob(state = 'R', node = 'node1.example.org', exit?: number): string {
    const id = `${this.next++}.${SERVER}`;
    this.record(id, state, node, exit);
    return id;
  }

  record(id: string, state = 'R', node = 'node1.example.org', exit?: number): void {
    writeFileSync(join(this.records, `${id}.txt`), pbsRecord(id, state, node, exit));
  }

  /**
   * Writes the info file `<workspace>/<dir>/run_md.qqinfo` (its input_dir is that directory
   * unless `fields.inputDir` says otherwise) and the work dir's files.
   */
  job(
    dir: string,
    fields: Partial<InfoFields> = {},
    files: Record<string, string> = { 'result.txt': `result of ${dir}\n` },
  ): { infoFile: string; inputDir: string; workDir: string; jobId: string } {
    const infoDir = join(this.workspace, dir);
    const inputDir = fields.inputDir ?? infoDir;
    const workDir = fields.workDir ?? join(this.scratch, dir);
    const jobId = fields.jobId ?? this.pbsJob();
    mkdirSync(infoDir, { recursive: true });
    const infoFile = join(infoDir, 'run_md.qqinfo');
    writeFileSync(
      infoFile,
      infoText({ mainNode: 'node1.example.org', ...fields, jobId, inputDir, workDir }),
    );
    if (workDir.startsWith('/') && !workDir.includes('\n')) {
      mkdirSync(workDir, { recursive: true });
      for (const [name, content] of Object.entries(files)) {
        const target = join(workDir, name);
        mkdirSync(resolve(target, '..'), { recursive: true });
        writeFileSync(target, content);
      }
    }
    return { infoFile, inputDir, workDir, jobId };
  }

  /** Whether any injected command ran: the canary, or a `CANARY` in the usual cwd's. */
  canaryFired(): string[] {
    return [this.canary, join(this.workspace, 'CANARY'), join(homedir(), 'CANARY'), '/CANARY']
      .concat([join(root, 'CANARY')])
      .filter((p) => existsSync(p));
  }

  /** The env every run gets: the stand-in qstat first on PATH, reading this scene's records. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: `${PBS_BIN}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      QSTAT_STANDIN_RECORDS: this.records,
      ...extra,
    };
  }

  run(
    inputs: Record<string, string>,
    env: Record<string, string> = {},
    timeoutMs = 120_000,
  ): Promise<ActionRun> {
    return runAction({
      workspace: this.workspace,
      inputs,
      env: this.env(env),
      entry: ENTRY,
      timeoutMs,
    });
  }

  cleanup(): void {
    rmSync(this.base, { recursive: true, force: true });
  }
}

export function jobRows(run: ActionRun): JobRow[] {
  try {
    return JSON.parse(run.outputs.jobs ?? '[]');
  } catch {
    return [];
  }
}

/** Commands the runner registers (v1 `##[name` anywhere in a line, v2 `::name` at the start). */
const REGISTERED = [
  'add-mask',
  'add-path',
  'set-env',
  'set-output',
  'save-state',
  'error',
  'warning',
  'notice',
  'debug',
  'group',
  'endgroup',
  'echo',
  'add-matcher',
  'remove-matcher',
  'stop-commands',
];

export interface ParsedCommand {
  name: string;
  line: string;
  lineNo: number;
}

/**
 * The workflow commands the runner would act on in `stdout`, as its ActionCommandManager reads
 * them: a v2 command is a line that, after leading white space, starts with `::name` and holds
 * a second `::`; a v1 command is `##[name…]` anywhere in a line. After `::stop-commands::T`
 * nothing acts until a line that is exactly `::T::`. Also returns fence problems: a fence never
 * closed, a token used twice.
 */
export function parseWorkflowCommands(stdout: string): {
  commands: ParsedCommand[];
  problems: string[];
} {
  const commands: ParsedCommand[] = [];
  const problems: string[] = [];
  const usedTokens = new Set<string>();
  let stopped: string | undefined;
  const lines = stdout.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trimStart();
    if (stopped !== undefined) {
      if (line.trimEnd() === `::${stopped}::`) stopped = undefined;
      return;
    }
    const v2 = /^::([A-Za-z-]+)(?:\s[^:]*)?::(.*)$/.exec(line);
    if (v2 && REGISTERED.includes((v2[1] as string).toLowerCase())) {
      const name = (v2[1] as string).toLowerCase();
      commands.push({ name, line: raw, lineNo: i + 1 });
      if (name === 'stop-commands') {
        const token = (v2[2] as string).trim();
        if (usedTokens.has(token)) problems.push(`line ${i + 1}: stop-commands token reused`);
        if (token.length < 16) problems.push(`line ${i + 1}: short stop-commands token`);
        usedTokens.add(token);
        stopped = token;
      }
      return;
    }
    const v1 = /##\[([A-Za-z-]+)[ \]]/.exec(raw);
    if (v1 && REGISTERED.includes((v1[1] as string).toLowerCase())) {
      commands.push({ name: `v1:${(v1[1] as string).toLowerCase()}`, line: raw, lineNo: i + 1 });
    }
  });
  if (stopped !== undefined) problems.push(`a stop-commands fence (${stopped}) is never closed`);
  return { commands, problems };
}
