/** The list inputs' syntax: `exclude` split at commas and line breaks, `[,]` a literal comma. */
import { describe, expect, it } from 'vitest';
import { listItems, patternItems } from '../../src/util/list.js';

describe('patternItems (exclude)', () => {
  it.each([
    ['*.xtc, scratch/', ['*.xtc', 'scratch/']],
    ['*.xtc\nscratch/\n', ['*.xtc', 'scratch/']],
    ['*.xtc,\r\n scratch/ ,, ', ['*.xtc', 'scratch/']],
    ['my file.txt, other one', ['my file.txt', 'other one']],
    ['run[,]1.log', ['run[,]1.log']],
    ['*[,;]*, b', ['*[,;]*', 'b']],
    ['[!,]x,y', ['[!,]x', 'y']],
    // `]` first in a set is a member; the set still ends at the next `]`.
    ['[],]a,b', ['[],]a', 'b']],
    // A `[` never closed is no set: the comma splits, as it would without it.
    ['a[,b', ['a[', 'b']],
    ['', []],
  ])('%j → %j', (text, items) => {
    expect(patternItems(text)).toEqual(items);
  });

  it('job-id, fail-on and wait-for keep splitting at white space too', () => {
    expect(listItems('a, b c\nd')).toEqual(['a', 'b', 'c', 'd']);
  });
});
