import { ConfigError } from '../errors.js';
import { AWS_ERROR_STATUS, type AwsErrorType } from './aws-error.js';

/**
 * Faults the emulator injects into PutAuditEvents, so clients can be tested against throttling,
 * server errors, slowness, outages and partial failures. Random rules draw from a seeded PRNG: the same
 * seed and the same sequence of requests give the same faults. Order per request: outage, script step,
 * then the random whole-request rules; per event: `failEvents`, then the random per-event rates.
 */
export interface EmulatorFaults {
  /** Probability (0 to 1) that a request is answered with ThrottlingException. @default 0 */
  throttleRate?: number;
  /** HTTP status of a throttled answer: 400 as AWS JSON services send it, or 429. @default 400 */
  throttleStatus?: 400 | 429;
  /** When set, throttled answers carry `Retry-After` with this many seconds. */
  retryAfterSeconds?: number;
  /** Probability (0 to 1) that a request is answered with a 5xx. @default 0 */
  serverErrorRate?: number;
  /** Status of those answers (500 InternalServerError, 503 ServiceUnavailableException, ...). @default 500 */
  serverErrorStatus?: 500 | 502 | 503 | 504;
  /** Added to every PutAuditEvents answer, in milliseconds. @default 0 */
  latencyMillis?: number;
  /** Probability (0 to 1) that an otherwise valid event fails with per-event `Throttling`. @default 0 */
  eventThrottlingRate?: number;
  /** Probability (0 to 1) that an otherwise valid event fails with per-event `InternalFailure`. @default 0 */
  eventInternalFailureRate?: number;
  /**
   * An outage that starts when these faults are set: every request gets a connection reset (`reset`)
   * or 503 ServiceUnavailableException (`unavailable`) until `durationMillis` have passed or
   * `requests` requests were refused, whichever comes first (without either, until faults change).
   */
  outage?: { mode: 'reset' | 'unavailable'; durationMillis?: number; requests?: number };
  /** Scripted answers, one per PutAuditEvents request in arrival order, before the random rules apply. */
  script?: FaultStep[];
  /** Fail these event ids with the given per-event code, `times` times each (default: every time). */
  failEvents?: Array<{ id: string; errorCode: string; errorMessage?: string; times?: number }>;
}

/** One scripted answer. `pass` lets the request through (with its events still subject to the per-event rules). */
export type FaultStep =
  | { kind: 'pass'; latencyMillis?: number }
  | { kind: 'throttle'; status?: 400 | 429; retryAfterSeconds?: number; latencyMillis?: number }
  | { kind: 'server-error'; status?: 500 | 502 | 503 | 504; latencyMillis?: number }
  | { kind: 'reset' }
  /** Any whole-request error the emulator knows (e.g. UnsupportedOperationException), at its usual status. */
  | { kind: 'error'; errorType: AwsErrorType; message?: string; latencyMillis?: number };

/** What the server does with one request. */
export type RequestFault =
  | { kind: 'pass'; latencyMillis: number }
  | { kind: 'throttle'; status: 400 | 429; retryAfterSeconds: number | undefined; latencyMillis: number }
  | { kind: 'server-error'; status: 500 | 502 | 503 | 504; latencyMillis: number }
  | { kind: 'reset' }
  | { kind: 'unavailable'; latencyMillis: number }
  | { kind: 'error'; errorType: AwsErrorType; message: string; latencyMillis: number };

export interface FaultController {
  readonly faults: EmulatorFaults;
  /** Replaces the faults (an outage starts now); `seed` restarts the PRNG. */
  set(faults: EmulatorFaults, seed?: number): void;
  decideRequest(): RequestFault;
  decideEvent(id: string): { errorCode: string; errorMessage: string } | undefined;
}

/** mulberry32: small, fast and good enough to make fault schedules repeatable. */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function checkRate(
  faults: EmulatorFaults,
  key: 'throttleRate' | 'serverErrorRate' | 'eventThrottlingRate' | 'eventInternalFailureRate',
): void {
  const value = faults[key];
  if (value !== undefined && (typeof value !== 'number' || !(value >= 0 && value <= 1))) {
    throw new ConfigError(
      `faults.${key}`,
      `Expected \`faults.${key}\` to be a number from 0 to 1, got \`${String(value)}\` (${typeof value})`,
    );
  }
}

/** Checks faults that may come from JSON (admin endpoint, config file); throws ConfigError naming the field. */
export function validateFaults(faults: unknown): EmulatorFaults {
  if (typeof faults !== 'object' || faults === null || Array.isArray(faults)) {
    throw new ConfigError('faults', `Expected \`faults\` to be an object, got \`${JSON.stringify(faults)}\``);
  }
  const value = faults as EmulatorFaults;
  for (const key of [
    'throttleRate',
    'serverErrorRate',
    'eventThrottlingRate',
    'eventInternalFailureRate',
  ] as const)
    checkRate(value, key);
  for (const key of ['latencyMillis', 'retryAfterSeconds'] as const) {
    const number = value[key];
    if (number !== undefined && (typeof number !== 'number' || !Number.isFinite(number) || number < 0)) {
      throw new ConfigError(
        `faults.${key}`,
        `Expected \`faults.${key}\` to be a number >= 0, got \`${String(number)}\``,
      );
    }
  }
  if (value.throttleStatus !== undefined && value.throttleStatus !== 400 && value.throttleStatus !== 429) {
    throw new ConfigError(
      'faults.throttleStatus',
      `Expected \`faults.throttleStatus\` to be 400 or 429, got \`${String(value.throttleStatus)}\``,
    );
  }
  if (value.outage !== undefined && value.outage.mode !== 'reset' && value.outage.mode !== 'unavailable') {
    throw new ConfigError(
      'faults.outage.mode',
      `Expected \`faults.outage.mode\` to be 'reset' or 'unavailable', got \`${String(value.outage.mode)}\``,
    );
  }
  if (value.script !== undefined && !Array.isArray(value.script)) {
    throw new ConfigError('faults.script', 'Expected `faults.script` to be an array of steps');
  }
  for (const [index, step] of (value.script ?? []).entries()) {
    if (!['pass', 'throttle', 'server-error', 'reset', 'error'].includes(step?.kind)) {
      throw new ConfigError(
        `faults.script[${index}].kind`,
        `Expected \`faults.script[${index}].kind\` to be pass, throttle, server-error, reset or error, got \`${String(step?.kind)}\``,
      );
    }
    if (step.kind === 'error' && !Object.hasOwn(AWS_ERROR_STATUS, step.errorType)) {
      throw new ConfigError(
        `faults.script[${index}].errorType`,
        `Expected \`faults.script[${index}].errorType\` to be one of ${Object.keys(AWS_ERROR_STATUS).join(', ')}, got \`${String(step.errorType)}\``,
      );
    }
  }
  return value;
}

export function createFaultController(
  initial: EmulatorFaults,
  seed: number,
  now: () => number,
): FaultController {
  let faults: EmulatorFaults = {};
  let random = createPrng(seed);
  let script: FaultStep[] = [];
  let outageStartMillis = 0;
  let outageRefused = 0;
  let failCounts = new Map<string, number>();

  function outageActive(): boolean {
    const outage = faults.outage;
    if (outage === undefined) return false;
    if (outage.durationMillis !== undefined && now() - outageStartMillis >= outage.durationMillis)
      return false;
    if (outage.requests !== undefined && outageRefused >= outage.requests) return false;
    return true;
  }

  const controller: FaultController = {
    get faults() {
      return faults;
    },
    set(next, nextSeed) {
      faults = validateFaults(next);
      if (nextSeed !== undefined) random = createPrng(nextSeed);
      script = [...(faults.script ?? [])];
      outageStartMillis = now();
      outageRefused = 0;
      failCounts = new Map();
    },
    decideRequest() {
      const latencyMillis = faults.latencyMillis ?? 0;
      if (outageActive()) {
        outageRefused += 1;
        return faults.outage?.mode === 'reset' ? { kind: 'reset' } : { kind: 'unavailable', latencyMillis };
      }
      const step = script.shift();
      if (step !== undefined) {
        if (step.kind === 'reset') return step;
        if (step.kind === 'error') {
          return {
            kind: 'error',
            errorType: step.errorType,
            message: step.message ?? `Injected ${step.errorType}.`,
            latencyMillis: step.latencyMillis ?? latencyMillis,
          };
        }
        const stepLatency = step.latencyMillis ?? latencyMillis;
        if (step.kind === 'throttle') {
          return {
            kind: 'throttle',
            status: step.status ?? faults.throttleStatus ?? 400,
            retryAfterSeconds: step.retryAfterSeconds ?? faults.retryAfterSeconds,
            latencyMillis: stepLatency,
          };
        }
        if (step.kind === 'server-error')
          return {
            kind: 'server-error',
            status: step.status ?? faults.serverErrorStatus ?? 500,
            latencyMillis: stepLatency,
          };
        return { kind: 'pass', latencyMillis: stepLatency };
      }
      // Draw both numbers every time so one rule's rate does not shift the other's sequence.
      const throttleRoll = random();
      const serverErrorRoll = random();
      if (throttleRoll < (faults.throttleRate ?? 0)) {
        return {
          kind: 'throttle',
          status: faults.throttleStatus ?? 400,
          retryAfterSeconds: faults.retryAfterSeconds,
          latencyMillis,
        };
      }
      if (serverErrorRoll < (faults.serverErrorRate ?? 0)) {
        return { kind: 'server-error', status: faults.serverErrorStatus ?? 500, latencyMillis };
      }
      return { kind: 'pass', latencyMillis };
    },
    decideEvent(id) {
      const scripted = faults.failEvents?.find((entry) => entry.id === id);
      if (scripted !== undefined) {
        const used = failCounts.get(id) ?? 0;
        if (scripted.times === undefined || used < scripted.times) {
          failCounts.set(id, used + 1);
          return {
            errorCode: scripted.errorCode,
            errorMessage: scripted.errorMessage ?? `Injected ${scripted.errorCode} fault.`,
          };
        }
      }
      const throttlingRate = faults.eventThrottlingRate ?? 0;
      const internalFailureRate = faults.eventInternalFailureRate ?? 0;
      if (throttlingRate === 0 && internalFailureRate === 0) return undefined;
      const roll = random();
      if (roll < throttlingRate)
        return { errorCode: 'Throttling', errorMessage: 'Rate exceeded (injected fault).' };
      if (roll < throttlingRate + internalFailureRate)
        return { errorCode: 'InternalFailure', errorMessage: 'Internal failure (injected fault).' };
      return undefined;
    },
  };
  controller.set(initial);
  return controller;
}
