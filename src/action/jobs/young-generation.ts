/**
 * A campaign's memory. V8 doubles its young generation (two semi-spaces, up to 64 MiB each on
 * Node 24) whenever the bytes that survived its scavenges since the last doubling exceed its
 * size. A step of thousands of jobs keeps every job's info, result and log alive while it
 * reads and fetches the others, so the young generation grows to its maximum: 4,000 local jobs
 * peaked at 237 MiB, 128 MiB of it the young generation, whose live part is a few MiB.
 * `--max-semi-space-size` is read once, when the heap is made, and the runner starts `node`
 * without options; the growth factor is read at each growth, so setting it to 1 keeps the young
 * generation at the size it has. Garbage is scavenged as before, only more often; what lives
 * longer is promoted sooner (issue 29: 4,000 jobs about 100 MiB less, the same CPU time).
 * Node's docs warn that V8 flags changed after start may do nothing or misbehave: this one is a
 * number read at each growth, the action runs on the Node its action.yml pins, and
 * test/unit/young-generation.test.ts fails if a Node stops honouring it.
 */
import { setFlagsFromString } from 'node:v8';

/** V8's own growth factor (its default, on Node 20 and 24). */
const V8_GROWTH_FACTOR = 2;

/** Before the jobs are read: how many there are is not known yet, and reading them grows it. */
export function holdYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** V8's own sizing back, for a step of one job (one big listing wants the larger space). */
export function releaseYoungGeneration(jobs: number): void {
  if (jobs < 2) setFlagsFromString(`--semi-space-growth-factor=${V8_GROWTH_FACTOR}`);
}
