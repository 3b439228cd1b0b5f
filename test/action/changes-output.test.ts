/**
 * changed-files and the manifest as the workflow gets them: paths relative to the workspace,
 * lists cut to what fits a step output (with the full list in a file under RUNNER_TEMP), the
 * manifest's fields and checksums.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { workspacePaths, writeChangeOutputs } from '../../src/action/report/changes-output.js';
import { hashChanges } from '../../src/action/report/manifest.js';
import { computeOutputs } from '../../src/action/report/outputs.js';
import type { JobResult } from '../../src/action/report/result.js';
import { allChangedFiles, CHANGED_LIST_LIMIT, takeWithin } from '../../src/transfer/changes.js';
import type { ChangedEntry } from '../../src/transfer/path-filter.js';

const workspacePath = (ws: string, dest: string, rel: string) => workspacePaths(ws, dest)(rel);

import { cleanTemps, tempDir } from '../support/temp.js';
import { put } from '../support/transfer.js';

afterAll(cleanTemps);

function result(id: string, destination: string, changes: ChangedEntry[]): JobResult {
  return {
    id,
    name: 'run.sh',
    infoFile: '',
    state: 'running',
    status: 'synced',
    reasonCode: 'fetched',
    reason: '',
    exitCode: null,
    filesSynced: changes.length,
    bytesSynced: 0,
    destination,
    cacheHit: false,
    cacheKey: '',
    mainNode: 'n1',
    workDir: '/scratch',
    inputDir: destination,
    durationMs: 1,
    method: 'rsync',
    attempts: 1,
    changes,
    changedFiles: changes.map((e) => workspacePath('/ws', destination, e.rel)),
  };
}

const entry = (rel: string, size = 1): ChangedEntry => ({
  rel,
  kind: 'file',
  size,
  mtimeSec: 86400,
});

describe('changed-files', () => {
  it('relative to the workspace, absolute outside it; names that are not UTF-8 shown with U+FFFD', () => {
    expect(workspacePath('/ws', '/ws/sim', 'sub/a.txt')).toBe('sim/sub/a.txt');
    expect(workspacePath('/ws', '/elsewhere', 'a.txt')).toBe('/elsewhere/a.txt');
    expect(workspacePath('/ws', '/ws/sim', 'caf\xe9')).toBe('sim/caf\ufffd');
    expect(workspacePath('/ws', '/ws/..results', 'a.txt')).toBe('..results/a.txt');
    // The destination worked out once, as path.join + path.relative would give it each time.
    for (const [ws, dest] of [
      ['/ws', '/ws'],
      ['/ws', '/ws/'],
      ['/ws', '/ws/a/../sim'],
      ['/ws', '/ws/..sim'],
      ['/ws', '/'],
      ['/ws/', '/other//dir/'],
    ] as const) {
      const full = path.join(dest, 'sub/b.txt');
      const inside = path.relative(ws, full);
      // Outside: a first component that is exactly '..' (a name like '..sim' is inside).
      const outside = inside === '..' || inside.startsWith('../') || path.isAbsolute(inside);
      const expected = outside ? full : inside;
      expect(workspacePath(ws, dest, 'sub/b.txt'), `${ws} ${dest}`).toBe(expected);
    }
  });

  it('a long list: the output holds what fits, the per-job lists share another budget, the file has all', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => entry(`results/frame-${i}.dat`));
    const results = [result('1', '/ws/a', many), result('2', '/ws/b', [entry('log.txt')])];
    const out = computeOutputs(results);
    const shown = JSON.parse(out['changed-files']) as string[];
    expect(Buffer.byteLength(out['changed-files'])).toBeLessThanOrEqual(CHANGED_LIST_LIMIT);
    expect(shown.length).toBeGreaterThan(1000);
    expect(shown.length).toBeLessThan(20_001);
    expect(shown[0]).toBe('a/results/frame-0.dat');
    const jobs = JSON.parse(out.jobs);
    expect(jobs[0].changedFilesCount).toBe(20_000);
    expect(jobs[0].changedFiles.length).toBeLessThan(20_000);

    const said: string[] = [];
    const env = { RUNNER_TEMP: tempDir('runner-temp') };
    const files = writeChangeOutputs(results, {
      workspace: '/ws',
      manifest: false,
      checksums: false,
      dryRun: false,
      env,
      info: (m) => said.push(m),
    });
    expect(files['changed-files-file'].startsWith(env.RUNNER_TEMP)).toBe(true);
    const all = JSON.parse(readFileSync(files['changed-files-file'], 'utf8'));
    expect(all).toHaveLength(20_001);
    expect(all[20_000]).toBe('b/log.txt');
    expect(said.join('\n')).toContain(`all of them are in ${files['changed-files-file']}`);
    expect(files.manifest).toBe('');
  });

  it('changed-files: the first paths of all jobs, one after the other, that fit its budget', () => {
    const files = (n: number, name: string) =>
      Array.from({ length: n }, (_, i) => entry(`${name}-${i}.dat`));
    // One job or several; the first cut by the budget or not; jobs without changes.
    const shapes = [[20_000], [20_000, 1], [1, 20_000], [3, 0, 4], [0, 20_000], [13_000, 20], []];
    for (const shape of shapes) {
      const results = shape.map((n, i) => result(String(i), `/ws/j${i}`, files(n, `f${i}`)));
      const want = takeWithin(allChangedFiles(results), { left: CHANGED_LIST_LIMIT });
      expect(computeOutputs(results)['changed-files'], String(shape)).toBe(JSON.stringify(want));
    }
  });

  it('a short list: all in the output, no file; nothing changed: []', () => {
    const out = computeOutputs([result('1', '/ws/a', [entry('x')])]);
    expect(JSON.parse(out['changed-files'])).toEqual(['a/x']);
    expect(computeOutputs([result('1', '/ws/a', [])])['changed-files']).toBe('[]');
    const files = writeChangeOutputs([result('1', '/ws/a', [entry('x')])], {
      workspace: '/ws',
      manifest: false,
      checksums: false,
      dryRun: false,
      env: { RUNNER_TEMP: tempDir('runner-temp') },
      info: () => {},
    });
    expect(files).toEqual({ 'changed-files-file': '', manifest: '' });
  });
});

describe('manifest', () => {
  it('lists each fetched entry with path, job, size, mtime and the SHA-256 of each file', async () => {
    const ws = tempDir('ws');
    const dest = path.join(ws, 'sim');
    await put(dest, 'md.log', 'log\n');
    await put(dest, 'sub/caf\u00e9.xvg', '1 2\n');
    const changes: ChangedEntry[] = [
      entry('md.log', 4),
      entry(Buffer.from('sub/caf\u00e9.xvg').toString('latin1'), 4),
      { rel: 'link', kind: 'symlink', size: 6, mtimeSec: 0 },
    ];
    await hashChanges(changes, dest);
    const r = { ...result('7', dest, changes), changedFiles: [] };
    const out = writeChangeOutputs([r], {
      workspace: ws,
      manifest: true,
      checksums: true,
      dryRun: false,
      env: { RUNNER_TEMP: tempDir('runner-temp') },
      info: () => {},
    });
    const m = JSON.parse(readFileSync(out.manifest, 'utf8'));
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    expect(m.checksums).toBe('sha256');
    expect(m.files).toEqual([
      {
        path: 'sim/md.log',
        job: '7',
        kind: 'file',
        size: 4,
        mtime: '1970-01-02T00:00:00.000Z',
        sha256: sha('log\n'),
      },
      {
        path: 'sim/sub/caf\u00e9.xvg',
        job: '7',
        kind: 'file',
        size: 4,
        mtime: '1970-01-02T00:00:00.000Z',
        sha256: sha('1 2\n'),
      },
      { path: 'sim/link', job: '7', kind: 'symlink', size: 6, mtime: '1970-01-01T00:00:00.000Z' },
    ]);
  });
});
