import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/util/bytes.js';

// The two styles as the messages that use them have always written them.
describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [100, '100 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [64 * 1024 * 1024, '64.0 MiB'],
    [3 * 1024 ** 3 + 1024 ** 3 / 4, '3.3 GiB'],
    [2 * 1024 ** 5, '2048.0 TiB'],
  ])('rounded %d: %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
    expect(formatBytes(n, 'rounded')).toBe(text);
  });

  it.each([
    [0, '0 bytes'],
    [100, '100 bytes'],
    [1024, '1 KiB'],
    [512 * 1024, '512 KiB'],
    [1536, '1536 bytes'],
    [64 * 1024 * 1024, '64 MiB'],
    [1024 * 1024 + 1024, '1025 KiB'],
    [4 * 1024 ** 3, '4096 MiB'],
  ])('exact %d: %s', (n, text) => {
    expect(formatBytes(n, 'exact')).toBe(text);
  });
});
