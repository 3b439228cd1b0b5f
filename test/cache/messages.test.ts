/**
 * What is held back of stdout while @actions/cache runs: the annotations and the misleading
 * "another job may be creating this cache" line written within the call's asynchronous context
 * (their cause goes into one warning of ours), and nothing else — not a line the rest of the
 * action writes meanwhile (a cancel's annotation, another job's log), not progress or debug
 * lines. Two calls at once each get their own cause.
 */
import * as core from '@actions/core';
import { afterEach, describe, expect, it } from 'vitest';
import { withLibraryMessages } from '../../src/action/cache/messages.js';

const realWrite = process.stdout.write;
let sink: string[] = [];
afterEach(() => {
  sink = [];
});
// Below the capture (installed once, on top of whatever stdout.write is then): record.
process.stdout.write = ((chunk: string) => {
  sink.push(String(chunk).replace(/\n$/, ''));
  return true;
}) as typeof process.stdout.write;
process.on('exit', () => {
  process.stdout.write = realWrite;
});

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('withLibraryMessages', () => {
  it("holds the library's failures back, names the real cause, and lets the rest through", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const { result, messages } = withLibraryMessages(async () => {
      core.info('Cache Size: ~0 MB');
      await tick();
      core.debug(
        'Failed to reserve cache: Error: Failed to CreateCacheEntry: Unable to make request: ECONNREFUSED\nIf you are using self-hosted runners, …',
      );
      await gate;
      core.info(
        'Failed to save: Unable to reserve cache with key k, another job may be creating this cache.',
      );
      core.warning('Failed to save: something');
      return -1;
    });
    await tick();
    // Written by the rest of the action while the call runs: untouched.
    core.warning('The run did not unwind within 4 s of the cancel: cutting it short.');
    core.info('::warning::Failed to save: text from the cluster, fenced by its job log');
    release();
    expect(await result).toBe(-1);
    expect(messages.cause()).toBe(
      'Failed to CreateCacheEntry: Unable to make request: ECONNREFUSED',
    );
    expect(sink).toEqual([
      'Cache Size: ~0 MB',
      '::debug::Failed to reserve cache: Error: Failed to CreateCacheEntry: Unable to make request: ECONNREFUSED%0AIf you are using self-hosted runners, …',
      '::warning::The run did not unwind within 4 s of the cancel: cutting it short.',
      '::warning::Failed to save: text from the cluster, fenced by its job log',
    ]);
  });

  it('two calls at once: each its own cause; an annotation is the cause when no debug line is', async () => {
    const a = withLibraryMessages(async () => {
      await tick();
      core.warning('Failed to restore: Cache service responded with 503');
    });
    const b = withLibraryMessages(async () => {
      core.warning('You have hit a rate limit');
      await tick();
    });
    await Promise.all([a.result, b.result]);
    expect(a.messages.cause()).toBe('Cache service responded with 503');
    expect(b.messages.cause()).toBe('You have hit a rate limit');
    expect(sink).toEqual([]);
  });
});
