/**
 * Choosing a batch system (docs/qq-behaviour.md §3.3) and refusing job ids that could be options or hold
 * characters no scheduler id has. The guess looks for marker commands on PATH; the tests put
 * empty executables with those names in private directories (what is tested is the lookup,
 * nothing is run).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getBatchSystem,
  guessBatchSystem,
  resolveBatchSystemName,
  validateJobId,
} from '../../src/batch/index.js';
import { InputError, QQError } from '../../src/domain/errors.js';

let base: string;
function pathWith(...commands: string[]): string {
  const dir = join(base, commands.join('_') || 'none');
  mkdirSync(dir, { recursive: true });
  for (const c of commands) {
    writeFileSync(join(dir, c), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, c), 0o755);
  }
  return dir;
}
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'qq-batch-index-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('getBatchSystem', () => {
  it('knows the four systems; IT4I and LUMI always use shared storage', () => {
    expect(getBatchSystem('PBS')).toMatchObject({ name: 'PBS', alwaysShared: false });
    expect(getBatchSystem('Slurm')).toMatchObject({ name: 'Slurm', alwaysShared: false });
    expect(getBatchSystem('SlurmIT4I')).toMatchObject({ name: 'SlurmIT4I', alwaysShared: true });
    expect(getBatchSystem('SlurmLumi')).toMatchObject({ name: 'SlurmLumi', alwaysShared: true });
  });

  it('an unknown name (case-sensitive) is qq’s error', () => {
    expect(() => getBatchSystem('slurm')).toThrow(
      new QQError("No batch system registered as 'slurm'."),
    );
    expect(() => getBatchSystem('')).toThrow("No batch system registered as ''.");
  });
});

describe('guessBatchSystem / resolveBatchSystemName', () => {
  const env = (...commands: string[]) => ({ PATH: pathWith(...commands) });

  it('guesses in registration order from the commands on PATH', async () => {
    expect(await guessBatchSystem(env('qsub'))).toBe('PBS');
    expect(await guessBatchSystem(env('qsub', 'sbatch'))).toBe('PBS');
    expect(await guessBatchSystem(env('sbatch'))).toBe('Slurm');
    expect(await guessBatchSystem(env('sbatch', 'it4ifree'))).toBe('SlurmIT4I');
    expect(await guessBatchSystem(env('sbatch', 'lumi-allocations'))).toBe('SlurmLumi');
    expect(await guessBatchSystem(env('it4ifree', 'lumi-allocations'))).toBe('SlurmIT4I');
  });

  it('nothing on PATH → qq’s message', async () => {
    const e = await guessBatchSystem(env()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(QQError);
    // qq's sentence to the letter; beside it what was looked for, where, and the ways out.
    expect((e as QQError).message).toBe(
      'Could not guess a batch system. No registered batch system available.',
    );
    const message = (e as QQError).hint ?? '';
    for (const word of [
      'qsub',
      'sbatch',
      'it4ifree',
      'lumi-allocations',
      `PATH=${env().PATH}`,
      '`batch-system`',
      '.path',
      '.env',
    ]) {
      expect(message).toContain(word);
    }
  });

  it('explicit choice, then QQ_BATCH_SYSTEM, then the guess', async () => {
    expect(
      await resolveBatchSystemName('SlurmLumi', { ...env('qsub'), QQ_BATCH_SYSTEM: 'PBS' }),
    ).toBe('SlurmLumi');
    expect(
      await resolveBatchSystemName(undefined, { ...env('qsub'), QQ_BATCH_SYSTEM: 'Slurm' }),
    ).toBe('Slurm');
    expect(await resolveBatchSystemName(undefined, { ...env('qsub'), QQ_BATCH_SYSTEM: '' })).toBe(
      'PBS',
    );
    await expect(
      resolveBatchSystemName(undefined, { ...env('qsub'), QQ_BATCH_SYSTEM: 'LSF' }),
    ).rejects.toThrow("No batch system registered as 'LSF'.");
  });
});

describe('validateJobId', () => {
  it('accepts PBS and Slurm ids', () => {
    for (const id of [
      '123',
      '123.pbs-m1.metacentrum.cz',
      '123[].server',
      '123[4].server',
      '123_4',
      '123+1',
      '123@server',
      'job-id_7',
    ]) {
      expect(validateJobId(id), id).toBe(id);
    }
  });

  it('refuses option-like ids, shell words, separators and overlong ids, naming the id', () => {
    for (const id of [
      '-1',
      '--help',
      '1 2',
      '1;ls',
      '$(id)',
      '`id`',
      '1,2',
      '1\n2',
      '1|2',
      '../1',
      '.1',
      '[1]',
      '',
    ]) {
      expect(() => validateJobId(id), JSON.stringify(id)).toThrow(InputError);
    }
    expect(() => validateJobId('-f')).toThrow(
      "Invalid job id '-f': a job id cannot start with '-'.",
    );
    expect(() => validateJobId('1;ls')).toThrow(/Invalid job id '1;ls': a job id may contain only/);
    expect(() => validateJobId('1'.repeat(201))).toThrow(/longer than 200 characters/);
    expect(() => validateJobId('1\n2')).toThrow("Invalid job id '1\\n2'");
  });
});
