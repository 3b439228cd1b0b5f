/**
 * Nothing printed leaks an `ssh-options` identity file, and host-key checking defaults to
 * accept-new (action.yml), through the bundle against the real sshd.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { root } from '../../scripts/run-action.mjs';
import { jobRows, Scene } from '../corpus/harness.js';
import { explain } from '../support/explain.js';
import { sshInputs, sshSkip } from '../support/services.js';

const sshd = inject('sshd');
const scenes: Scene[] = [];
afterAll(() => {
  for (const s of scenes) s.cleanup();
});
const MARKER = 'SECRET-KEY-MATERIAL-7f3a9c';

function everything(run: Awaited<ReturnType<Scene['run']>>): string {
  return [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs)].join('\n');
}

describe('secrets and host keys', () => {
  it('host-key checking defaults to accept-new in action.yml', () => {
    const action = parse(readFileSync(join(root, 'action.yml'), 'utf8'));
    expect(action.inputs['strict-host-key-checking'].default).toBe('accept-new');
  });

  describe.skipIf(sshSkip(sshd))('against the real sshd', () => {
    function fakeKey(s: Scene): string {
      const path = join(s.base, 'fake_ed25519');
      writeFileSync(
        path,
        `-----BEGIN OPENSSH PRIVATE KEY-----\n${MARKER}\nb3BlbnNzaC1rZXktdjEAAAAA${MARKER}\n-----END OPENSSH PRIVATE KEY-----\n`,
        { mode: 0o600 },
      );
      return path;
    }

    it('an unusable identity file: its path may be named, its contents never', async () => {
      const s = new Scene();
      scenes.push(s);
      s.job('job', { mainNode: '127.0.0.1' });
      const key = fakeKey(s);
      const base = sshInputs(sshd);
      const only = (base['ssh-options'] as string).replace(`-i ${sshd.keyPath}`, `-i ${key}`);
      const failed = await s.run({
        path: 'job',
        'shared-storage': 'false',
        retries: '0',
        ...base,
        'ssh-options': only,
      });
      expect(failed.code, explain(failed)).toBe(1);
      expect(jobRows(failed)[0]?.reason).toContain(key);
      expect(everything(failed)).not.toContain(MARKER);
      // Tried before the good key: ssh complains about it, the sync works, nothing leaks.
      const works = await s.run({
        path: 'job',
        'shared-storage': 'false',
        ...base,
        'ssh-options': `-i ${key}\n${base['ssh-options']}`,
      });
      expect(works.code, explain(works)).toBe(0);
      expect(everything(works)).not.toContain(MARKER);
    });

    it('the default accept-new connects to a new host and records its key', async () => {
      const s = new Scene();
      scenes.push(s);
      s.job('job', { mainNode: '127.0.0.1' }, { 'a.txt': 'a\n' });
      const knownHosts = join(s.base, 'known_hosts');
      writeFileSync(knownHosts, '');
      const inputs = sshInputs(sshd);
      const options = (inputs['ssh-options'] as string).replace(sshd.knownHostsPath, knownHosts);
      // No strict-host-key-checking input: action.yml's default applies.
      const run = await s.run({ path: 'job', 'shared-storage': 'false', 'ssh-options': options });
      expect(run.code, explain(run)).toBe(0);
      expect(readFileSync(join(s.workspace, 'job', 'a.txt'), 'utf8')).toBe('a\n');
      const recorded = readFileSync(knownHosts, 'utf8');
      expect(recorded).toContain(sshd.hostKeyPublic.split(' ')[1]);
    });
  });
});
