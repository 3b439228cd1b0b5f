/**
 * `ssh-options` lines split as a shell would, without a shell, and read as ssh reads its
 * options; anything that is not an ssh option refused with the input named.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/domain/errors.js';
import { parseSshOptions } from '../../src/transfer/ssh/options.js';

const home = '/home/u';

describe('parseSshOptions', () => {
  it.each([
    [['-p 2222 -i ~/.ssh/id_ed25519'], ['-p', '2222', '-i', '/home/u/.ssh/id_ed25519']],
    [['-o "ProxyJump=gw"'], ['-o', 'ProxyJump=gw']],
    [
      ['-oProxyJump=gw', '-p2222'],
      ['-o', 'ProxyJump=gw', '-p', '2222'],
    ],
    [['-o ProxyCommand="ssh -W %h:%p gw"'], ['-o', 'ProxyCommand=ssh -W %h:%p gw']],
    [["-i '/k dir/my key' -l jdoe"], ['-i', '/k dir/my key', '-l', 'jdoe']],
    [['-vC -o IdentityFile=~/.ssh/k'], ['-v', '-C', '-o', 'IdentityFile=/home/u/.ssh/k']],
    [
      ['-o "User a"', '-p 22 # the gateway port'],
      ['-o', 'User a', '-p', '22'],
    ],
    [['-i ~'], ['-i', '/home/u']],
  ])('%j → %j', (lines, argv) => {
    expect(parseSshOptions(lines, home)).toEqual(argv);
  });

  it.each([
    ['host', "'host' is not an ssh option"],
    ['-p 2222 gw', "'gw' is not an ssh option"],
    ['ProxyCommand touch x', "'ProxyCommand' is not an ssh option"],
    ['-o "ProxyCommand=a" ; touch x', "';' is a shell operator"],
    ['-o X=$HOME', "'$HOME' is not expanded"],
    ["-o User=a'b", 'it has an unterminated single quote'],
    ['-o "User=a', 'it has an unterminated double quote'],
    ['-p 22 \\', 'it has a trailing backslash'],
    ['-i', "'-i' needs a value"],
    ['-i -p 22', "'-i' needs a value"],
    ['-W gw:22', "'-W' changes what ssh does"],
    ['-O exit', "'-O' changes what ssh does"],
    ['-Z', "'-Z' is not an ssh option"],
    ['--help', "'--help' is not an ssh option"],
    ['-o =x', "'-o =x' is not an ssh_config option"],
    // An unquoted value with spaces: the words after the value are named, with the fix.
    [
      '-o ProxyCommand=nc x 22',
      `'x 22' after '-o ProxyCommand=nc' is not an ssh option; a value with spaces is one word, quoted: -o "ProxyCommand=nc x 22".`,
    ],
    [
      '-oProxyCommand=nc x 22 -p 2',
      `'x 22' after '-o ProxyCommand=nc' is not an ssh option; a value with spaces is one word, quoted: -o "ProxyCommand=nc x 22".`,
    ],
    [
      '-i ~/my key',
      `'key' after '-i ~/my' is not an ssh option; a value with spaces is one word, quoted: -i "~/my key".`,
    ],
  ])('refuses %j', (line, why) => {
    expect(() => parseSshOptions([line], home)).toThrow(InputError);
    expect(() => parseSshOptions([line], home)).toThrow(
      `Input 'ssh-options', line '${line}': ${why}`,
    );
  });
});
