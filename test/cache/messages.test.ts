/**
 * What is held back of stdout while @actions/cache runs: its failure annotations and its
 * misleading "another job may be creating this cache" line (their cause goes into one warning
 * of ours), and nothing else — not an annotation of the action's own (a cancel's), not text from
 * the cluster inside a stop-commands fence, not progress or debug lines.
 */
import * as core from '@actions/core';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLibraryMessages } from '../../src/action/cache-messages.js';

const realWrite = process.stdout.write;
afterEach(() => {
  process.stdout.write = realWrite;
});

function recordStdout(): string[] {
  const lines: string[] = [];
  process.stdout.write = ((chunk: string) => {
    lines.push(String(chunk).replace(/\n$/, ''));
    return true;
  }) as typeof process.stdout.write;
  return lines;
}

describe('captureLibraryMessages', () => {
  it("holds the library's failures back and names the real cause", () => {
    const out = recordStdout();
    const messages = captureLibraryMessages();
    core.info('Cache Size: ~0 MB');
    core.debug(
      'Failed to reserve cache: Error: Failed to CreateCacheEntry: Unable to make request: ECONNREFUSED\nIf you are using self-hosted runners, …',
    );
    core.info(
      'Failed to save: Unable to reserve cache with key k, another job may be creating this cache.',
    );
    core.warning(
      'Failed to save: Unable to reserve cache with key k, another job may be creating this cache.',
    );
    core.warning('The run did not unwind within 4 s of the cancel: cutting it short.');
    core.setFailed('Cancelled (SIGINT): 1 of 1 job(s) not fetched.');
    core.info('::stop-commands::0123abcd');
    core.info('::warning::Failed to save: text from the cluster');
    core.info('::0123abcd::');
    messages.done();
    expect(messages.cause()).toBe(
      'Failed to CreateCacheEntry: Unable to make request: ECONNREFUSED',
    );
    expect(out).toEqual([
      'Cache Size: ~0 MB',
      '::debug::Failed to reserve cache: Error: Failed to CreateCacheEntry: Unable to make request: ECONNREFUSED%0AIf you are using self-hosted runners, …',
      '::warning::The run did not unwind within 4 s of the cancel: cutting it short.',
      '::error::Cancelled (SIGINT): 1 of 1 job(s) not fetched.',
      '::stop-commands::0123abcd',
      '::warning::Failed to save: text from the cluster',
      '::0123abcd::',
    ]);
    process.exitCode = undefined;
  });

  it('a failure without the debug line: the annotation is the cause; done() puts stdout back', () => {
    recordStdout();
    const mine = process.stdout.write;
    const messages = captureLibraryMessages();
    expect(process.stdout.write).not.toBe(mine);
    core.warning('Failed to restore: Cache service responded with 503');
    messages.done();
    expect(process.stdout.write).toBe(mine);
    expect(messages.cause()).toBe('Cache service responded with 503');
  });
});
