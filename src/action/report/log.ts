/**
 * The log: qq's messages per job, and text from the cluster fenced by `::stop-commands::` so
 * that it can never act as a workflow command.
 *
 * A group's title is printed before its lines, yet should say how the job ended
 * (`✔ 5001.pbs-m1 (ala-300K): fetched 4 files, 157 B`). So with several jobs, which run in
 * parallel and end in an order that differs from run to run, a job's lines are kept and
 * printed as one group, titled with its outcome, once all are done: in the summary's order
 * (report.ts reportOrder), the same on two identical runs. Progress lines of long transfers
 * are printed at once, prefixed with the job. A single job's lines are printed as they come,
 * ungrouped (there is nothing to tell apart), and its outcome follows them as one line.
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

/** A title quotes the job name from the info file: made harmless and kept on one line. */
function safeTitle(title: string): string {
  return title
    .replace(/[\r\n]+/g, ' ')
    .replaceAll('::', ': :')
    .replaceAll('##[', '# #[');
}

/** A job's log: live for a single job, kept and printed whole, as a group, for several. */
export class JobLog {
  /** Logs still keeping lines: printed by flushOpen when the run is cut short. */
  private static readonly open = new Set<JobLog>();
  /** Logs of jobs that are done, by their key, until printInOrder prints them. */
  private static readonly ended = new Map<unknown, JobLog>();
  private readonly lines: string[] = [];
  private readonly title: string;
  private outcome = '';
  constructor(
    title: string,
    private readonly live: boolean,
  ) {
    this.title = safeTitle(title);
    if (!live) JobLog.open.add(this);
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

  /** Progress of a long transfer: printed at once, also when the rest is kept. */
  progress(line: string): void {
    if (this.live) this.emit(line);
    else core.info(`[${this.title}] ${line}`);
  }

  private emit(line: string): void {
    if (this.live) core.info(line);
    else this.lines.push(line);
  }

  /**
   * The job is done: `outcome` (`✔ …: fetched 4 files, 157 B`) titles its group, printed by
   * printInOrder when it is that `key`'s turn (at once without a key).
   */
  end(outcome: string, key?: unknown): void {
    this.outcome = safeTitle(outcome);
    if (this.live) {
      core.info(this.outcome);
      return;
    }
    JobLog.open.delete(this);
    if (key === undefined) this.print();
    else JobLog.ended.set(key, this);
  }

  private print(): void {
    core.startGroup(this.outcome);
    for (const l of this.lines) core.info(l);
    core.endGroup();
  }

  /** Print the groups of the jobs that are done: those of `keys` in their order, then the rest. */
  static printInOrder(keys: readonly unknown[]): void {
    for (const key of keys) {
      const log = JobLog.ended.get(key);
      if (!log) continue;
      JobLog.ended.delete(key);
      log.print();
    }
    for (const log of JobLog.ended.values()) log.print();
    JobLog.ended.clear();
  }

  /** The run is cut short: print the jobs done (in `keys`' order), then what the others logged. */
  static flushOpen(keys: readonly unknown[] = []): void {
    JobLog.printInOrder(keys);
    for (const log of [...JobLog.open]) log.end(`… ${log.title}: not finished`);
  }
}
