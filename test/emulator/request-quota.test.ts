// PutAuditEvents' request quota per account and Region: a token bucket on the emulator's clock (injected,
// so no test waits), ThrottlingException beyond it, a separate bucket per account, and an off switch.
import { afterEach, expect, test } from 'vitest';
import { startEmulator, type Emulator, type EmulatorCredential } from '../../src/emulator/index.js';
import { TEST_CREDENTIAL, bodyOf, eventData, signedPut } from './helpers/signed-request.js';

const other: EmulatorCredential = { accessKeyId: 'AKIDQUOTAOTHER000001', secretAccessKey: 'quota-other-secret', accountId: '210987654321' };
let emulator: Emulator | undefined;
let nowMillis = Date.now();
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function putAs(credential: EmulatorCredential, channelArn: string): Promise<string> {
  const answer = await signedPut({
    ...credential,
    url: emulator!.url,
    channelArn,
    body: bodyOf([eventData(credential.accountId)]),
    signingDate: new Date(nowMillis),
  });
  return answer.status === 200 ? 'ok' : String(answer.json.__type);
}

test('throttles beyond the burst, refills at the configured rate, and keeps accounts apart', async () => {
  nowMillis = Date.now();
  const otherChannel = `arn:aws:cloudtrail:us-east-1:${other.accountId}:channel/other`;
  emulator = await startEmulator({
    credentials: [TEST_CREDENTIAL, other],
    channels: [{ channelArn: `arn:aws:cloudtrail:us-east-1:${TEST_CREDENTIAL.accountId}:channel/main` }, { channelArn: otherChannel }],
    requestQuota: { requestsPerSecond: 2, burst: 3 },
    now: () => nowMillis,
    log: () => undefined,
  });
  const main = emulator.channelArn;
  const first = [];
  for (let n = 0; n < 4; n += 1) first.push(await putAs(TEST_CREDENTIAL, main));
  expect(first).toEqual(['ok', 'ok', 'ok', 'ThrottlingException']);
  expect(await putAs(other, otherChannel)).toBe('ok');
  nowMillis += 500; // one token at 2 requests/s
  expect([await putAs(TEST_CREDENTIAL, main), await putAs(TEST_CREDENTIAL, main)]).toEqual(['ok', 'ThrottlingException']);
  expect(emulator.stats.throttled).toBe(2);
  expect(emulator.events()).toHaveLength(5);
});

test('the default is 100 requests per second per account, and `false` switches the quota off', async () => {
  nowMillis = Date.now();
  emulator = await startEmulator({ credentials: [TEST_CREDENTIAL], now: () => nowMillis, log: () => undefined });
  const answers = [];
  for (let n = 0; n < 101; n += 1) answers.push(await putAs(TEST_CREDENTIAL, emulator.channelArn));
  expect(answers.filter((answer) => answer === 'ok')).toHaveLength(100);
  expect(answers.at(-1)).toBe('ThrottlingException');
  await emulator.close();
  emulator = await startEmulator({ credentials: [TEST_CREDENTIAL], requestQuota: false, now: () => nowMillis, log: () => undefined });
  const unlimited = [];
  for (let n = 0; n < 120; n += 1) unlimited.push(await putAs(TEST_CREDENTIAL, emulator.channelArn));
  expect(unlimited.every((answer) => answer === 'ok')).toBe(true);
});
