/**
 * The one list syntax of the list inputs whose values cannot hold a separator (`job-id`,
 * `fail-on`, `wait-for`): items separated by commas, whitespace or newlines, in any mix.
 * (`files` keeps qq's own syntax, `exclude` has patternItems below, `path` and `ssh-options`
 * are read one line at a time.)
 */
export function listItems(text: string): string[] {
  return text.split(/[\s,]+/).filter((s) => s.length > 0);
}

/**
 * The list syntax of `exclude`, whose items are rsync patterns and may hold spaces (file
 * names do): items separated by commas or newlines, the white space around each dropped, empty
 * items skipped. A comma inside a bracket expression stays (`[,]`, `*[,;]*`): that is how a
 * pattern names a literal comma, as rsync's wildmatch reads it.
 */
export function patternItems(text: string): string[] {
  const items: string[] = [];
  let item = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '[') {
      const end = bracketEnd(text, i);
      if (end > i) {
        item += text.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    if (c === ',' || c === '\n' || c === '\r') {
      items.push(item);
      item = '';
    } else item += c;
  }
  items.push(item);
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Where the bracket expression opened at `open` ends (wildmatch's rules), or -1 if it does not. */
function bracketEnd(text: string, open: number): number {
  let i = open + 1;
  if (text[i] === '!' || text[i] === '^') i++;
  // A `]` first in the set is a member, not its end.
  if (text[i] === ']') i++;
  for (; i < text.length; i++) {
    if (text[i] === '\n' || text[i] === '\r') return -1;
    if (text[i] === '\\') i++;
    else if (text[i] === ']') return i;
  }
  return -1;
}
