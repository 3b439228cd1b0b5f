/**
 * The `ssh-options` input: each line split into words as a shell would (quotes, backslash
 * escapes) without running one, then read as ssh(1) reads its options, so that
 * `-p 2222 -i ~/.ssh/key`, `-oProxyJump=gw`, `-p2222` and `-o "ProxyCommand=ssh -W %h:%p gw"`
 * all work. Anything that is not an ssh option (a host, a command, a shell operator, a
 * variable) is refused with a message that names the input: no shell ever sees these words.
 */
import { homedir } from 'node:os';
import parse from 'shell-quote/parse.js';
import { InputError } from '../../domain/errors.js';

/** ssh's options without a value (ssh(1) synopsis). */
const FLAGS = new Set('46AaCfGgKkMNnqsTtVvXxYy');
/** ssh's options that take a value. */
const WITH_VALUE = new Set('BbcDEeFIiJLlmOopQRSWw');
/** Options that change what ssh does (no remote command, a control command, a query): never ours to pass. */
const REFUSED = new Set('fGMNOQsVW');

const EXAMPLES = "like '-p 2222', '-i ~/.ssh/key' or '-o ProxyJump=gw'";

function refuse(line: string, why: string): never {
  throw new InputError(
    `Input 'ssh-options', line '${line}': ${why}; write ssh options ${EXAMPLES}.`,
  );
}

/** Options whose value may hold spaces (a command, a path): words after it were meant to be in it. */
const SPACED_VALUE = new Set('oiFES');

/**
 * Words that are not options right after the value of an option that may hold spaces
 * (`-o ProxyCommand=nc x 22`): the value was not quoted. Name all of them and show the fix.
 */
function refuseUnquoted(line: string, ws: readonly string[], i: number, previous: string): never {
  let end = i;
  while (end < ws.length && !/^-[^-]/.test(ws[end] as string)) end++;
  const extra = ws.slice(i, end).join(' ');
  throw new InputError(
    `Input 'ssh-options', line '${line}': '${extra}' after '${previous}' is not an ssh option; a value with spaces is one word, quoted: ${previous.slice(0, 2)} "${previous.slice(3)} ${extra}".`,
  );
}

/** Where a shell would stop with "unexpected EOF": an unclosed quote, a trailing backslash. */
function unterminated(line: string): string | undefined {
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
    } else if (c === '\\') {
      if (i === line.length - 1) return 'a trailing backslash';
      i++;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    }
  }
  if (quote === "'") return 'an unterminated single quote';
  if (quote === '"') return 'an unterminated double quote';
  return undefined;
}

/** One line as shell words; operators, variables and command substitution are refused. */
function words(line: string): string[] {
  const broken = unterminated(line);
  if (broken) refuse(line, `it has ${broken}`);
  const out: string[] = [];
  // A variable comes back as this marker object: there is no shell to expand it.
  const entries = parse(line, (name) => ({ variable: name }));
  for (const e of entries) {
    if (typeof e === 'string') out.push(e);
    else if ('comment' in e) break;
    else if ('variable' in e) {
      refuse(
        line,
        `'$${String((e as { variable: unknown }).variable)}' is not expanded (no shell runs)`,
      );
    } else if (e.op === 'glob') out.push(e.pattern);
    else refuse(line, `'${e.op}' is a shell operator and no shell runs`);
  }
  return out;
}

function expandHome(value: string, home: string): string {
  return value.replace(/^~(?=\/|$)/, home).replace(/^([A-Za-z]+[=\s]+)~(?=\/|$)/, `$1${home}`);
}

/**
 * The `ssh-options` lines as ssh argv words, each option separately (`-p`, `2222`, `-o`,
 * `ProxyJump=gw`), `~` expanded to `home`. Throws an InputError naming the input.
 */
export function parseSshOptions(lines: readonly string[], home = homedir()): string[] {
  const argv: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    const ws = words(line);
    /** The option just read with its value (`-o ProxyCommand=nc`), if it may hold spaces. */
    let spaced: string | undefined;
    for (let i = 0; i < ws.length; i++) {
      const word = ws[i] as string;
      if (!/^-[^-]/.test(word)) {
        if (spaced) refuseUnquoted(line, ws, i, spaced);
        refuse(line, `'${word}' is not an ssh option`);
      }
      spaced = undefined;
      // ssh's getopt: flags may be grouped (`-vC`); an option with a value takes the rest of
      // the word (`-p2222`, `-oProxyJump=gw`) or the next word.
      for (let j = 1; j < word.length; j++) {
        const letter = word[j] as string;
        if (REFUSED.has(letter)) {
          refuse(
            line,
            `'-${letter}' changes what ssh does, not how it connects, and is not allowed`,
          );
        }
        if (FLAGS.has(letter)) {
          argv.push(`-${letter}`);
          continue;
        }
        if (!WITH_VALUE.has(letter)) refuse(line, `'-${letter}' is not an ssh option`);
        let value = word.slice(j + 1);
        if (!value) {
          const next = ws[i + 1];
          if (next === undefined || next.startsWith('-'))
            refuse(line, `'-${letter}' needs a value`);
          value = next;
          i++;
        }
        if (!value.trim()) refuse(line, `'-${letter}' has an empty value`);
        if (letter === 'o' && !/^[A-Za-z]+\s*=?/.test(value)) {
          refuse(line, `'-o ${value}' is not an ssh_config option (Keyword=value)`);
        }
        argv.push(`-${letter}`, expandHome(value, home));
        if (SPACED_VALUE.has(letter)) spaced = `-${letter} ${value}`;
        break;
      }
    }
  }
  return argv;
}
