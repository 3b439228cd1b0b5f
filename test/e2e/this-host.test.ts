/**
 * "This host" as qq decides it, through the bundle, with the real resolver: each case runs
 * the action in a private mount namespace (`unshare -m`) where a hosts file of the test is
 * bind-mounted on /etc/hosts, so this machine's names differ as they do on clusters — and
 * Python's socket.getfqdn(), which qq compares the main node with, is asked in the same
 * namespace as the oracle. Needs root (mount namespaces); skipped with a warning otherwise
 * (an error when CI=true).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionNode, root, runAction } from '../../scripts/run-action.mjs';
import { requireCurrentBundle } from '../support/bundle.js';
import { explain } from '../support/explain.js';
import { makeJob } from '../support/jobs.js';
import { cleanTemps, tempDir } from '../support/temp.js';

requireCurrentBundle();

/** Runs the rest of argv with `hostsFile` bind-mounted on /etc/hosts, in a mount namespace of its own. */
const WITH_HOSTS = join(root, 'test', 'support', 'with-hosts.mjs');
const wrap = (hostsFile: string) => [
  'unshare',
  '-m',
  '--',
  process.execPath,
  WITH_HOSTS,
  hostsFile,
];

function cannotUnshare(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  const probe = spawnSync('unshare', ['-m', '--', 'true']);
  return probe.status === 0 ? undefined : `unshare -m failed: ${String(probe.stderr).trim()}`;
}
const skip = cannotUnshare();
if (skip && process.env.CI === 'true') throw new Error(`this-host tests: ${skip}`);
if (skip) console.warn(`!!! this-host tests SKIPPED: ${skip}`);

/** Python's getfqdn() with `hostsFile` as /etc/hosts: what qq compares the main node with. */
function pythonFqdn(hostsFile: string): string | undefined {
  try {
    return execFileSync(
      wrap(hostsFile)[0] as string,
      [...wrap(hostsFile).slice(1), 'python3', '-c', 'import socket; print(socket.getfqdn())'],
      { encoding: 'utf8' },
    ).trim();
  } catch {
    return undefined;
  }
}

let base: string;
beforeAll(() => {
  base = tempDir('this-host');
});
afterAll(cleanTemps);

const H = hostname();
const cases = [
  {
    name: 'the FQDN is an alias of the host name (hostname -f gives the short name)',
    hosts: `127.0.0.1 localhost\n127.0.1.1 ${H} qqsync-test-fqdn.example.org\n`,
    fqdn: 'qqsync-test-fqdn.example.org',
  },
  {
    name: 'loopback holds both localhost and the host name (getfqdn() is localhost)',
    hosts: `127.0.0.1 localhost ${H}\n`,
    fqdn: 'localhost',
  },
];

describe.skipIf(skip !== undefined)(
  "the main node is this host when qq's getfqdn() says so",
  () => {
    for (const c of cases) {
      it(`${c.name}: copied locally; another host goes over ssh`, async () => {
        const dir = tempDir('case');
        const hostsFile = join(dir, 'hosts');
        writeFileSync(hostsFile, `${c.hosts}127.0.0.2 elsewhere.example.org\n`);
        // The oracle: qq's own comparison value in this namespace.
        const oracle = pythonFqdn(hostsFile);
        if (oracle !== undefined) expect(oracle).toBe(c.fqdn);

        const run = async (mainNode: string, id: string) => {
          const ws = join(base, id);
          makeJob({
            batchSystem: 'PBS',
            jobId: `${id}.pbs-test`,
            inputDir: join(ws, 'sim'),
            jobState: 'failed',
            exitCode: 2,
            mainNode,
            workDir: join(ws, 'scratch'),
            files: { 'out.txt': `from ${mainNode}\n` },
          });
          const result = await runAction({
            workspace: ws,
            inputs: { path: 'sim', retries: '0' },
            // No scheduler: the info file decides; the job has forgotten nothing.
            env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
            wrap: wrap(hostsFile),
            node: actionNode(),
            // Another build to compare with (e.g. main's dist/index.js), as in the corpus suite.
            entry: process.env.QQ_SYNC_TEST_ENTRY || undefined,
          });
          return { result, ws };
        };

        const here = await run(c.fqdn, `${c.fqdn.length}1`);
        const why = explain(here.result);
        expect(here.result.code, why).toBe(0);
        expect(here.result.outputs.status, why).toBe('synced');
        expect(here.result.stdout, why).toContain(
          `reads its working directory locally: the main node '${c.fqdn}' is this host ('${c.fqdn}')`,
        );
        expect(readFileSync(join(here.ws, 'sim', 'out.txt'), 'utf8')).toBe(`from ${c.fqdn}\n`);

        // A host that is not this one (it resolves, to another loopback address): over ssh.
        const there = await run('elsewhere.example.org', `${c.fqdn.length}2`);
        const whyThere = explain(there.result);
        expect(there.result.code, whyThere).toBe(1);
        expect(there.result.stdout, whyThere).toContain(
          "fetches over ssh from 'elsewhere.example.org': the main node 'elsewhere.example.org' is not this host",
        );
        expect(there.result.outputs.reason, whyThere).toMatch(
          /^Could not rsync files between 'elsewhere\.example\.org:/,
        );
      });
    }

    it('a main node that is not a host name is still refused', async () => {
      const dir = tempDir('case');
      const hostsFile = join(dir, 'hosts');
      writeFileSync(hostsFile, cases[0]?.hosts ?? '');
      const ws = join(base, 'refuse');
      makeJob({
        batchSystem: 'PBS',
        jobId: '31.pbs-test',
        inputDir: join(ws, 'sim'),
        jobState: 'failed',
        exitCode: 2,
        mainNode: '-oProxyCommand=touch /tmp/pwned',
        workDir: join(ws, 'scratch'),
        files: { 'out.txt': 'x\n' },
      });
      const run = await runAction({
        workspace: ws,
        inputs: { path: 'sim', retries: '0' },
        env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
        wrap: wrap(hostsFile),
      });
      expect(run.code, explain(run)).toBe(1);
      expect(run.outputs.reason).toMatch(/^Refusing main node '-oProxyCommand=touch \/tmp\/pwned'/);
    });
  },
);
