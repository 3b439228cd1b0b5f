/**
 * The one list syntax of the list inputs whose values cannot hold a separator (`job-id`,
 * `fail-on`, `wait-for`): items separated by commas, whitespace or newlines, in any mix.
 * (`files` keeps qq's own syntax, `path` and `ssh-options` are read one line at a time.)
 */
export function listItems(text: string): string[] {
  return text.split(/[\s,]+/).filter((s) => s.length > 0);
}
