import { constants } from 'node:os';

/** A run that Ctrl+C (SIGINT) or SIGTERM may stop between two steps. */
export interface InterruptSignal {
  /** The signal received, once one has been. */
  readonly signal: NodeJS.Signals | undefined;
  /** Resolves with the first signal. */
  readonly received: Promise<NodeJS.Signals>;
  /** Stops listening; a later signal has its default effect again. */
  dispose(): void;
}

/** The shell's exit status for a process stopped by `signal`: 128 + its number (130 for SIGINT). */
export function exitCodeForSignal(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

/**
 * Listens for SIGINT and SIGTERM. The first is recorded, so the command can finish the step in hand
 * and print what it did; a second one runs `onSecond` (which should print what is known and exit), for
 * a user who will not wait for that step.
 */
export function listenForInterrupt(onSecond: (signal: NodeJS.Signals) => void): InterruptSignal {
  let signal: NodeJS.Signals | undefined;
  let resolve: (signal: NodeJS.Signals) => void = () => undefined;
  const received = new Promise<NodeJS.Signals>((done) => (resolve = done));
  const handler = (received: NodeJS.Signals): void => {
    if (signal !== undefined) {
      onSecond(received);
      return;
    }
    signal = received;
    resolve(received);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    get signal() {
      return signal;
    },
    received,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
