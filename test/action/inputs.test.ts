import { describe, expect, it } from 'vitest';
import { actionDefaults } from '../../scripts/run-action.mjs';
import { INPUT_DEFAULTS, readSettings } from '../../src/action/inputs.js';
import { InputError } from '../../src/domain/errors.js';

/** Inputs as the runner gives them: action.yml's defaults, then what the workflow set. */
function settingsWith(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  const all = { ...actionDefaults(), ...inputs };
  return readSettings((name) => all[name] ?? '', { GITHUB_WORKSPACE: '/ws', ...env });
}

describe('readSettings', () => {
  it("reads action.yml's defaults into qq's behaviour", () => {
    const s = settingsWith({});
    expect(s.paths).toEqual(['.']);
    expect(s.jobIds).toEqual([]);
    expect(s.destination).toBeUndefined();
    expect(s.sharedStorage).toBe('auto');
    expect(s.strictHostKeyChecking).toBe('accept-new');
    expect(s.overwrite).toBe('newer');
    expect(s.transferTimeoutSec).toBe(600);
    expect(s.retries).toBe(2);
    expect(s.parallel).toBe(4);
    expect(s.waitTimeoutSec).toBe(3600);
    expect(s.pollIntervalSec).toBe(60);
    expect(s.dryRun).toBe(false);
    expect(s.cache).toBe(false);
    expect(s.follow).toBe(false);
    expect(s.failOn.size).toBe(0);
  });

  it('takes an input given as empty (as reusable workflows pass unset ones) as its default', () => {
    const empty = Object.fromEntries(Object.keys(actionDefaults()).map((k) => [k, '']));
    expect(settingsWith(empty)).toEqual(settingsWith({}));
    expect(settingsWith({ 'wait-timeout': '  ', parallel: '' }).waitTimeoutSec).toBe(3600);
  });

  it('knows every non-empty default of action.yml, and no other', () => {
    const fromYml = Object.entries(actionDefaults()).filter(([, v]) => v !== '');
    expect(Object.entries(INPUT_DEFAULTS).sort()).toEqual(fromYml.sort());
  });

  it('searches path only when it is set explicitly next to job-id', () => {
    expect(settingsWith({ 'job-id': '123 456' }).paths).toEqual([]);
    expect(settingsWith({ 'job-id': '123\n456' }).jobIds).toEqual(['123', '456']);
    expect(settingsWith({ 'job-id': '123', path: 'sims' }).paths).toEqual(['sims']);
  });

  it('reads every list input with one syntax: commas, whitespace and newlines in any mix', () => {
    expect(settingsWith({ 'job-id': '1, 2,3\n4  5' }).jobIds).toEqual(['1', '2', '3', '4', '5']);
    const s = settingsWith({ 'fail-on': 'failed killed,\n in an inconsistent state' });
    expect([...s.failOn].sort()).toEqual(['FAILED', 'IN_AN_INCONSISTENT_STATE', 'KILLED']);
    expect([...settingsWith({ 'wait-for': 'finished failed' }).waitFor].sort()).toEqual([
      'FAILED',
      'FINISHED',
    ]);
  });

  it('reads durations with units, and whole seconds as before', () => {
    const s = settingsWith({
      'wait-timeout': '3h',
      'poll-interval': '90s',
      'scheduler-timeout': '2m',
      'transfer-timeout': '1h30m',
    });
    expect([s.waitTimeoutSec, s.pollIntervalSec, s.schedulerTimeoutSec]).toEqual([10800, 90, 120]);
    expect(s.transferTimeoutSec).toBe(5400);
    expect(settingsWith({ 'wait-timeout': '45' }).waitTimeoutSec).toBe(45);
  });

  it('resolves the destination against the workspace', () => {
    expect(settingsWith({ destination: 'out' }).destination).toBe('/ws/out');
    expect(settingsWith({ destination: '/abs/out' }).destination).toBe('/abs/out');
  });

  it('reads fail-on and wait-for as real states and unsuitable', () => {
    const s = settingsWith({
      'fail-on': 'failed, killed\nunsuitable, inconsistent',
      'wait-for': 'finished,failed',
    });
    expect([...s.failOn].sort()).toEqual([
      'FAILED',
      'IN_AN_INCONSISTENT_STATE',
      'KILLED',
      'unsuitable',
    ]);
    expect([...s.waitFor].sort()).toEqual(['FAILED', 'FINISHED']);
  });

  it.each([
    [
      'fail-on',
      'crashed',
      /Input 'fail-on' has an unknown condition 'crashed'; allowed: queued, held/,
    ],
    ['wait-for', 'unsuitable', /Input 'wait-for' has an unknown condition 'unsuitable'/],
    [
      'shared-storage',
      'maybe',
      /Input 'shared-storage' must be one of 'auto', 'true', 'false'; got 'maybe'/,
    ],
    ['strict-host-key-checking', 'ask', /must be one of 'accept-new', 'yes', 'no'/],
    ['overwrite', 'never', /Input 'overwrite' must be one of 'newer', 'always'/],
    [
      'batch-system',
      'SGE',
      /Input 'batch-system' must be one of 'PBS', 'Slurm', 'SlurmIT4I', 'SlurmLumi'/,
    ],
    ['transfer-timeout', '10 minutes', /Input 'transfer-timeout' must be a duration from 1 to/],
    ['wait-timeout', '2w', /Input 'wait-timeout' must be a duration .*'90s', '30m', '3h'/],
    [
      'ssh-options',
      '-p 2222 gateway',
      /Input 'ssh-options', line '-p 2222 gateway': 'gateway' is not an ssh option/,
    ],
    ['retries', '-1', /Input 'retries' must be a whole number/],
    ['parallel', '0', /Input 'parallel' must be a whole number from 1 to 64/],
    ['poll-interval', '1e3', /Input 'poll-interval' must be a duration/],
    ['dry-run', 'yes', /Input 'dry-run' must be 'true' or 'false'; got 'yes'/],
    ['exclude', '*.xtc\n--delete', /Input 'exclude' has '--delete', which looks like an option/],
    ['exclude', '+ keep.txt', /Input 'exclude' has '\+ keep.txt', which rsync would read as/],
    ['max-size', '2 GB', /Input 'max-size' must be a size as rsync's --max-size takes it/],
    ['manifest', 'yes', /Input 'manifest' must be 'true' or 'false'/],
    ['checksums', 'sha256', /Input 'checksums' must be 'true' or 'false'/],
    ['streams', 'fast', /Input 'streams' must be 'auto' or a whole number from 1 to 32/],
    ['streams', '64', /Input 'streams' must be 'auto' or a whole number from 1 to 32; got '64'/],
  ])('refuses %s: %s with a message naming the input', (name, value, message) => {
    expect(() => settingsWith({ [name]: value })).toThrow(InputError);
    expect(() => settingsWith({ [name]: value })).toThrow(message);
  });

  it('reads the selection: exclude lines, max-size in bytes; empty means the default', () => {
    const s = settingsWith({
      exclude: '*.xtc\n\n  scratch/  \n/top.txt',
      'max-size': '500M',
      manifest: 'true',
      checksums: 'true',
    });
    expect(s.exclude).toEqual(['*.xtc', 'scratch/', '/top.txt']);
    expect(s.maxSize).toBe(500 * 1024 * 1024);
    expect([s.manifest, s.checksums]).toEqual([true, true]);
    const d = settingsWith({ exclude: '', 'max-size': '', manifest: '', checksums: '' });
    expect([d.exclude, d.maxSize, d.manifest, d.checksums]).toEqual([[], undefined, false, false]);
  });

  it('accepts enum values in any case, as users type them', () => {
    expect(settingsWith({ 'batch-system': 'slurmit4i' }).batchSystem).toBe('SlurmIT4I');
    expect(settingsWith({ 'shared-storage': 'TRUE' }).sharedStorage).toBe('true');
  });
});
