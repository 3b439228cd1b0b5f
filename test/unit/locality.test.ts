/** Where a working directory is read (qq's rules) and the checks on values that reach ssh. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/domain/errors.js';
import { isLocal, validateDirectory, validateHost } from '../../src/transfer/locality.js';

const base = {
  sharedStorage: 'auto' as const,
  alwaysShared: false,
  env: {},
  mainNode: 'node7.cluster.example.org',
  localHosts: ['login1', 'login1.cluster.example.org'],
};

describe('isLocal', () => {
  it('the input decides when it is true or false', () => {
    expect(isLocal({ ...base, sharedStorage: 'true' })).toBe(true);
    expect(isLocal({ ...base, sharedStorage: 'false', mainNode: 'login1' })).toBe(false);
  });

  it("auto: qq's rules — IT4I/LUMI, QQ_SHARED_SUBMIT, no main node, or this host", () => {
    expect(isLocal(base)).toBe(false);
    expect(isLocal({ ...base, alwaysShared: true })).toBe(true);
    expect(isLocal({ ...base, env: { QQ_SHARED_SUBMIT: '1' } })).toBe(true);
    expect(isLocal({ ...base, mainNode: undefined })).toBe(true);
    expect(isLocal({ ...base, mainNode: 'LOGIN1.cluster.example.org.' })).toBe(true);
    expect(isLocal({ ...base, mainNode: 'login1' })).toBe(true);
  });
});

describe('validateHost', () => {
  it.each(['node7', 'node7.cluster.example.org', '10.0.0.7', 'a-b.c'])('accepts %s', (h) => {
    expect(validateHost(h)).toBe(h);
  });
  it.each(['-oProxyCommand=x', 'user@node', 'node 7', '', 'a..b', `${'a'.repeat(64)}.b`])(
    'refuses %j',
    (h) => {
      expect(() => validateHost(h)).toThrow(InputError);
      expect(() => validateHost(h)).toThrow(`Refusing main node '${h}': it is not a host name`);
    },
  );
});

describe('validateDirectory', () => {
  it('accepts an absolute path', () => {
    expect(validateDirectory('/scratch/job 1', 'working directory')).toBe('/scratch/job 1');
  });
  it.each([
    ['scratch/job', "Refusing working directory 'scratch/job': it is not an absolute path."],
    ['/scratch/a\nb', 'Refusing working directory: it holds a line break or NUL character.'],
    ['/scratch/../etc', "Refusing working directory '/scratch/../etc': it climbs out with '..'."],
  ])('refuses %j', (dir, message) => {
    expect(() => validateDirectory(dir, 'working directory')).toThrow(message);
  });
});
