/**
 * A run killed with SIGKILL mid-transfer (no chance to clean up: a node crash, the OOM killer),
 * through the bundle, with rsync and with the built-in copier: the next run into the same
 * destination takes over the dead run's lock at once (it does not wait for it to go stale),
 * removes the temporary files the killed run left, keeps the user's files that merely look
 * like temporaries, and fetches everything whole.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAction } from '../../scripts/run-action.mjs';
import { lockPathOf } from '../../src/transfer/lock/index.js';
import { ENTRY, jobRows, Scene } from '../corpus/harness.js';
import { bigFile } from '../support/big-file.js';
import { explain } from '../support/explain.js';
import { mentioning } from '../support/procs.js';

const scenes: Scene[] = [];
const nodeOnly = mkdtempSync(join(tmpdir(), 'qq-sync-k-node-'));
symlinkSync(process.execPath, join(nodeOnly, 'node'));
afterAll(() => {
  rmSync(nodeOnly, { recursive: true, force: true });
  for (const s of scenes) s.cleanup();
});

const BIG_MIB = 256;

const TEMP = /^\.(big\.bin|small\.txt)\.([A-Za-z0-9]{6}|[0-9a-f]{8}\.qqsync)$/;
/** mkstemp may draw an all-lower-case suffix (0.55 %): leftovers.ts leaves such a name alone. */
const removable = (n: string) => n.endsWith('.qqsync') || !/\.[a-z]{6}$/.test(n);

for (const method of ['rsync', 'copier'] as const) {
  describe(`killed with SIGKILL mid-transfer (${method})`, () => {
    it('the next run takes over the lock at once, removes the leftovers, keeps the user files', async () => {
      const scene = new Scene();
      scenes.push(scene);
      const job = scene.job('job', {}, { 'small.txt': 'small\n' });
      const digest = await bigFile(join(job.workDir, 'big.bin'), BIG_MIB);
      // The user's files that look like temporaries, from before the run: never removed.
      await writeFile(join(job.inputDir, '.notes.backup'), 'mine\n');
      await writeFile(join(job.inputDir, '.cfg.0123abcd.qqsync'), 'mine too\n');
      const inputs = { path: 'job', 'shared-storage': 'true', retries: '0' };
      const env = scene.env(method === 'copier' ? { PATH: nodeOnly } : {});

      let pid = 0;
      const first = runAction({
        workspace: scene.workspace,
        inputs,
        env,
        entry: ENTRY,
        onSpawn: (child) => {
          pid = child.pid ?? 0;
        },
      });
      let killed = false;
      for (let i = 0; i < 4000 && !killed; i++) {
        // While the big file is being written (the small one may come and go in between).
        const temp = readdirSync(job.inputDir).find((n) => TEMP.test(n) && n.startsWith('.big'));
        if (temp) {
          // What the action runs first (rsync is in a process group of its own, and would
          // clean up if it saw the action's end), then the action.
          // The whole group at once: a process that saw another die could clean up first.
          for (const g of new Set(mentioning(job.inputDir).map((p) => p.pgid))) {
            process.kill(-g, 'SIGKILL');
          }
          process.kill(pid, 'SIGKILL');
          killed = true;
        } else await new Promise((r) => setTimeout(r, 2));
      }
      expect(killed).toBe(true);
      const dead = await first;
      expect(dead.code, explain(dead)).toBe(null);
      const left = readdirSync(job.inputDir).filter((n) => TEMP.test(n));
      expect(left.length).toBeGreaterThan(0);
      const gone = left.filter(removable);
      const owner = JSON.parse(
        readFileSync(join(lockPathOf(realpathSync(job.inputDir)), 'owner'), 'utf8'),
      );
      expect(owner).toMatchObject({ pid, host: hostname() });

      const second = await runAction({ workspace: scene.workspace, inputs, env, entry: ENTRY });
      const why = explain(second);
      expect(second.code, why).toBe(0);
      expect(jobRows(second)[0]?.status, why).toBe('synced');
      expect(second.stdout, why).toContain(
        `Took over the lock of process ${pid} on ${hostname()} on '${job.inputDir}': its process ${pid} on this host no longer exists.`,
      );
      if (gone.length > 0) {
        const line = second.stdout
          .split('\n')
          .find((l) => l.startsWith('Removed ') && l.includes('temporary file(s)'));
        expect(line, why).toMatch(
          new RegExp(
            `^Removed ${gone.length} temporary file\\(s\\) a killed run left in the destination: `,
          ),
        );
        for (const n of gone) expect(line, why).toContain(n);
      }
      // It did not wait for the dead run's lock to go stale.
      expect(second.stdout, why).not.toContain('Waiting for another sync');
      expect(readdirSync(job.inputDir).filter((n) => TEMP.test(n))).toEqual(
        left.filter((n) => !removable(n)),
      );
      expect(existsSync(lockPathOf(realpathSync(job.inputDir)))).toBe(false);
      expect(readFileSync(join(job.inputDir, '.notes.backup'), 'utf8')).toBe('mine\n');
      expect(readFileSync(join(job.inputDir, '.cfg.0123abcd.qqsync'), 'utf8')).toBe('mine too\n');
      const fetched = createHash('sha256').update(readFileSync(join(job.inputDir, 'big.bin')));
      expect(fetched.digest('hex')).toBe(digest);
    }, 120_000);
  });
}
