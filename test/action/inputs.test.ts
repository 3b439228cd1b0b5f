import { describe, expect, it } from 'vitest';
import { actionDefaults } from '../../scripts/run-action.mjs';
import { readSettings } from '../../src/action/inputs.js';
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

  it('searches path only when it is set explicitly next to job-id', () => {
    expect(settingsWith({ 'job-id': '123 456' }).paths).toEqual([]);
    expect(settingsWith({ 'job-id': '123\n456' }).jobIds).toEqual(['123', '456']);
    expect(settingsWith({ 'job-id': '123', path: 'sims' }).paths).toEqual(['sims']);
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
    ['transfer-timeout', '10m', /Input 'transfer-timeout' must be a whole number from 1 to/],
    ['retries', '-1', /Input 'retries' must be a whole number/],
    ['parallel', '0', /Input 'parallel' must be a whole number from 1 to 64/],
    ['poll-interval', '1e3', /Input 'poll-interval' must be a whole number/],
    ['dry-run', 'yes', /Input 'dry-run' must be 'true' or 'false'; got 'yes'/],
  ])('refuses %s: %s with a message naming the input', (name, value, message) => {
    expect(() => settingsWith({ [name]: value })).toThrow(InputError);
    expect(() => settingsWith({ [name]: value })).toThrow(message);
  });

  it('accepts enum values in any case, as users type them', () => {
    expect(settingsWith({ 'batch-system': 'slurmit4i' }).batchSystem).toBe('SlurmIT4I');
    expect(settingsWith({ 'shared-storage': 'TRUE' }).sharedStorage).toBe('true');
  });
});
