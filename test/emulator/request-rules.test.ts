// Whole-request rules of the emulator's PutAuditEvents: event count, body size, id pattern and length,
// duplicate ids, malformed JSON, query parameters and channels, each at its exact boundary.
// Per-event rules are in event-validation.test.ts, signatures in signature.test.ts.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import {
  PUT_AUDIT_EVENTS_MAX_EVENTS,
  PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES,
  AUDIT_EVENT_ID_MAX_CHARS,
} from '../../src/limits.js';
import { TEST_CREDENTIAL, bodyOf, eventData, put } from './helpers/signed-request.js';

let emulator: Emulator;
const account = TEST_CREDENTIAL.accountId;
const otherChannel = `arn:aws:cloudtrail:us-east-1:${account}:channel/with-external-id`;
const foreignChannel = 'arn:aws:cloudtrail:us-east-1:444455556666:channel/foreign';

beforeAll(async () => {
  emulator = await startEmulator({
    credentials: [TEST_CREDENTIAL],
    channels: [
      { channelArn: `arn:aws:cloudtrail:us-east-1:${account}:channel/main` },
      { channelArn: otherChannel, externalId: 'ext-secret-1' },
      { channelArn: foreignChannel },
    ],
    log: () => undefined,
  });
});
afterAll(() => emulator.close());

function events(count: number): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, index) => eventData(account, { UID: `u${index}` }));
}

/** A body of exactly `bytes` UTF-8 bytes holding one event whose eventData is padded with multi-byte text. */
function bodyOfSize(bytes: number): string {
  const base = JSON.stringify({ auditEvents: [{ id: 'big', eventData: '' }] });
  const padBytes = bytes - Buffer.byteLength(base);
  // 'é' is two UTF-8 bytes; an odd remainder takes one ASCII character.
  const pad = 'é'.repeat(Math.floor(padBytes / 2)) + 'x'.repeat(padBytes % 2);
  const body = JSON.stringify({ auditEvents: [{ id: 'big', eventData: pad }] });
  expect(Buffer.byteLength(body)).toBe(bytes);
  return body;
}

describe('event count', () => {
  test('accepts exactly 100 events in one request', async () => {
    const result = await put(emulator.url, emulator.channelArn, bodyOf(events(PUT_AUDIT_EVENTS_MAX_EVENTS)));
    expect(result.status).toBe(200);
    expect(result.json.successful).toHaveLength(PUT_AUDIT_EVENTS_MAX_EVENTS);
    expect(result.json.failed).toEqual([]);
  });

  test('rejects 101 events with ValidationException and stores none of them', async () => {
    const before = emulator.events().length;
    const result = await put(
      emulator.url,
      emulator.channelArn,
      bodyOf(events(PUT_AUDIT_EVENTS_MAX_EVENTS + 1)),
    );
    expect(result.status).toBe(400);
    expect(result.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(result.json.__type).toBe('ValidationException');
    expect(result.json.message).toContain('101');
    expect(emulator.events()).toHaveLength(before);
  });

  test('rejects an empty auditEvents list and a body without one', async () => {
    expect((await put(emulator.url, emulator.channelArn, '{"auditEvents":[]}')).json.__type).toBe(
      'ValidationException',
    );
    expect((await put(emulator.url, emulator.channelArn, '{}')).json.__type).toBe('ValidationException');
  });
});

describe('body size', () => {
  test('accepts a body of exactly 1,048,576 bytes (multi-byte UTF-8 counted in bytes)', async () => {
    const result = await put(
      emulator.url,
      emulator.channelArn,
      bodyOfSize(PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES),
    );
    expect(result.status).toBe(200);
    // The padding is not JSON, so the event itself fails, but the request passed the size rule.
    expect(result.json.failed).toEqual([expect.objectContaining({ id: 'big', errorCode: 'InvalidData' })]);
  });

  test('rejects a body one byte above the limit with ValidationException naming both sizes', async () => {
    const result = await put(
      emulator.url,
      emulator.channelArn,
      bodyOfSize(PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES + 1),
    );
    expect(result.status).toBe(400);
    expect(result.json.__type).toBe('ValidationException');
    expect(result.json.message).toContain(String(PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES + 1));
    expect(result.json.message).toContain(String(PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES));
  });
});

describe('event ids', () => {
  const one = JSON.stringify(eventData(account));
  const withId = (id: string): string => JSON.stringify({ auditEvents: [{ id, eventData: one }] });

  test('accepts an id of 128 characters and rejects one of 129', async () => {
    const ok = await put(emulator.url, emulator.channelArn, withId('a'.repeat(AUDIT_EVENT_ID_MAX_CHARS)));
    expect(ok.status).toBe(200);
    expect(ok.json.successful[0].id).toBe('a'.repeat(AUDIT_EVENT_ID_MAX_CHARS));
    const tooLong = await put(
      emulator.url,
      emulator.channelArn,
      withId('a'.repeat(AUDIT_EVENT_ID_MAX_CHARS + 1)),
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.__type).toBe('ValidationException');
  });

  test('rejects ids outside [-_A-Za-z0-9] and the empty id', async () => {
    for (const id of ['has space', 'dot.ted', 'ünï', '']) {
      const result = await put(emulator.url, emulator.channelArn, withId(id));
      expect(result.json.__type, id).toBe('ValidationException');
    }
    expect((await put(emulator.url, emulator.channelArn, withId('Ok_-09'))).status).toBe(200);
  });

  test('rejects two entries with one id with DuplicatedAuditEventId', async () => {
    const body = JSON.stringify({
      auditEvents: [
        { id: 'same', eventData: one },
        { id: 'same', eventData: one },
      ],
    });
    const result = await put(emulator.url, emulator.channelArn, body);
    expect(result.status).toBe(400);
    expect(result.headers.get('x-amzn-errortype')).toBe('DuplicatedAuditEventId');
  });
});

describe('body and query', () => {
  test('answers malformed JSON with SerializationException', async () => {
    const result = await put(emulator.url, emulator.channelArn, '{"auditEvents": [');
    expect(result.status).toBe(400);
    expect(result.json.__type).toBe('SerializationException');
  });

  test('rejects a request without channelArn with ValidationException', async () => {
    expect((await put(emulator.url, undefined, bodyOf(events(1)))).json.__type).toBe('ValidationException');
  });

  test('checks externalId length at 1 and 2 characters', async () => {
    const body = bodyOf(events(1));
    const short = await put(emulator.url, emulator.channelArn, body, { externalId: 'x' });
    expect(short.json.__type).toBe('ValidationException');
    // A channel without an externalId ignores one that is well formed.
    expect((await put(emulator.url, emulator.channelArn, body, { externalId: 'xy' })).status).toBe(200);
  });

  test('answers a malformed ARN with InvalidChannelARN and an unknown one with ChannelNotFound', async () => {
    const body = bodyOf(events(1));
    expect((await put(emulator.url, 'arn:aws:s3:::bucket', body)).json.__type).toBe('InvalidChannelARN');
    const unknown = await put(emulator.url, `arn:aws:cloudtrail:us-east-1:${account}:channel/nope`, body);
    expect(unknown.json.__type).toBe('ChannelNotFound');
    expect((await put(emulator.url, 'nope', body)).json.__type).toBe('ChannelNotFound');
  });

  test('resolves a bare channel id (the ARN suffix) to its channel', async () => {
    const result = await put(emulator.url, 'main', bodyOf(events(1)));
    expect(result.status).toBe(200);
    expect(emulator.events().at(-1)?.metadata.channelARN).toBe(
      `arn:aws:cloudtrail:us-east-1:${account}:channel/main`,
    );
  });

  test('requires the channel externalId: missing or wrong is ChannelInsufficientPermission', async () => {
    const body = bodyOf(events(1));
    expect((await put(emulator.url, otherChannel, body)).json.__type).toBe('ChannelInsufficientPermission');
    expect((await put(emulator.url, otherChannel, body, { externalId: 'ext-wrong' })).json.__type).toBe(
      'ChannelInsufficientPermission',
    );
    expect((await put(emulator.url, otherChannel, body, { externalId: 'ext-secret-1' })).status).toBe(200);
  });

  test('refuses a caller whose account does not own the channel with ChannelInsufficientPermission', async () => {
    const result = await put(emulator.url, foreignChannel, bodyOf([eventData('444455556666')]));
    expect(result.status).toBe(400);
    expect(result.json.__type).toBe('ChannelInsufficientPermission');
  });

  test('sends x-amzn-requestid on every answer, errors and unknown routes included', async () => {
    const ok = await put(emulator.url, emulator.channelArn, bodyOf(events(1)));
    const bad = await put(emulator.url, emulator.channelArn, '{');
    const unknown = await fetch(`${emulator.url}/Nope`, { method: 'POST' });
    const ids = [ok.headers, bad.headers, unknown.headers].map((headers) => headers.get('x-amzn-requestid'));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(3);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });

  test('records each request and its answer in received()', async () => {
    emulator.resetStats();
    await put(emulator.url, emulator.channelArn, bodyOf(events(2)), { externalId: 'ab' });
    const [record] = emulator.received();
    expect(record?.channelArn).toBe(emulator.channelArn);
    expect(record?.externalId).toBe('ab');
    expect(record?.auditEvents?.map((event) => event.id)).toEqual(['e0', 'e1']);
    expect(record?.statusCode).toBe(200);
    expect(emulator.stats.acceptedEvents).toBe(2);
    expect(emulator.stats.putAuditEventsRequests).toBe(1);
  });
});
