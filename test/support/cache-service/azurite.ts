/**
 * TEST INFRASTRUCTURE. Azurite (Microsoft's Azure Storage emulator, the `azurite` dev
 * dependency) as the blob storage behind the stand-in cache service: started on a free port of
 * 127.0.0.1 (port 0, the port it announces is read back) with its data in a private temp
 * directory, stopped with its whole process group.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** Azurite's well-known development account (public, documented by Microsoft). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** e.g. `http://127.0.0.1:41234/devstoreaccount1` */
  accountUrl: string;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 30_000;

export async function startAzurite(): Promise<Azurite> {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve('azurite/package.json');
  const bin = (require(pkgJson) as { bin: Record<string, string> }).bin['azurite-blob'];
  if (!bin) throw new Error('azurite: no azurite-blob program in the package');
  const main = path.join(path.dirname(pkgJson), bin);
  const location = await mkdtemp(path.join(tmpdir(), 'qq-sync-azurite-'));
  const argv = [
    main,
    '--blobHost',
    '127.0.0.1',
    '--blobPort',
    '0',
    '--location',
    location,
    '--silent',
    '--skipApiVersionCheck',
    '--loose',
    '--disableTelemetry',
  ];
  // Only the well-known development account: ignore any accounts configured in the environment.
  const env = { ...process.env };
  delete env.AZURITE_ACCOUNTS;
  const child = spawn(process.execPath, argv, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let output = '';
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`azurite did not start within ${STARTUP_TIMEOUT_MS} ms:\n${output}`));
      }, STARTUP_TIMEOUT_MS);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const m = /successfully listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`azurite exited (${code ?? signal}) while starting:\n${output}`));
      });
    });
  } catch (e) {
    await killGroup(child);
    await rm(location, { recursive: true, force: true });
    throw e;
  }
  // Keep draining its output so it never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    accountUrl: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`,
    async stop() {
      await killGroup(child);
      await rm(location, { recursive: true, force: true });
    },
  };
}

async function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), s);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
