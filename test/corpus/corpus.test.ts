/**
 * The hostile-input corpus (cases.yaml): every case through the bundle, as the runner runs it,
 * with the stand-in qstat (PBS Pro's layout; see test/support/pbs) and, for the
 * `ssh: true` cases, the real sshd on loopback. Each case checks its expected outcome, that the
 * good job of the same step is still synced, and that no injected command ran (the canary).
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { runCommand } from '../../src/exec/run.js';
import { explain } from '../support/explain.js';
import { sshInputs, sshSkip } from '../support/services.js';
import { infoText, jobRows, Scene } from './harness.js';

interface Expect {
  code?: number;
  status?: string;
  reason?: string;
  jobs?: number;
  job?: { status: string; reason?: string };
  /** Files (relative to the case job's destination) that must arrive, with their content. */
  fetched?: Record<string, string>;
  /** Files that must not arrive. */
  absent?: string[];
}

interface Case {
  name: string;
  kind: 'field' | 'input' | 'infofile';
  ssh?: boolean;
  job?: Record<string, string>;
  inputs?: Record<string, string>;
  text?: string;
  file?: string;
  base64?: string;
  make?: string;
  /** A known bug of the action: the case is run with it.fails until it is fixed. */
  bug?: boolean;
  expect: Expect;
}

const here = dirname(new URL(import.meta.url).pathname);
const CASES: Case[] = parse(readFileSync(join(here, 'cases.yaml'), 'utf8'));
const sshd = inject('sshd');
const SECRET = 'root:x:0:0:SECRET-OUTSIDE-CONTENT:/root:/bin/bash';

function fill(value: string, scene: Scene): string {
  return value
    .replaceAll('{CANARY}', scene.canary)
    .replaceAll('{SCRATCH}', scene.scratch)
    .replaceAll('{BASE}', scene.base);
}

function fillAll(map: Record<string, string> | undefined, scene: Scene): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).map(([k, v]) => [k, fill(v, scene)]));
}

/** Writes the broken info file of an `infofile` case; returns the `path` line to give. */
async function writeBroken(c: Case, scene: Scene): Promise<string> {
  const dir = join(scene.workspace, 'case');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'run_md.qqinfo');
  if (c.text !== undefined) writeFileSync(file, fill(c.text, scene));
  else if (c.file) copyFileSync(join(here, 'infofiles', c.file), file);
  else if (c.base64) writeFileSync(file, Buffer.from(c.base64, 'base64'));
  else {
    switch (c.make) {
      case 'nested':
        writeFileSync(file, `batch_system: PBS\njob_id: ${'['.repeat(200)}${']'.repeat(200)}\n`);
        break;
      case 'sparse100m':
        writeFileSync(file, infoText({ jobId: scene.pbsJob(), inputDir: dir }));
        truncateSync(file, 100 * 1024 * 1024);
        break;
      case 'symlink-good': {
        const real = join(scene.base, 'elsewhere', 'real.qqinfo');
        mkdirSync(dirname(real), { recursive: true });
        const workDir = join(scene.scratch, 'linked');
        mkdirSync(workDir, { recursive: true });
        writeFileSync(join(workDir, 'result.txt'), 'linked\n');
        writeFileSync(
          real,
          infoText({
            jobId: scene.pbsJob(),
            inputDir: dir,
            workDir,
            mainNode: 'node1.example.org',
          }),
        );
        symlinkSync(real, file);
        break;
      }
      case 'symlink-outside': {
        const outside = join(scene.base, 'outside', 'passwd');
        mkdirSync(dirname(outside), { recursive: true });
        writeFileSync(outside, `${SECRET}\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n`);
        symlinkSync(outside, file);
        break;
      }
      case 'symlink-device':
        symlinkSync('/dev/zero', file);
        return 'case/run_md.qqinfo';
      case 'symlink-dangling':
        symlinkSync(join(scene.base, 'nowhere.qqinfo'), file);
        return 'case/run_md.qqinfo';
      case 'directory':
        mkdirSync(join(dir, 'x.qqinfo'));
        writeFileSync(join(dir, 'x.qqinfo', 'inside.txt'), 'not a job');
        return 'case';
      case 'fifo': {
        const r = await runCommand(['mkfifo', file], { timeoutMs: 10_000 });
        if (r.code !== 0) throw new Error(`mkfifo: ${r.stderr}`);
        return 'case/run_md.qqinfo';
      }
      default:
        throw new Error(`unknown make: ${c.make}`);
    }
  }
  return 'case';
}

describe.concurrent('hostile-input corpus (cases.yaml)', () => {
  it('has cases of every kind', () => {
    const count = (k: string) => CASES.filter((c) => c.kind === k).length;
    expect(count('field')).toBeGreaterThanOrEqual(25);
    expect(count('input')).toBeGreaterThanOrEqual(20);
    expect(count('infofile')).toBeGreaterThanOrEqual(20);
  });

  for (const c of CASES) {
    const skip = c.ssh === true && sshSkip(sshd);
    (skip ? it.skip : c.bug ? it.fails : it)(`${c.kind}: ${c.name}`, async () => {
      const scene = new Scene();
      try {
        const ssh = c.ssh ? { ...sshInputs(sshd), 'shared-storage': 'false' } : {};
        const node = c.ssh ? { mainNode: '127.0.0.1' } : {};
        const inputs: Record<string, string> = {
          'shared-storage': 'true',
          retries: '0',
          ...ssh,
          ...fillAll(c.inputs, scene),
        };
        let good: ReturnType<Scene['job']> | undefined;
        let caseJob: ReturnType<Scene['job']> | undefined;
        const paths: string[] = [];
        if (c.kind !== 'input') {
          good = scene.job('good', node);
          paths.push('good');
        }
        if (c.kind === 'infofile') {
          paths.push(await writeBroken(c, scene));
        } else {
          caseJob = scene.job(
            'case',
            { ...node, ...fillAll(c.job, scene) },
            { 'result.txt': 'case result\n', '-rf': 'dash', '..name': 'dots', 'sub/x.txt': 'x' },
          );
          paths.push('case');
        }
        inputs.path = paths.join('\n');
        const run = await scene.run(inputs);
        const why = `${c.name}\n${explain(run)}`;
        const rows = jobRows(run);
        const e = c.expect;

        // Outputs are always set, whatever happened.
        expect(run.outputs.status, why).toMatch(/^(synced|skipped|failed)$/);
        if (e.status) expect(run.outputs.status, why).toBe(e.status);
        if (e.reason) expect(run.outputs.reason, why).toMatch(new RegExp(e.reason));
        if (e.jobs !== undefined) expect(rows.length, why).toBe(e.jobs);
        const caseRow = rows.find((r) => r.infoFile !== good?.infoFile);
        if (e.job) {
          expect(caseRow, why).toBeDefined();
          expect(caseRow?.status, why).toBe(e.job.status);
          if (e.job.reason) expect(caseRow?.reason, why).toMatch(new RegExp(e.job.reason));
          if (e.job.status === 'synced' && caseJob && !c.inputs?.files) {
            expect(readFileSync(join(caseJob.inputDir, 'result.txt'), 'utf8'), why).toBe(
              'case result\n',
            );
          }
        }
        for (const [name, content] of Object.entries(e.fetched ?? {})) {
          expect(readFileSync(join(caseJob?.inputDir ?? '', name), 'utf8'), why).toBe(content);
        }
        for (const name of e.absent ?? []) {
          expect(existsSync(join(caseJob?.inputDir ?? '', name)), why).toBe(false);
        }
        const expectedCode =
          e.code ?? (e.job?.status === 'failed' || e.status === 'failed' ? 1 : 0);
        expect(run.code, why).toBe(expectedCode);

        // The good job of the same step is synced whatever the case did to its neighbour.
        if (good) {
          const goodRow = rows.find((r) => r.infoFile === good?.infoFile);
          expect(goodRow?.status, why).toBe('synced');
          expect(readFileSync(join(good.inputDir, 'result.txt'), 'utf8')).toBe('result of good\n');
        }
        // No injected command ran, nothing outside leaked into the log.
        expect(scene.canaryFired(), why).toEqual([]);
        expect(run.stdout + run.stderr + run.summary).not.toContain('SECRET-OUTSIDE-CONTENT');
        // An error is reported in words, not as a stack trace.
        expect(run.stdout + run.stderr, why).not.toMatch(/\n\s+at .*\.js:\d+:\d+/);
      } finally {
        scene.cleanup();
      }
    });
  }
});
