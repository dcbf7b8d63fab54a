// received(): what each PutAuditEvents request carried, read back from the kept body on demand.
// Covers entries as sent (checksum present or absent), requests whose body did not parse or that failed
// after parsing, the maxReceivedRequests and maxReceivedBytes bounds, resetStats(), and stable answers
// across calls.
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

test('only as many requests as fit in maxReceivedBytes are kept, oldest dropped first', async () => {
  const bodies = ['h', 'i', 'j', 'k'].map((prefix) => JSON.stringify({ auditEvents: entries(prefix, 2) }));
  const bodyBytes = Buffer.byteLength(bodies[0]!);
  expect(bodies.every((body) => Buffer.byteLength(body) === bodyBytes)).toBe(true);
  // Room for two bodies and a half: the third one pushes the oldest out.
  const bounded = await startEmulator({
    credentials: [TEST_CREDENTIAL],
    maxReceivedBytes: Math.floor(bodyBytes * 2.5),
    log: () => undefined,
  });
  try {
    for (const body of bodies) {
      const answer = await put(bounded.url, bounded.channelArn, body);
      expect(answer.status).toBe(200);
    }
    expect(bounded.received().map((record) => record.auditEvents?.[0]?.id)).toEqual(['j0', 'k0']);
    // Every request was stored all the same: the bound is on what received() keeps, not on ingestion.
    expect(bounded.stats.acceptedEvents).toBe(8);
  } finally {
    await bounded.close();
  }
});

test('a body larger than maxReceivedBytes is not kept, and the requests before it stay', async () => {
  const small = JSON.stringify({ auditEvents: entries('l', 1) });
  const large = JSON.stringify({ auditEvents: entries('m', 20) });
  const bounded = await startEmulator({
    credentials: [TEST_CREDENTIAL],
    maxReceivedBytes: Buffer.byteLength(small) * 3,
    log: () => undefined,
  });
  try {
    await put(bounded.url, bounded.channelArn, small);
    await put(bounded.url, bounded.channelArn, large);
    expect(bounded.received().map((record) => record.auditEvents?.[0]?.id)).toEqual(['l0']);
  } finally {
    await bounded.close();
  }
});

test('maxReceivedBytes is checked like every option', async () => {
  await expect(startEmulator({ maxReceivedBytes: -1, log: () => undefined })).rejects.toThrow(
    /maxReceivedBytes/,
  );
});
