/** One code's count and its first example. */
export interface FailureEntry {
  code: string;
  count: number;
  example: string;
}

/** Counts of rejected and failed events by code, with the first example of each, for `send`'s summary. */
export interface FailureTally {
  /** One event rejected for good (or an unreadable line) under `code`. */
  add(code: string, example: string): void;
  /** `count` events given up on (retries exhausted, deadline, permanent request error). */
  addFailed(code: string, count: number, example: string): void;
  readonly rejected: number;
  readonly failed: number;
  /** The codes, most frequent first; empty when nothing went wrong. */
  entries(): FailureEntry[];
}

export function createFailureTally(): FailureTally {
  const byCode = new Map<string, { count: number; example: string }>();
  let rejected = 0;
  let failed = 0;
  const bump = (code: string, count: number, example: string): void => {
    const entry = byCode.get(code);
    if (entry === undefined) byCode.set(code, { count, example });
    else entry.count += count;
  };
  return {
    add(code, example) {
      rejected += 1;
      bump(code, 1, example);
    },
    addFailed(code, count, example) {
      failed += count;
      bump(code, count, example);
    },
    get rejected() {
      return rejected;
    },
    get failed() {
      return failed;
    },
    entries() {
      return [...byCode]
        .map(([code, { count, example }]) => ({ code, count, example }))
        .sort((a, b) => b.count - a.count);
    },
  };
}
