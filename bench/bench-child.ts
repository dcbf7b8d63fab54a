/**
 * Child processes of the side-by-side benchmark: each contender runs in its own process (so its CPU
 * time and peak RSS are its own) and the servers run in another. They are TypeScript run through tsx
 * and talk to the parent over the IPC channel with `{ type, ... }` messages.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BenchMessage {
  type: string;
  [key: string]: unknown;
}

export interface BenchChild {
  readonly process: ChildProcess;
  send(message: BenchMessage): void;
  /** Resolves with the next message of this type; rejects when the child reports an error or dies. */
  next<T extends BenchMessage>(type: string, timeoutMillis?: number): Promise<T>;
  request<T extends BenchMessage>(message: BenchMessage, reply: string, timeoutMillis?: number): Promise<T>;
  /** Resolves when the process has exited (kills it after `graceMillis`). */
  exited(graceMillis?: number): Promise<void>;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Starts `bench/<script>` with `arg` (JSON) as its first argument. */
export function forkBench(script: string, arg: unknown, execArgv: readonly string[] = []): BenchChild {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), [JSON.stringify(arg)], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx', '--expose-gc', ...execArgv],
    // Keep the contender's environment free of OTel and exporter variables the parent may carry.
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const queue: BenchMessage[] = [];
  const waiters = new Set<{ type: string; resolve: (m: BenchMessage) => void; reject: (e: Error) => void }>();
  let failure: Error | undefined;
  const fail = (error: Error): void => {
    failure ??= error;
    for (const waiter of waiters) waiter.reject(error);
    waiters.clear();
  };
  child.on('message', (message: BenchMessage) => {
    if (message.type === 'error') {
      fail(new Error(`${script}: ${String(message['message'])}`));
      return;
    }
    for (const waiter of waiters) {
      if (waiter.type === message.type) {
        waiters.delete(waiter);
        waiter.resolve(message);
        return;
      }
    }
    queue.push(message);
  });
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      fail(new Error(`${script} exited (code ${code}, signal ${signal}) before answering`));
      resolve();
    });
  });

  function next<T extends BenchMessage>(type: string, timeoutMillis = 300_000): Promise<T> {
    const index = queue.findIndex((m) => m.type === type);
    if (index >= 0) return Promise.resolve(queue.splice(index, 1)[0] as T);
    if (failure !== undefined) return Promise.reject(failure);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`${script}: no '${type}' message within ${timeoutMillis} ms`));
      }, timeoutMillis);
      const waiter = {
        type,
        resolve: (m: BenchMessage) => {
          clearTimeout(timer);
          resolve(m as T);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      waiters.add(waiter);
    });
  }

  return {
    process: child,
    send: (message) => void child.send(message),
    next,
    request(message, reply, timeoutMillis) {
      const answer = next(reply, timeoutMillis);
      child.send(message);
      return answer as never;
    },
    async exited(graceMillis = 10_000) {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMillis);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}

/** The child's side: send a message to the parent. */
export function toParent(message: BenchMessage): void {
  process.send?.(message);
}

/** The child's side: the next parent message of this type. */
export function fromParent<T extends BenchMessage>(type: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: BenchMessage): void => {
      if (message.type !== type) return;
      process.off('message', onMessage);
      resolve(message as T);
    };
    process.on('message', onMessage);
  });
}

/** Runs a child's main function, reporting a failure to the parent rather than dying silently. */
export function childMain(main: () => Promise<void>): void {
  // Should the parent die, do not linger as an orphan holding ports and memory.
  process.once('disconnect', () => process.exit(1));
  main().catch((error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    toParent({ type: 'error', message });
    setTimeout(() => process.exit(1), 100);
  });
}
