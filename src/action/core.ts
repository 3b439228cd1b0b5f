/**
 * The runner's workflow commands this action uses, written exactly as @actions/core 3 writes
 * them (`::name props::message` on stdout, `name<<delimiter` blocks in $GITHUB_OUTPUT, the job
 * summary appended to $GITHUB_STEP_SUMMARY), without importing @actions/core: its index loads
 * its OIDC client, hence @actions/http-client and undici, on every start (about half of the
 * bundle's load time on Node 24) for `getIDToken`, which this action never calls
 * (actions/toolkit#1697). The @actions/cache chunk, loaded only for `cache: true`, still
 * brings @actions/core for its own use.
 */
import { appendFileSync, closeSync, existsSync, openSync, readSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { EOL } from 'node:os';

/**
 * `bytes` random bytes as hex: read from /dev/urandom, which costs nothing more at start than
 * the fs module already loaded, where `node:crypto` adds some 50 internal modules (measured on
 * Node 24) to every run; node:crypto only where there is no /dev/urandom.
 */
export function randomHex(bytes: number): string {
  const buf = Buffer.alloc(bytes);
  try {
    const fd = openSync('/dev/urandom', 'r');
    try {
      if (readSync(fd, buf, 0, bytes, null) === bytes) return buf.toString('hex');
    } finally {
      closeSync(fd);
    }
  } catch {}
  return process.getBuiltinModule('node:crypto').randomBytes(bytes).toString('hex');
}

export interface AnnotationProperties {
  title?: string;
}

function commandValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' || value instanceof String
    ? String(value)
    : JSON.stringify(value);
}

const escapeData = (s: unknown) =>
  commandValue(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: unknown) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function issueCommand(
  command: string,
  properties: Record<string, unknown>,
  message: unknown,
): void {
  const props = Object.entries(properties)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(',');
  process.stdout.write(`::${command}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`);
}

/** The input's value, trimmed ('' when not given), as `core.getInput`. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim();
}

/** Step debug logging is on (the runner sets RUNNER_DEBUG=1 for ACTIONS_STEP_DEBUG). */
export function isDebug(): boolean {
  return process.env.RUNNER_DEBUG === '1';
}

export function info(message: string): void {
  process.stdout.write(message + EOL);
}

export function debug(message: string): void {
  issueCommand('debug', {}, message);
}

export function warning(message: string | Error, properties: AnnotationProperties = {}): void {
  issueCommand(
    'warning',
    { title: properties.title },
    message instanceof Error ? message.toString() : message,
  );
}

export function error(message: string | Error, properties: AnnotationProperties = {}): void {
  issueCommand(
    'error',
    { title: properties.title },
    message instanceof Error ? message.toString() : message,
  );
}

/** Exit code 1 when the step ends, and the message as an error annotation. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

export function startGroup(name: string): void {
  issueCommand('group', {}, name);
}

export function endGroup(): void {
  issueCommand('endgroup', {}, '');
}

/** A step output: a `name<<delimiter` block in $GITHUB_OUTPUT, else the old `set-output`. */
export function setOutput(name: string, value: unknown): void {
  const file = process.env.GITHUB_OUTPUT || '';
  if (!file) {
    process.stdout.write(EOL);
    issueCommand('set-output', { name }, commandValue(value));
    return;
  }
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`);
  const delimiter = `ghadelimiter_${randomHex(16)}`;
  const text = commandValue(value);
  if (name.includes(delimiter) || text.includes(delimiter)) {
    throw new Error(`Unexpected input: the output contains the delimiter "${delimiter}"`);
  }
  appendFileSync(file, `${name}<<${delimiter}${EOL}${text}${EOL}${delimiter}${EOL}`, 'utf8');
}

/** The job summary: text collected by `addRaw`, appended to $GITHUB_STEP_SUMMARY by `write`. */
class Summary {
  private buffer = '';
  addRaw(text: string): this {
    this.buffer += text;
    return this;
  }
  async write(): Promise<this> {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (!file) {
      throw new Error(
        'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.',
      );
    }
    await appendFile(file, this.buffer, 'utf8');
    this.buffer = '';
    return this;
  }
}

export const summary = new Summary();
