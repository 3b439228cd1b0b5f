/**
 * action/jobs/young-generation.ts: while held, V8's young generation keeps its size however much
 * survives its scavenges; released, it grows again. In a child Node, whose heap starts small
 * (vitest's own worker has grown it already): the Node that runs the tests, and the action's
 * runtime, Node 24, where it is found (the flag is changed at run time: each V8 must honour it).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findNode24 } from '../../scripts/node24.mjs';

const module = join(import.meta.dirname, '../../src/action/jobs/young-generation.ts');

/** New-space size (MiB) before and after keeping ~60 MiB of small objects alive. */
function growth(node: string, hold: boolean): { before: number; after: number } {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    const { holdYoungGeneration, releaseYoungGeneration } = await import(${JSON.stringify(module)});
    const size = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
    holdYoungGeneration();
    releaseYoungGeneration(${hold ? 2 : 1});
    const before = size();
    const kept = [];
    for (let i = 0; i < 600_000; i++) kept.push({ i, s: 'x'.repeat(40) + i });
    console.log(JSON.stringify({ before, after: size(), n: kept.length }));
  `;
  const out = execFileSync(node, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

const node24 = findNode24().path as string | undefined;
const nodes: [string, string][] = [[process.version, process.execPath]];
if (node24 && node24 !== process.execPath) nodes.push(['Node 24', node24]);

describe.each(nodes)('young generation (%s)', (_name, node) => {
  it('held for several jobs: keeps its size while objects survive', () => {
    const { before, after } = growth(node, true);
    expect(after).toBeLessThanOrEqual(before);
  });
  it('released for one job: V8 grows it as usual', () => {
    const { before, after } = growth(node, false);
    expect(after).toBeGreaterThan(before);
  });
});
