import { describe, expect, it } from 'vitest';
import { printUntrusted } from '../../src/action/report/log.js';

describe('printUntrusted', () => {
  it('fences cluster text between stop-commands markers with an unguessable token', () => {
    const lines: string[] = [];
    printUntrusted('::error::pwned\n::add-mask::secret\r\nplain', (l) => lines.push(l));
    expect(lines).toHaveLength(5);
    const start = /^::stop-commands::([0-9a-f]{32})$/.exec(lines[0] ?? '');
    expect(start).not.toBeNull();
    expect(lines[4]).toBe(`::${start?.[1]}::`);
    expect(lines.slice(1, 4)).toEqual(['::error::pwned', '::add-mask::secret', 'plain']);
    const again: string[] = [];
    printUntrusted('x', (l) => again.push(l));
    expect(again[0]).not.toBe(lines[0]);
  });

  it('cannot be ended early by text that guesses the token format', () => {
    const lines: string[] = [];
    printUntrusted('::0123456789abcdef0123456789abcdef::\n::error::x', (l) => lines.push(l));
    expect(lines.at(-1)).not.toBe('::0123456789abcdef0123456789abcdef::');
  });
});
