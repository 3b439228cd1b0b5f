/**
 * Where the working directory is read from (docs/qq-behaviour.md §6.3–6.4), and the checks on the values from
 * the info file that reach ssh and rsync. Pure: no I/O.
 */
import * as path from 'node:path';
import { InputError } from '../domain/errors.js';
import { hostsMatch } from '../domain/suitability.js';

export interface LocalityInput {
  /** The `shared-storage` input. */
  sharedStorage: 'auto' | 'true' | 'false';
  /** IT4I and LUMI: work dirs on shared storage, always local (§6.4). */
  alwaysShared: boolean;
  env: NodeJS.ProcessEnv;
  mainNode: string | undefined;
  /** This machine's names (short and FQDN). */
  localHosts: readonly string[];
}

/** True: copy locally; false: rsync over ssh from the main node. */
export function isLocal(input: LocalityInput): boolean {
  return locality(input).local;
}

/** The local-or-ssh decision with the rule that made it (for the debug log). */
export function locality(input: LocalityInput): { local: boolean; why: string } {
  if (input.sharedStorage === 'true') return { local: true, why: 'shared-storage: true' };
  if (input.sharedStorage === 'false') return { local: false, why: 'shared-storage: false' };
  if (input.alwaysShared) {
    return { local: true, why: 'the batch system keeps work dirs on shared storage' };
  }
  if (input.env.QQ_SHARED_SUBMIT) return { local: true, why: 'QQ_SHARED_SUBMIT is set' };
  if (!input.mainNode) return { local: true, why: 'the job has no main node' };
  const here = input.localHosts.find((h) => hostsMatch(h, input.mainNode));
  return here
    ? { local: true, why: `the main node '${input.mainNode}' is this host ('${here}')` }
    : {
        local: false,
        why: `the main node '${input.mainNode}' is not this host (${input.localHosts.join(', ') || 'names not asked'})`,
      };
}

const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*\.?$/;

/** A host name or IPv4 address, nothing that ssh could read as an option or a user@ part. */
export function validateHost(host: string): string {
  if (host.length > 253 || !HOST_NAME.test(host)) {
    throw new InputError(
      `Refusing main node '${host}': it is not a host name (letters, digits, '-' and '.', not starting with '-').`,
    );
  }
  return host;
}

/** An absolute path without `..`, line breaks or NUL: a path from an info file that we use. */
export function validateDirectory(value: string, what: string): string {
  if (!path.posix.isAbsolute(value)) {
    throw new InputError(`Refusing ${what} '${value}': it is not an absolute path.`);
  }
  if (/[\0\n\r]/.test(value)) {
    throw new InputError(`Refusing ${what}: it holds a line break or NUL character.`);
  }
  if (value.split('/').includes('..')) {
    throw new InputError(`Refusing ${what} '${value}': it climbs out with '..'.`);
  }
  return value;
}
