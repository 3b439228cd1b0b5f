/**
 * One time budget for every cache call of a step. The cache service is one service: when it
 * stops answering for one job it does so for all of them, and `@actions/cache` has no timeout
 * of its own on its service calls (a service that accepts and says nothing keeps it waiting
 * for ever). So the clock starts at the step's first cache call, each later call gets what is
 * left, and once the budget is spent every later call is given up at once, with a warning.
 * Calls for several jobs may run at once: together they never take longer than the budget.
 */

export class CacheBudget {
  private deadline: number | undefined;
  /** Why the budget is gone (set when a call ran out of time). */
  spentReason: string | undefined;

  /** @param what says where the length comes from, for the messages (`transfer-timeout`). */
  constructor(
    readonly ms: number,
    readonly what: string,
  ) {}

  /** `600 s (transfer-timeout)`. */
  describe(): string {
    return `${Math.round(this.ms / 1000)} s (${this.what})`;
  }

  /** Milliseconds left; the clock starts at the first call. */
  remaining(): number {
    this.deadline ??= Date.now() + this.ms;
    return Math.max(0, this.deadline - Date.now());
  }
}

let step: CacheBudget | undefined;

/** The budget of this step (one process = one step), made at the first call. */
export function stepCacheBudget(ms: number, what: string): CacheBudget {
  step ??= new CacheBudget(ms, what);
  return step;
}

/**
 * Resolve to `undefined` when `ms` passes first. The operation is not stopped (the library
 * offers no way to): the process ends after its report whatever it still holds (index.ts).
 */
export async function withTimeout<T>(
  work: Promise<T>,
  ms: number,
): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    // Not unref'd: it keeps the process alive even if the library holds nothing that does.
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
