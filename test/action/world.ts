/**
 * A world for the orchestration's unit tests: real directories and real programs (rsync,
 * hostname) on a PATH that holds no scheduler command, so that asking a scheduler fails the
 * way it does on a machine without one, and no stand-in answers in its place.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionDefaults } from '../../scripts/run-action.mjs';
import { readSettings, type Settings } from '../../src/action/inputs.js';

export class World {
  readonly base = mkdtempSync(join(tmpdir(), 'qq-sync-world-'));
  readonly workspace = join(this.base, 'ws');
  /** rsync and hostname, and nothing else. */
  readonly bin = join(this.base, 'bin');

  constructor() {
    mkdirSync(this.workspace);
    mkdirSync(this.bin);
    for (const program of ['rsync', 'hostname']) {
      const real = execFileSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
      symlinkSync(real.trim(), join(this.bin, program));
    }
  }

  /** The environment of a step: the workspace, and PATH without any scheduler. */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { HOME: this.base, GITHUB_WORKSPACE: this.workspace, PATH: this.bin, ...extra };
  }

  /** Inputs as the runner gives them: action.yml's defaults, then what the workflow set. */
  inputs(set: Record<string, string>): (name: string) => string {
    const all: Record<string, string> = { ...actionDefaults(), ...set };
    return (name) => all[name] ?? '';
  }

  settings(set: Record<string, string>): Settings {
    return readSettings(this.inputs(set), this.env());
  }

  cleanup(): void {
    rmSync(this.base, { recursive: true, force: true });
  }
}
