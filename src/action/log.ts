/**
 * The log: one collapsible group per job, qq's messages, and text from the cluster fenced by
 * `::stop-commands::` so that it can never act as a workflow command.
 */
import * as core from '@actions/core';

/** Print text that came from the cluster (file names, job output, ssh/rsync messages). */
export function printUntrusted(text: string, write: (line: string) => void = core.info): void {
  // node:crypto on first use: some 50 internal modules that a run printing nothing skips.
  const token = process.getBuiltinModule('node:crypto').randomBytes(16).toString('hex');
  write(`::stop-commands::${token}`);
  for (const line of text.split(/\r?\n|\r/)) write(line);
  write(`::${token}::`);
}

/**
 * What could make a line act as a workflow command: a line break (a new line may start with
 * `::`), the `::` form anywhere, or the runner's older `##[command]` form anywhere.
 */
const UNSAFE = /[\r\n]|::|##\[/;

/** A job's log. Live when jobs run one at a time; buffered and printed whole otherwise. */
export class JobLog {
  private readonly lines: string[] = [];
  private readonly title: string;
  constructor(
    title: string,
    private readonly live: boolean,
  ) {
    // The title quotes the job name from the info file; it is also printed outside the group.
    this.title = title
      .replace(/[\r\n]+/g, ' ')
      .replaceAll('::', ': :')
      .replaceAll('##[', '# #[');
    if (live) core.startGroup(this.title);
  }

  /**
   * A message of ours (qq's wording). Messages quote values from info files, so one that could
   * hold a workflow command (a line break or `::`) is fenced like cluster text.
   */
  info(message: string): void {
    if (UNSAFE.test(message)) this.untrusted(message);
    else this.emit(message);
  }

  /** Text from the cluster. */
  untrusted(text: string): void {
    printUntrusted(text, (l) => this.emit(l));
  }

  /** Progress of a long transfer: printed at once, even when the rest is buffered. */
  progress(line: string): void {
    if (this.live) this.emit(line);
    else core.info(`[${this.title}] ${line}`);
  }

  private emit(line: string): void {
    if (this.live) core.info(line);
    else this.lines.push(line);
  }

  /** Close the group (live) or print the buffered group (buffered). */
  end(): void {
    if (this.live) {
      core.endGroup();
      return;
    }
    core.startGroup(this.title);
    for (const l of this.lines) core.info(l);
    core.endGroup();
  }
}
