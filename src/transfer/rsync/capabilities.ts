/**
 * What the local rsync can do, asked once (`rsync --version`): `-s` since 3.0.0,
 * `--info=progress2` since 3.1.0.
 */
import { debugMessage, onPath, runCommand } from '../../exec/run.js';

/** What the local rsync can do. */
export interface RsyncCapabilities {
  /** `3.2.7`, as `rsync --version` prints it. */
  version: string;
  /** `-s` (protect-args / secluded-args): rsync 3.0.0 and newer. */
  protectArgs: boolean;
  /** `--info=progress2`: rsync 3.1.0 and newer. */
  progress2: boolean;
}

/** A current rsync (what the argv tests assume). */
export const MODERN_RSYNC: RsyncCapabilities = {
  version: '3.2.7',
  protectArgs: true,
  progress2: true,
};

/** The capabilities from the first line of `rsync --version`, or undefined if unreadable. */
export function parseRsyncVersion(text: string): RsyncCapabilities | undefined {
  const m = /^rsync\s+version\s+v?(\d+)\.(\d+)\.(\d+)/m.exec(text);
  if (!m) return undefined;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const atLeast = (a: number, b: number) => major > a || (major === a && minor >= b);
  return {
    version: `${major}.${minor}.${patch}`,
    protectArgs: atLeast(3, 0),
    progress2: atLeast(3, 1),
  };
}

const detected = new Map<string, Promise<RsyncCapabilities | undefined>>();

/**
 * The local rsync's capabilities, asked once per PATH; undefined when rsync is not installed.
 * An rsync whose version cannot be read is taken as current.
 */
export function detectRsync(
  env: NodeJS.ProcessEnv = process.env,
): Promise<RsyncCapabilities | undefined> {
  const key = env.PATH ?? '';
  let found = detected.get(key);
  if (!found) {
    found = runCommand(['rsync', '--version'], { timeoutMs: 15_000, env }).then((r) => {
      if (r.spawnError) {
        debugMessage('rsync: not installed here; local copies use the built-in copier');
        return undefined;
      }
      const caps = parseRsyncVersion(r.stdout) ?? { ...MODERN_RSYNC, version: 'unknown' };
      debugMessage(
        `rsync ${caps.version} found (${r.stdout.split('\n')[0]?.trim()}): -s ${caps.protectArgs ? 'yes' : 'no'}, --info=progress2 ${caps.progress2 ? 'yes' : 'no'}`,
      );
      return caps;
    });
    detected.set(key, found);
  }
  return found;
}

const installed = new Map<string, Promise<boolean>>();

/**
 * Whether rsync is on `env`'s PATH, without running it; looked up once per PATH, as
 * detectRsync asks once (a step of 4,000 local jobs made 40,000 access() calls on a PATH of ten
 * directories when each job looked).
 */
export function rsyncInstalled(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const key = env.PATH ?? '';
  let found = installed.get(key);
  if (!found) {
    found = onPath('rsync', env);
    installed.set(key, found);
  }
  return found;
}
