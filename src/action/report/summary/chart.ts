/**
 * A campaign's states at a glance: one bar of coloured squares, as long as a line of text,
 * with a legend. Squares are emoji, so the colours survive GitHub's HTML sanitizer (which drops
 * `style`) and mean the same everywhere: failed red, killed orange (stopped from outside, not
 * by its own error), finished green, running blue,
 * queued grey (white square), suspended yellow, states that say something is off purple.
 * A Mermaid pie (what this was before) took 435 px per chart and chose its own colours.
 */

/** States in the bar's order: done well, done badly, going, waiting, odd. */
const ORDER = [
  'finished',
  'failed',
  'killed',
  'exiting',
  'running',
  'booting',
  'suspended',
  'held',
  'waiting',
  'queued',
  'unknown',
  'inconsistent',
  'not known',
] as const;

const SQUARE: Record<string, string> = {
  finished: '🟩',
  failed: '🟥',
  killed: '🟧',
  exiting: '🟦',
  running: '🟦',
  booting: '🟦',
  suspended: '🟨',
  held: '⬜',
  waiting: '⬜',
  queued: '⬜',
  unknown: '🟪',
  inconsistent: '🟪',
  'not known': '🟪',
};

/** Squares in a bar: small enough for a phone's width. */
export const BAR_CELLS = 20;

/** Counts of each state (code words), in the bar's order; unknown words last. */
export function countStates(codes: readonly string[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const c of codes) counts.set(c, (counts.get(c) ?? 0) + 1);
  const rank = (k: string) => {
    const i = (ORDER as readonly string[]).indexOf(k);
    return i < 0 ? ORDER.length : i;
  };
  return [...counts].sort((a, b) => rank(a[0]) - rank(b[0]));
}

/**
 * Cells per state, summing to BAR_CELLS (or fewer, for fewer jobs): largest remainder, and at
 * least one cell for every state present, so that one failed job of 500 still shows.
 */
export function barCells(counts: ReadonlyArray<[string, number]>): number[] {
  const total = counts.reduce((n, [, c]) => n + c, 0);
  const cells = Math.min(BAR_CELLS, total);
  const raw = counts.map(([, c]) => (c / total) * cells);
  const out = raw.map((r) => Math.max(1, Math.floor(r)));
  let left = cells - out.reduce((a, b) => a + b, 0);
  const byRemainder = raw
    .map((r, i) => [r - Math.floor(r), i] as const)
    .sort((a, b) => b[0] - a[0]);
  for (const [, i] of byRemainder) {
    if (left <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left--;
  }
  // Minimums can overshoot: take back from the largest.
  while (left < 0) {
    const i = out.indexOf(Math.max(...out));
    out[i] = (out[i] ?? 1) - 1;
    left++;
  }
  return out;
}

export function squareOf(state: string): string {
  return SQUARE[state] ?? '🟪';
}

/** The bar and its legend as HTML (the labels are our state words, never text from a job). */
export function stateBar(counts: ReadonlyArray<[string, number]>): string {
  const cells = barCells(counts);
  const bar = counts.map(([k], i) => squareOf(k).repeat(cells[i] ?? 0)).join('');
  const legend = counts.map(([k, n]) => `${squareOf(k)} ${k} ${n}`).join(' · ');
  return `<p>${bar}<br>${legend}</p>\n`;
}
