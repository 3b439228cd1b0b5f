/**
 * rsync's include/exclude rules as one list that serves both sides: `ruleArgs` gives the
 * `--include`/`--exclude` arguments rsync gets, `firstMatch` decides one entry as rsync's
 * exclude.c (`add_rule`, `rule_matches`) does for that very list. So rsync and whatever walks
 * the tree itself (the copier, the planner) agree by construction. Pure: no I/O.
 */
import { hasWildcard, wildmatchAt } from './wildcard.js';

export interface FilterRule {
  include: boolean;
  /** As rsync gets it: `/` first anchors it at the root, `/` last matches directories only. */
  pattern: string;
}

interface CompiledRule {
  include: boolean;
  /** Without the trailing '/' (and with the leading one, as rsync keeps it). */
  pattern: string;
  dirOnly: boolean;
  wild: boolean;
  /** Holds `**`: may match across '/', and is matched against the whole path. */
  wild2: boolean;
  /** Starts with `**`: also matches at the root (rsync puts a '/' before the path). */
  wild2Prefix: boolean;
  /** Ends with `***`: also matches the directory itself (rsync puts a '/' after its name). */
  wild3Suffix: boolean;
  slashes: number;
}

/** rsync's `add_rule`: the flags it derives from a pattern. */
export function compileRule(rule: FilterRule): CompiledRule {
  let pattern = rule.pattern;
  let dirOnly = false;
  // First the trailing '/', then the look for `***` at the end: `sub/***/` is the directory
  // `sub` and all below it, directories only (add_rule's order).
  if (pattern.length > 1 && pattern.endsWith('/')) {
    pattern = pattern.slice(0, -1);
    dirOnly = true;
  }
  const wild = hasWildcard(pattern);
  const star2 = wild ? pattern.indexOf('**') : -1;
  const wild3Suffix = star2 >= 0 && pattern.length >= 3 && pattern.endsWith('***');
  return {
    include: rule.include,
    pattern,
    dirOnly,
    wild,
    wild2: star2 >= 0,
    wild2Prefix: star2 === 0,
    wild3Suffix,
    slashes: pattern.split('/').length - 1,
  };
}

/** rsync's `rule_matches` for a path relative to the transfer root (no leading '/'). */
export function ruleMatches(r: CompiledRule, rel: string, isDir: boolean): boolean {
  if (!rel) return false;
  let name = rel;
  let prefix = '';
  if (!r.slashes && !r.wild2) {
    // No '/' and no `**`: only the last element is matched.
    name = rel.slice(rel.lastIndexOf('/') + 1);
  } else if (r.wild2Prefix) {
    prefix = '/';
  }
  let suffix = '';
  if (isDir) {
    if (r.wild3Suffix) suffix = '/';
  } else if (r.dirOnly) return false;
  const anchored = r.pattern.startsWith('/');
  const pattern = anchored ? r.pattern.slice(1) : r.pattern;
  const where =
    !anchored && r.slashes && !r.wild2
      ? r.slashes + 1 // the last slashes+1 elements
      : !anchored && !r.wild2Prefix && r.wild2
        ? -1 // after any '/'
        : 0;
  if (r.wild) return wildmatchAt(pattern, prefix + name + suffix, where);
  if (anchored) return name === pattern;
  return (
    name.endsWith(pattern) &&
    (name.length === pattern.length || name[name.length - pattern.length - 1] === '/')
  );
}

export type CompiledRules = readonly CompiledRule[];

/** The first rule that matches decides; no rule matching means included (rsync's default). */
export function firstMatch(rules: CompiledRules, rel: string, isDir: boolean): boolean {
  for (const r of rules) if (ruleMatches(r, rel, isDir)) return r.include;
  return true;
}

/** The rules as rsync's arguments, in order (rsync keeps the order it is given). */
export function ruleArgs(rules: readonly FilterRule[]): string[] {
  return rules.flatMap((r) => [r.include ? '--include' : '--exclude', r.pattern]);
}
