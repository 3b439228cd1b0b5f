/**
 * Which transport moves a job (transfer/choose.ts): the pure rule over the facts — local or
 * over ssh, `force-builtin`, whether rsync is installed here, the small-tree listing, a new destination, and
 * whether parallel streams may split the job.
 */
import { describe, expect, it } from 'vitest';
import { chooseTransport, type TransportFacts } from '../../src/transfer/choose.js';
import { STREAMS_FROM_FILES } from '../../src/transfer/index.js';

const plain = [{ kind: 'dir' as const }, { kind: 'file' as const }, { kind: 'symlink' as const }];
const facts = (f: Partial<TransportFacts>): TransportFacts => ({
  local: true,
  forceBuiltin: false,
  rsync: true,
  smallTree: undefined,
  ...f,
});

describe('chooseTransport', () => {
  it('over ssh: rsync, whatever else is true', () => {
    for (const forceBuiltin of [false, true]) {
      for (const rsync of [true, false]) {
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
    expect(chooseTransport(facts({ rsync: false, smallTree: plain }))).toBe('built-in copier');
  });

  it('locally with rsync: a small tree of plain entries in-process, else rsync', () => {
    expect(chooseTransport(facts({ smallTree: plain }))).toBe('in-process copy');
    expect(chooseTransport(facts({ smallTree: [{ kind: 'dir' }] }))).toBe('in-process copy');
    // Not listed, larger than the limit, or the listing failed.
    expect(chooseTransport(facts({ smallTree: undefined }))).toBe('rsync');
    // A device, FIFO or socket: rsync -D makes it; the copier would skip it.
    expect(chooseTransport(facts({ smallTree: [...plain, { kind: 'other' }] }))).toBe('rsync');
  });

  it('locally with rsync: a new destination in-process at any size, unless streams may split it', () => {
    expect(chooseTransport(facts({ freshDestination: true }))).toBe('in-process copy');
    expect(chooseTransport(facts({ freshDestination: true, parallel: false }))).toBe(
      'in-process copy',
    );
    // Devices are met by the copier, which then stops and leaves the job to rsync.
    const special = [...plain, { kind: 'other' as const }];
    expect(chooseTransport(facts({ freshDestination: true, smallTree: special }))).toBe(
      'in-process copy',
    );
    // Parallel rsyncs beat one sequential copier where streams split the job.
    expect(chooseTransport(facts({ freshDestination: true, parallel: true }))).toBe('rsync');
    expect(chooseTransport(facts({ freshDestination: false }))).toBe('rsync');
    // Without rsync or over ssh, as before.
    expect(chooseTransport(facts({ freshDestination: true, rsync: false }))).toBe(
      'built-in copier',
    );
    expect(chooseTransport(facts({ freshDestination: true, local: false }))).toBe('rsync over ssh');
  });

  it('a small tree with files enough for streams goes to rsync where streams may split it', () => {
    const many = [
      { kind: 'dir' as const },
      ...Array.from({ length: STREAMS_FROM_FILES }, () => ({ kind: 'file' as const })),
    ];
    const fewer = many.slice(0, STREAMS_FROM_FILES);
    expect(chooseTransport(facts({ smallTree: many }))).toBe('in-process copy');
    expect(chooseTransport(facts({ smallTree: many, parallel: false }))).toBe('in-process copy');
    expect(chooseTransport(facts({ smallTree: many, parallel: true }))).toBe('rsync');
    expect(chooseTransport(facts({ smallTree: fewer, parallel: true }))).toBe('in-process copy');
    // A new destination does not override the streams.
    expect(
      chooseTransport(facts({ smallTree: many, parallel: true, freshDestination: true })),
    ).toBe('rsync');
  });
});
