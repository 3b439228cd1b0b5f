/**
 * A campaign at a glance: how many jobs are in each state and had each outcome, as one line of
 * counts and as Mermaid pie charts (GitHub renders ```mermaid blocks in job summaries).
 */

/** Counts of each value, most frequent first (ties in first-seen order). */
export function countBy<T>(items: readonly T[], key: (item: T) => string): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/** `finished 480 · failed 20` */
export function countsLine(counts: ReadonlyArray<[string, number]>): string {
  return counts.map(([k, n]) => `${k} ${n}`).join(' · ');
}

/**
 * A Mermaid pie of `counts` as a Markdown code block (blank lines around it, so that it is
 * parsed as Markdown between the summary's HTML). Labels are our own words (state names and
 * outcomes), never text from a job; quotes are dropped all the same.
 */
export function mermaidPie(title: string, counts: ReadonlyArray<[string, number]>): string {
  const slices = counts.map(([k, n]) => `    "${k.replaceAll('"', '')}" : ${n}`);
  return `\n\`\`\`mermaid\npie showData title ${title}\n${slices.join('\n')}\n\`\`\`\n\n`;
}
