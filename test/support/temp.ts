/** Private temp directories for tests, removed together by `cleanTemps()`. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** A private temp directory (`qq-sync-<tag>-XXXXXX`), removed by `cleanTemps()`. */
export function tempDir(tag = 'x'): string {
  const d = mkdtempSync(join(tmpdir(), `qq-sync-${tag}-`));
  made.push(d);
  return d;
}

/** Remove every directory `tempDir` made in this test file's process. */
export function cleanTemps(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}
