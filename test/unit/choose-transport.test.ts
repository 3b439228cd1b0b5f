/**
 * Which transport moves a job (transfer/choose.ts): the pure rule over the facts — local or
 * over ssh, `force-builtin`, the local rsync, and the small-tree listing.
 */
import { describe, expect, it } from 'vitest';
import { chooseTransport, type TransportFacts } from '../../src/transfer/choose.js';
import { MODERN_RSYNC } from '../../src/transfer/rsync/index.js';

const plain = [{ kind: 'dir' as const }, { kind: 'file' as const }, { kind: 'symlink' as const }];
const facts = (f: Partial<TransportFacts>): TransportFacts => ({
  local: true,
  forceBuiltin: false,
  rsync: MODERN_RSYNC,
  smallTree: undefined,
  ...f,
});

describe('chooseTransport', () => {
  it('over ssh: rsync, whatever else is true', () => {
    for (const forceBuiltin of [false, true]) {
      for (const rsync of [MODERN_RSYNC, undefined]) {
        expect(
          chooseTransport(facts({ local: false, forceBuiltin, rsync, smallTree: plain })),
        ).toBe('rsync over ssh');
      }
    }
  });

  it('locally: the built-in copier when asked for or without rsync', () => {
    expect(chooseTransport(facts({ forceBuiltin: true }))).toBe('built-in copier');
    expect(chooseTransport(facts({ forceBuiltin: true, smallTree: plain }))).toBe(
      'built-in copier',
    );
    expect(chooseTransport(facts({ rsync: undefined, smallTree: plain }))).toBe('built-in copier');
  });

  it('locally with rsync: a small tree of plain entries in-process, else rsync', () => {
    expect(chooseTransport(facts({ smallTree: plain }))).toBe('in-process copy');
    expect(chooseTransport(facts({ smallTree: [{ kind: 'dir' }] }))).toBe('in-process copy');
    // Not listed, larger than the limit, or the listing failed.
    expect(chooseTransport(facts({ smallTree: undefined }))).toBe('rsync');
    // A device, FIFO or socket: rsync -D makes it; the copier would skip it.
    expect(chooseTransport(facts({ smallTree: [...plain, { kind: 'other' }] }))).toBe('rsync');
  });
});
