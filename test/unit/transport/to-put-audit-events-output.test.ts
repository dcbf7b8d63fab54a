// Covers the run-time check of a PutAuditEvents 200 response, and construction-time checks of the HTTP
// transport options. Responses over real HTTP are in test/integration/transport-*.test.ts.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { EXTERNAL_ID_MAX_CHARS } from '../../../src/limits.js';
import { createTestHttpTransport } from '../../helpers/http-transport.js';
import { toPutAuditEventsOutput } from '../../../src/transport/to-put-audit-events-output.js';

describe('toPutAuditEventsOutput', () => {
  it('keeps well-formed entries and treats a missing list as empty', () => {
    expect(toPutAuditEventsOutput({ successful: [{ id: 'a', eventID: 'e' }] })).toEqual({
      successful: [{ id: 'a', eventID: 'e' }],
      failed: [],
    });
    expect(
      toPutAuditEventsOutput({ failed: [{ id: 'b', errorCode: 'InvalidData', errorMessage: 'no' }] }),
    ).toEqual({
      successful: [],
      failed: [{ id: 'b', errorCode: 'InvalidData', errorMessage: 'no' }],
    });
  });

  it.each([
    ['null', null],
    ['a number', 42],
    ['a non-array list', { successful: {} }],
    ['a successful entry without id', { successful: [{ eventID: 'e' }] }],
    ['a failed entry without errorCode', { failed: [{ id: 'x' }] }],
    ['a null entry', { failed: [null] }],
  ])('refuses %s', (_label, value) => {
    expect(toPutAuditEventsOutput(value)).toBeUndefined();
  });
});

describe('createHttpTransport options', () => {
  const base = {
    channelArn: 'arn:aws:cloudtrail:us-east-1:123456789012:channel/c',
    credentials: { accessKeyId: 'A', secretAccessKey: 's' },
    env: {},
  };

  it.each([
    ['too short', 'x'],
    ['too long', 'a'.repeat(EXTERNAL_ID_MAX_CHARS + 1)],
    ['with a space', 'has space'],
  ])('rejects an externalId %s, giving its length but not its value', (_label, externalId) => {
    expect(() => createTestHttpTransport({ ...base, externalId })).toThrow(ConfigError);
    expect(() => createTestHttpTransport({ ...base, externalId })).toThrow(
      `got a string of ${externalId.length} characters`,
    );
    if (externalId.length > 1)
      expect(() => createTestHttpTransport({ ...base, externalId })).not.toThrow(externalId);
  });

  it('rejects a non-positive requestTimeoutMillis, naming option and value', () => {
    expect(() => createTestHttpTransport({ ...base, requestTimeoutMillis: 0 })).toThrow(
      /`requestTimeoutMillis`.*`0`/,
    );
  });

  it('resolves the regional URL from the channel ARN', async () => {
    const transport = createTestHttpTransport(base);
    expect(transport.url).toBe('https://cloudtrail-data.us-east-1.amazonaws.com/PutAuditEvents');
    await transport.shutdown();
  });

  it('refuses to send after shutdown', async () => {
    const transport = createTestHttpTransport(base);
    await transport.shutdown();
    const result = await transport.send(
      { events: [], body: '{}', bodyBytes: 2 },
      new AbortController().signal,
    );
    expect(result.status).toBe('failure');
  });
});
