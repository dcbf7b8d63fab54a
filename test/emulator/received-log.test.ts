// received(): what each PutAuditEvents request carried, read back from the kept body on demand.
// Covers entries as sent (checksum present or absent), requests whose body did not parse or that failed
// after parsing, the maxReceivedRequests bound, resetStats(), and stable answers across calls.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { TEST_CREDENTIAL, checksum, eventData, put } from './helpers/signed-request.js';

let emulator: Emulator;
const account = TEST_CREDENTIAL.accountId;
const foreignChannel = 'arn:aws:cloudtrail:us-east-1:444455556666:channel/foreign';

beforeAll(async () => {
  emulator = await startEmulator({
    credentials: [TEST_CREDENTIAL],
    channels: [
      { channelArn: `arn:aws:cloudtrail:us-east-1:${account}:channel/main` },
      { channelArn: foreignChannel },
    ],
    maxReceivedRequests: 3,
    log: () => undefined,
  });
});
afterAll(() => emulator.close());

function entries(prefix: string, count: number): Array<Record<string, string>> {
  return Array.from({ length: count }, (_, index) => {
    const text = JSON.stringify(eventData(account, { UID: `${prefix}-${index}` }));
    // Every other entry carries a checksum, so both recorded shapes are exercised.
    return index % 2 === 0
      ? { id: `${prefix}${index}`, eventData: text, eventDataChecksum: checksum(text) }
      : { id: `${prefix}${index}`, eventData: text };
  });
}

test('received() gives back each entry exactly as it was sent, with or without a checksum', async () => {
  emulator.resetStats();
  const sent = entries('a', 4);
  const answer = await put(emulator.url, emulator.channelArn, JSON.stringify({ auditEvents: sent }));
  expect(answer.status).toBe(200);
  const [record] = emulator.received();
  expect(record?.auditEvents).toStrictEqual(sent);
  expect(record?.response?.successful).toHaveLength(4);
});

test('an unparseable body records no entries, a body that parsed but failed later keeps them', async () => {
  emulator.resetStats();
  await put(emulator.url, emulator.channelArn, '{"auditEvents": [');
  const sent = entries('b', 2);
  const refused = await put(emulator.url, foreignChannel, JSON.stringify({ auditEvents: sent }));
  expect(refused.json.__type).toBe('ChannelInsufficientPermission');
  const [broken, foreign] = emulator.received();
  expect(broken?.errorType).toBe('SerializationException');
  expect(broken?.auditEvents).toBeUndefined();
  expect(foreign?.errorType).toBe('ChannelInsufficientPermission');
  expect(foreign?.auditEvents).toStrictEqual(sent);
});

test('only the last maxReceivedRequests requests are kept, oldest first, and answers are stable', async () => {
  emulator.resetStats();
  for (const prefix of ['c', 'd', 'e', 'f', 'g']) {
    await put(emulator.url, emulator.channelArn, JSON.stringify({ auditEvents: entries(prefix, 1) }));
  }
  const first = emulator.received();
  expect(first.map((record) => record.auditEvents?.[0]?.id)).toEqual(['e0', 'f0', 'g0']);
  const again = emulator.received();
  expect(again).toEqual(first);
  expect(again[0]).toBe(first[0]);
  emulator.resetStats();
  expect(emulator.received()).toEqual([]);
});
