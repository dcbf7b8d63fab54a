// Fault injection of the emulator: scripted throttling (400/429, Retry-After), 5xx, connection resets,
// outages bounded by requests or time, latency, per-event faults, the admin endpoint, and that a seed
// makes random fault schedules repeat exactly. Request validation is in request-rules.test.ts.
import { afterEach, expect, test } from 'vitest';
import { adminFetch } from './helpers/admin-fetch.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { TEST_CREDENTIAL, bodyOf, eventData, put } from './helpers/signed-request.js';

const account = TEST_CREDENTIAL.accountId;
const body = bodyOf([eventData(account), eventData(account, { UID: 'two' })]);
const started: Emulator[] = [];

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator({ credentials: [TEST_CREDENTIAL], log: () => undefined, ...options });
  started.push(emulator);
  return emulator;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((emulator) => emulator.close()));
});

/** One request's outcome as a short string: status + error type or per-event codes. */
async function outcome(emulator: Emulator, requestBody = body): Promise<string> {
  try {
    const result = await put(emulator.url, emulator.channelArn, requestBody);
    if (result.status !== 200) return `${result.status} ${result.headers.get('x-amzn-errortype')}`;
    return `200 ok=${result.json.successful.length} failed=${result.json.failed.map((entry: { errorCode: string }) => entry.errorCode).join(',')}`;
  } catch {
    return 'reset';
  }
}

test('plays a script: 429 with Retry-After, 400 throttling, 503, a reset, a modelled error, then success', async () => {
  const emulator = await start({
    faults: {
      script: [
        { kind: 'throttle', status: 429, retryAfterSeconds: 2 },
        { kind: 'throttle' },
        { kind: 'server-error', status: 503 },
        { kind: 'reset' },
        { kind: 'error', errorType: 'UnsupportedOperationException' },
      ],
    },
  });
  const first = await put(emulator.url, emulator.channelArn, body);
  expect(first.status).toBe(429);
  expect(first.headers.get('retry-after')).toBe('2');
  expect(first.json).toEqual({ __type: 'ThrottlingException', message: expect.any(String) });
  const second = await put(emulator.url, emulator.channelArn, body);
  expect(second.status).toBe(400);
  expect(second.headers.get('x-amzn-errortype')).toBe('ThrottlingException');
  expect(second.headers.get('retry-after')).toBeNull();
  expect(await outcome(emulator)).toBe('503 ServiceUnavailableException');
  expect(await outcome(emulator)).toBe('reset');
  expect(await outcome(emulator)).toBe('400 UnsupportedOperationException');
  expect(await outcome(emulator)).toBe('200 ok=2 failed=');
  expect(emulator.stats).toMatchObject({ throttled: 2, resets: 1, acceptedEvents: 2 });
  expect(emulator.events()).toHaveLength(2);
});

test('answers a 500 fault with InternalServerError and stores nothing', async () => {
  const emulator = await start({ faults: { serverErrorRate: 1 } });
  expect(await outcome(emulator)).toBe('500 InternalServerError');
  expect(emulator.events()).toHaveLength(0);
});

test('ends an outage after the given number of refused requests', async () => {
  const emulator = await start({ faults: { outage: { mode: 'unavailable', requests: 2 } } });
  expect(await outcome(emulator)).toBe('503 ServiceUnavailableException');
  expect(await outcome(emulator)).toBe('503 ServiceUnavailableException');
  expect(await outcome(emulator)).toBe('200 ok=2 failed=');
});

test('ends an outage of resets once its duration has passed on the emulator clock', async () => {
  let nowMillis = Date.now();
  const emulator = await start({
    now: () => nowMillis,
    faults: { outage: { mode: 'reset', durationMillis: 60_000 } },
  });
  expect(await outcome(emulator)).toBe('reset');
  nowMillis += 59_999;
  expect(await outcome(emulator)).toBe('reset');
  nowMillis += 1;
  expect(await outcome(emulator)).toBe('200 ok=2 failed=');
});

test('adds the configured latency to each answer', async () => {
  const emulator = await start({ faults: { latencyMillis: 150 } });
  const startedAt = performance.now();
  expect(await outcome(emulator)).toBe('200 ok=2 failed=');
  expect(performance.now() - startedAt).toBeGreaterThanOrEqual(145);
});

test('fails named events the given number of times, then accepts them', async () => {
  const emulator = await start({ faults: { failEvents: [{ id: 'e1', errorCode: 'Throttling', times: 1 }] } });
  const first = await put(emulator.url, emulator.channelArn, body);
  expect(first.json.failed).toEqual([
    { id: 'e1', errorCode: 'Throttling', errorMessage: expect.any(String) },
  ]);
  expect(first.json.successful.map((entry: { id: string }) => entry.id)).toEqual(['e0']);
  const second = await put(emulator.url, emulator.channelArn, body);
  expect(second.json.failed).toEqual([]);
  expect(emulator.stats.failedEvents).toEqual({ Throttling: 1 });
});

test('repeats the same random fault schedule for the same seed, and another for another seed', async () => {
  const faults = {
    throttleRate: 0.3,
    serverErrorRate: 0.1,
    eventThrottlingRate: 0.2,
    eventInternalFailureRate: 0.2,
  };
  async function run(seed: number): Promise<string[]> {
    const emulator = await start({ faults, seed });
    const outcomes: string[] = [];
    for (let index = 0; index < 30; index += 1) outcomes.push(await outcome(emulator));
    return outcomes;
  }
  const first = await run(7);
  const again = await run(7);
  const other = await run(8);
  expect(again).toEqual(first);
  expect(other).not.toEqual(first);
  const joined = first.join('\n');
  for (const expected of [
    'ThrottlingException',
    'InternalServerError',
    'Throttling',
    'InternalFailure',
    'ok=2 failed=\n',
  ]) {
    expect(joined).toContain(expected);
  }
});

test('restarts the fault PRNG when POST /_emulator/faults names a seed', async () => {
  const emulator = await start();
  async function runWithSeed(): Promise<string[]> {
    const response = await adminFetch(emulator, `/_emulator/faults?seed=42`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ throttleRate: 0.5 }),
    });
    expect(response.status).toBe(200);
    const outcomes: string[] = [];
    for (let index = 0; index < 12; index += 1) outcomes.push(await outcome(emulator));
    return outcomes;
  }
  const first = await runWithSeed();
  expect(await runWithSeed()).toEqual(first);
  expect(new Set(first).size).toBe(2);
});

test('changes faults while running through POST /_emulator/faults and setFaults()', async () => {
  const emulator = await start();
  expect(await outcome(emulator)).toBe('200 ok=2 failed=');
  const response = await adminFetch(emulator, `/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ throttleRate: 1, throttleStatus: 429 }),
  });
  expect(response.status).toBe(200);
  expect(await (await adminFetch(emulator, `/_emulator/faults`)).json()).toEqual({
    throttleRate: 1,
    throttleStatus: 429,
  });
  expect(await outcome(emulator)).toBe('429 ThrottlingException');
  emulator.setFaults({});
  expect(await outcome(emulator)).toBe('200 ok=2 failed=');
  const invalid = await adminFetch(emulator, `/_emulator/faults`, {
    method: 'POST',
    body: JSON.stringify({ throttleRate: 2 }),
  });
  expect(invalid.status).toBe(400);
  expect(((await invalid.json()) as { message: string }).message).toContain('faults.throttleRate');
});

test('reports health and stats over HTTP', async () => {
  const emulator = await start();
  await outcome(emulator);
  const health = (await (await adminFetch(emulator, `/_emulator/health`)).json()) as Record<string, unknown>;
  expect(health).toMatchObject({ status: 'ok', channelArn: emulator.channelArn, storedEvents: 2 });
  const stats = (await (await adminFetch(emulator, `/_emulator/stats`)).json()) as Record<string, unknown>;
  expect(stats).toMatchObject({ putAuditEventsRequests: 1, acceptedEvents: 2 });
});
