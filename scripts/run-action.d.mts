import type { ChildProcess } from 'node:child_process';

export const root: string;
export function actionNode(): string;
export function actionDefaults(): Record<string, string>;
export function parseOutputFile(text: string): Record<string, string>;
export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  durationMs: number;
}
export function runAction(options: {
  inputs?: Record<string, string>;
  workspace: string;
  env?: Record<string, string | undefined>;
  entry?: string;
  timeoutMs?: number;
  wrap?: string[];
  onSpawn?: (child: ChildProcess) => void;
  node?: string;
  nodeArgs?: string[];
}): Promise<ActionRun>;
