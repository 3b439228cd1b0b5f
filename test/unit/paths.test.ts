import { describe, expect, it } from 'vitest';
import { isInside, relativeInside } from '../../src/util/paths.js';

describe('relativeInside / isInside', () => {
  it.each([
    ['/ws/results', '/ws', 'results'],
    ['/ws/..results', '/ws', '..results'],
    ['/ws/..x/a', '/ws', '..x/a'],
    ['/ws/...', '/ws', '...'],
    ['/ws', '/ws', ''],
    ['/ws/', '/ws', ''],
    ['/ws/a/../b', '/ws', 'b'],
  ])('%s in %s: %j', (child, parent, rel) => {
    expect(relativeInside(child, parent)).toBe(rel);
    expect(isInside(child, parent)).toBe(rel !== '');
  });

  it.each([
    ['/other', '/ws'],
    ['/ws/../x', '/ws'],
    ['/wsx', '/ws'],
    ['/', '/ws'],
    ['/ws/a/../../b', '/ws'],
  ])('%s is not in %s', (child, parent) => {
    expect(relativeInside(child, parent)).toBeUndefined();
    expect(isInside(child, parent)).toBe(false);
  });
});
