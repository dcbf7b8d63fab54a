// Per-event rules of the emulator (answers in `failed[]` with the service's codes): checksum, JSON,
// required fields, string lengths and object sizes at their exact limits, eventTime, IPs, recipient.
// Each case is an event in one real request; whole-request rules are in request-rules.test.ts.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import {
  EVENT_DATA_OBJECT_MAX_BYTES,
  EVENT_DATA_REQUIRED_FIELDS,
  EVENT_DATA_STRING_MAX_CHARS,
} from '../../src/limits.js';
import { TEST_CREDENTIAL, eventData, put } from './helpers/signed-request.js';

let emulator: Emulator;
const account = TEST_CREDENTIAL.accountId;

beforeAll(async () => {
  emulator = await startEmulator({ credentials: [TEST_CREDENTIAL], log: () => undefined });
});
afterAll(() => emulator.close());

interface Case {
  name: string;
  eventData: string;
  checksum?: string;
  /** undefined: accepted. */
  expected: string | undefined;
}

function withField(path: string, value: unknown): Record<string, unknown> {
  const data = eventData(account);
  if (path.startsWith('userIdentity.')) {
    data['userIdentity'] = {
      ...(data['userIdentity'] as object),
      [path.slice('userIdentity.'.length)]: value,
    };
  } else {
    data[path] = value;
  }
  return data;
}

function withoutField(path: string): Record<string, unknown> {
  const data = eventData(account);
  if (path.startsWith('userIdentity.')) {
    const identity = { ...(data['userIdentity'] as Record<string, unknown>) };
    delete identity[path.slice('userIdentity.'.length)];
    data['userIdentity'] = identity;
  } else {
    delete data[path];
  }
  return data;
}

/** A JSON object whose compact serialisation is exactly `bytes` UTF-8 bytes. */
function objectOfBytes(bytes: number): Record<string, string> {
  const overhead = Buffer.byteLength(JSON.stringify({ k: '' }));
  const value = { k: 'x'.repeat(bytes - overhead) };
  expect(Buffer.byteLength(JSON.stringify(value))).toBe(bytes);
  return value;
}

function cases(): Case[] {
  const list: Case[] = [];
  const add = (name: string, data: unknown, expected: string | undefined, checksum?: string): void => {
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    list.push(
      checksum === undefined
        ? { name, eventData: text, expected }
        : { name, eventData: text, checksum, expected },
    );
  };
  const valid = JSON.stringify(eventData(account, { UID: 'ünïcode ✓' }));
  add(
    'valid event with a correct checksum',
    valid,
    undefined,
    createHash('sha256').update(valid, 'utf8').digest('base64'),
  );
  add(
    'valid event with a wrong checksum',
    valid,
    'InvalidChecksum',
    createHash('sha256').update(`${valid} `).digest('base64'),
  );
  add('eventData that is not JSON', '{not json', 'InvalidData');
  add('eventData that is a JSON array', '[1,2]', 'InvalidData');
  for (const field of EVENT_DATA_REQUIRED_FIELDS) {
    if (field === 'userIdentity') continue;
    add(`missing ${field}`, withoutField(field), 'FieldNotFound');
  }
  add('missing userIdentity', withoutField('userIdentity'), 'FieldNotFound');
  for (const [field, limit] of Object.entries(EVENT_DATA_STRING_MAX_CHARS)) {
    add(`${field} at ${limit} characters`, withField(field, 'y'.repeat(limit)), undefined);
    add(`${field} at ${limit + 1} characters`, withField(field, 'y'.repeat(limit + 1)), 'FieldTooLong');
  }
  for (const [field, limit] of Object.entries(EVENT_DATA_OBJECT_MAX_BYTES)) {
    add(`${field} at ${limit} bytes`, withField(field, objectOfBytes(limit)), undefined);
    add(`${field} at ${limit + 1} bytes`, withField(field, objectOfBytes(limit + 1)), 'FieldTooLong');
    add(`${field} as a string`, withField(field, '{"a":1}'), 'InvalidData');
  }
  add('userIdentity as a string', withField('userIdentity', 'alice'), 'InvalidData');
  add('userIdentity.details as an array', withField('userIdentity.details', [1]), 'InvalidData');
  add('eventName as a number', withField('eventName', 42), 'InvalidData');
  add('eventTime with milliseconds', withField('eventTime', '2026-11-21T09:30:00.123Z'), 'InvalidData');
  add('eventTime with an offset', withField('eventTime', '2026-11-21T09:30:00+01:00'), 'InvalidData');
  add('eventTime on February 30th', withField('eventTime', '2026-02-30T09:30:00Z'), 'InvalidData');
  add('eventTime on a leap day', withField('eventTime', '2028-02-29T23:59:59Z'), undefined);
  add('eventTime on February 29th of 1900', withField('eventTime', '1900-02-29T00:00:00Z'), 'InvalidData');
  add('eventTime on February 29th of 2000', withField('eventTime', '2000-02-29T00:00:00Z'), undefined);
  add('eventTime on April 31st', withField('eventTime', '2026-04-31T00:00:00Z'), 'InvalidData');
  add('eventTime on December 31st', withField('eventTime', '2026-12-31T23:59:59Z'), undefined);
  // Texts far shorter than the limit whose compact JSON still reaches it: each raw lone surrogate is
  // written back as a 6-byte escape, each `1e20` as 21 digits. {"k":"…"} is 8 + 6n bytes.
  const loneSurrogates = (count: number): string =>
    JSON.stringify(withField('additionalEventData', { k: '\ud800'.repeat(count) })).replaceAll(
      '\\ud800',
      '\ud800',
    );
  add('additionalEventData of lone surrogates at 27,998 bytes', loneSurrogates(4665), undefined);
  add('additionalEventData of lone surrogates at 28,004 bytes', loneSurrogates(4666), 'FieldTooLong');
  // {"k":[1e20,…]} is 7 + 22n bytes once compact.
  const bigNumbers = (count: number): string =>
    JSON.stringify(withField('additionalEventData', { k: [] })).replace(
      '"k":[]',
      `"k":[${Array.from({ length: count }, () => '1e20').join(',')}]`,
    );
  add('additionalEventData of 1e20 numbers at 27,991 bytes', bigNumbers(1272), undefined);
  add('additionalEventData of 1e20 numbers at 28,013 bytes', bigNumbers(1273), 'FieldTooLong');
  add('sourceIPAddress IPv4', withField('sourceIPAddress', '192.0.2.10'), undefined);
  add('sourceIPAddress IPv6', withField('sourceIPAddress', '2001:db8::1'), undefined);
  add('sourceIPAddress that is a host name', withField('sourceIPAddress', 'example.com'), 'InvalidData');
  add('sourceIPAddress with an octet above 255', withField('sourceIPAddress', '256.0.0.1'), 'InvalidData');
  add(
    'recipientAccountId of another account',
    withField('recipientAccountId', '999988887777'),
    'InvalidRecipient',
  );
  return list;
}

test('answers every per-event rule with the service code, at each limit and one past it', async () => {
  const all = cases();
  const answers = new Map<string, string | undefined>();
  // Requests of at most 100 events and well under 1 MiB each.
  for (let start = 0; start < all.length; start += 8) {
    const slice = all.slice(start, start + 8);
    const body = JSON.stringify({
      auditEvents: slice.map((entry, index) => ({
        id: `c${start + index}`,
        eventData: entry.eventData,
        ...(entry.checksum === undefined ? {} : { eventDataChecksum: entry.checksum }),
      })),
    });
    const result = await put(emulator.url, emulator.channelArn, body);
    expect(result.status).toBe(200);
    for (const ok of result.json.successful) answers.set(ok.id, undefined);
    for (const failed of result.json.failed) {
      expect(failed.errorMessage).toEqual(expect.any(String));
      answers.set(failed.id, failed.errorCode);
    }
  }
  const mismatches = all
    .map((entry, index) => ({ name: entry.name, expected: entry.expected, actual: answers.get(`c${index}`) }))
    .filter((entry) => entry.expected !== entry.actual);
  expect(mismatches).toEqual([]);
  expect(answers.size).toBe(all.length);
});

test('names the field, the limit and the size in a FieldTooLong message', async () => {
  const body = JSON.stringify({
    auditEvents: [{ id: 'long', eventData: JSON.stringify(withField('eventName', 'n'.repeat(1025))) }],
  });
  const result = await put(emulator.url, emulator.channelArn, body);
  expect(result.json.failed[0].errorMessage).toMatch(/eventName.*1025.*1024/);
});

test('stores an accepted event with what CloudTrail adds, and returns its eventID', async () => {
  const data = eventData(account, {
    sourceIPAddress: '198.51.100.7',
    requestParameters: { a: { b: [1, 2] } },
  });
  const result = await put(
    emulator.url,
    emulator.channelArn,
    JSON.stringify({ auditEvents: [{ id: 'stored-1', eventData: JSON.stringify(data) }] }),
  );
  const eventID = result.json.successful[0].eventID as string;
  expect(eventID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const stored = emulator.events().find((event) => event.eventID === eventID);
  expect(stored).toMatchObject({
    eventCategory: 'ActivityAuditLog',
    eventType: 'ActivityLog',
    eventTime: data['eventTime'],
    awsRegion: 'us-east-1',
    recipientAccountId: account,
    metadata: { channelARN: emulator.channelArn },
    eventData: data,
  });
  expect(stored?.metadata.ingestionTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});
