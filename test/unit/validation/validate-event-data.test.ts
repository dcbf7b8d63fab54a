// Every eventData schema rule of validateEventData, each with a passing and a failing example at the exact
// boundary (limit and limit + 1, multi-byte UTF-8, characters that need JSON escaping), and truncation mode.
// The cut order of additionalEventData is covered in bound-additional-event-data.test.ts.
import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EVENT_DATA_OBJECT_MAX_BYTES,
  EVENT_DATA_STRING_MAX_CHARS,
  EVENT_TIME_PATTERN,
} from '../../../src/limits.js';
import { ERROR_CODES, ValidationError } from '../../../src/errors.js';
import { validateEventData } from '../../../src/validation/validate-event-data.js';
import {
  isJsonObject,
  isValidAccountId,
  isValidEventTime,
  isValidIpAddress,
} from '../../../src/validation/predicates.js';
import { validEventData } from '../../helpers/valid-event-data.js';

const valid = validEventData;

/** Sets a dotted field (`userIdentity.type`) on a fresh valid eventData. */
function withField(field: string, value: unknown): Record<string, unknown> {
  const data: Record<string, unknown> = valid();
  const [head, tail] = field.split('.') as [string, string | undefined];
  if (tail === undefined) data[head] = value;
  else data[head] = { ...(data[head] as object), [tail]: value };
  return data;
}

/** A JSON object whose serialised form is exactly `bytes` UTF-8 bytes, built from `unit` (1-4 bytes each). */
function objectOfBytes(bytes: number, unit = 'x'): Record<string, string> {
  const envelope = Buffer.byteLength('{"k":""}');
  // As serialised: a quote is written as two bytes.
  const unitBytes = Buffer.byteLength(JSON.stringify(unit)) - 2;
  const units = Math.floor((bytes - envelope) / unitBytes);
  const padding = 'y'.repeat(bytes - envelope - units * unitBytes);
  const object = { k: unit.repeat(units) + padding };
  expect(Buffer.byteLength(JSON.stringify(object))).toBe(bytes);
  return object;
}

function validate(data: unknown, truncate = false) {
  return validateEventData(data, { eventId: 'evt-1', truncate });
}

describe('validateEventData', () => {
  it('accepts a minimal valid eventData and returns it', () => {
    const result = validate(valid());
    expect(result.errors).toEqual([]);
    expect(result.eventData).toEqual(valid());
  });

  it('rejects a value that is not a JSON object', () => {
    for (const input of [null, [], 'x', 3, new Date()]) {
      const { errors } = validate(input);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ field: 'eventData', reason: 'invalid' });
    }
  });

  describe.each([
    'version',
    'userIdentity',
    'userIdentity.type',
    'userIdentity.principalId',
    'eventSource',
    'eventName',
    'eventTime',
    'UID',
    'recipientAccountId',
  ])('required field %s', (field) => {
    it('is rejected when missing, with code CTL_ERR_FIELD_MISSING', () => {
      const { errors, eventData } = validate(withField(field, undefined));
      expect(eventData).toBeUndefined();
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(ValidationError);
      expect(errors[0]).toMatchObject({
        field,
        reason: 'missing',
        code: ERROR_CODES.FIELD_MISSING,
        eventId: 'evt-1',
      });
      expect(errors[0]!.message).toContain(field);
    });
  });

  describe.each(Object.entries(EVENT_DATA_STRING_MAX_CHARS))(
    'string field %s (limit %i characters)',
    (field, limit) => {
      it('accepts exactly the limit and rejects one character more, naming limit and size', () => {
        expect(validate(withField(field, 'a'.repeat(limit))).errors).toEqual([]);
        const { errors } = validate(withField(field, 'a'.repeat(limit + 1)));
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatchObject({
          field,
          reason: 'too_long',
          limit,
          actual: limit + 1,
          code: ERROR_CODES.FIELD_TOO_LONG,
        });
        expect(errors[0]!.message).toContain(String(limit));
        expect(errors[0]!.message).toContain(String(limit + 1));
      });

      it('counts characters, not UTF-8 bytes, and quotes needing JSON escapes count once', () => {
        expect(validate(withField(field, 'é'.repeat(limit))).errors).toEqual([]);
        expect(validate(withField(field, '"\\'.repeat(limit / 2))).errors).toEqual([]);
        expect(validate(withField(field, 'é'.repeat(limit + 1))).errors[0]).toMatchObject({
          reason: 'too_long',
        });
      });

      it('rejects a value that is not a string', () => {
        expect(validate(withField(field, 42)).errors[0]).toMatchObject({ field, reason: 'invalid' });
      });

      it('with truncate, cuts to the limit and lists the field in additionalEventData.truncatedFields', () => {
        const { errors, eventData } = validate(withField(field, 'b'.repeat(limit + 5)), true);
        expect(errors).toEqual([]);
        const cut = field.startsWith('userIdentity.')
          ? (eventData!.userIdentity as Record<string, unknown>)[field.slice('userIdentity.'.length)]
          : (eventData as unknown as Record<string, unknown>)[field];
        expect(cut).toBe('b'.repeat(limit));
        expect(eventData!.additionalEventData).toEqual({ truncatedFields: [field] });
      });
    },
  );

  it('with truncate, never splits a surrogate pair: an emoji across the limit is dropped whole', () => {
    const limit = EVENT_DATA_STRING_MAX_CHARS.errorMessage;
    const value = `${'a'.repeat(limit - 1)}😀tail`;
    const { eventData } = validate({ ...valid(), errorMessage: value }, true);
    expect(eventData!.errorMessage).toBe('a'.repeat(limit - 1));
  });

  it('with truncate, keeps the user additionalEventData and appends to an existing truncatedFields list', () => {
    const data = {
      ...valid(),
      errorCode: 'c'.repeat(300),
      additionalEventData: { k: 1, truncatedFields: ['earlier'] },
    };
    const { eventData } = validate(data, true);
    expect(eventData!.additionalEventData).toEqual({ k: 1, truncatedFields: ['earlier', 'errorCode'] });
    expect(data.errorCode).toHaveLength(300);
  });

  it('treats an empty required string as missing', () => {
    expect(validate({ ...valid(), eventName: '' }).errors[0]).toMatchObject({
      field: 'eventName',
      reason: 'missing',
    });
  });

  describe.each(Object.entries(EVENT_DATA_OBJECT_MAX_BYTES))(
    'object field %s (limit %i bytes)',
    (field, limit) => {
      it('accepts exactly the limit in serialised UTF-8 bytes and rejects one byte more', () => {
        expect(validate({ ...valid(), [field]: objectOfBytes(limit) }).errors).toEqual([]);
        const { errors } = validate({ ...valid(), [field]: objectOfBytes(limit + 1) });
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatchObject({ field, reason: 'too_large', limit, actual: limit + 1 });
      });

      it('measures multi-byte characters and JSON escapes as sent', () => {
        // 'é' is 2 bytes, '€' 3 bytes, '"' is 2 bytes once escaped: the sizes are of the serialised JSON.
        expect(validate({ ...valid(), [field]: objectOfBytes(limit, 'é') }).errors).toEqual([]);
        expect(validate({ ...valid(), [field]: objectOfBytes(limit + 1, '€') }).errors[0]).toMatchObject({
          reason: 'too_large',
        });
        expect(validate({ ...valid(), [field]: objectOfBytes(limit + 1, '"') }).errors[0]).toMatchObject({
          reason: 'too_large',
        });
      });

      it('rejects arrays, strings and non-plain objects', () => {
        for (const value of [[1], '{"a":1}', new Map(), { when: new Date() }, { n: NaN }]) {
          expect(validate({ ...valid(), [field]: value }).errors[0]).toMatchObject({
            field,
            reason: 'invalid',
          });
        }
      });
    },
  );

  it('rejects userIdentity.details that is not a JSON object', () => {
    expect(validate(withField('userIdentity.details', 'x')).errors[0]).toMatchObject({
      field: 'userIdentity.details',
      reason: 'invalid',
    });
    expect(validate(withField('userIdentity.details', { a: [1] })).errors).toEqual([]);
  });

  it('rejects fields the schema does not have, at the top and in userIdentity', () => {
    expect(validate({ ...valid(), eventID: 'x' }).errors[0]).toMatchObject({
      field: 'eventID',
      reason: 'invalid',
    });
    expect(validate(withField('userIdentity.arn', 'x')).errors[0]).toMatchObject({
      field: 'userIdentity.arn',
      reason: 'invalid',
    });
  });

  it('reports every broken rule at once, in field order', () => {
    const { errors } = validate({ ...valid(), version: 7, eventTime: 'now', recipientAccountId: 'x' });
    expect(errors.map((e) => e.field)).toEqual(['version', 'eventTime', 'recipientAccountId']);
  });

  it('checks eventTime, sourceIPAddress and recipientAccountId formats, quoting the bad value', () => {
    const time = validate({ ...valid(), eventTime: '2026-11-21T09:30:00.000Z' }).errors[0]!;
    expect(time).toMatchObject({ field: 'eventTime', reason: 'invalid' });
    expect(time.message).toContain('2026-11-21T09:30:00.000Z');
    expect(validate({ ...valid(), sourceIPAddress: '10.0.0.256' }).errors[0]).toMatchObject({
      field: 'sourceIPAddress',
    });
    expect(validate({ ...valid(), sourceIPAddress: '::ffff:10.0.0.1' }).errors).toEqual([]);
    expect(validate({ ...valid(), sourceIPAddress: '' }).errors[0]).toMatchObject({
      field: 'sourceIPAddress',
      reason: 'invalid',
    });
    expect(validate({ ...valid(), sourceIPAddress: 7 }).errors[0]).toMatchObject({
      field: 'sourceIPAddress',
      reason: 'invalid',
    });
    expect(validate({ ...valid(), recipientAccountId: '12345678901' }).errors[0]).toMatchObject({
      field: 'recipientAccountId',
    });
  });

  it('never modifies its input', () => {
    const data = { ...valid(), errorMessage: 'm'.repeat(300) };
    const copy = structuredClone(data);
    validate(data, true);
    expect(data).toEqual(copy);
  });
});

describe('predicates', () => {
  it('isValidEventTime takes only yyyy-MM-ddTHH:mm:ssZ', () => {
    expect(isValidEventTime('2026-02-28T23:59:59Z')).toBe(true);
    expect(isValidEventTime('2028-02-29T00:00:00Z')).toBe(true);
    expect(isValidEventTime('2000-02-29T00:00:00Z')).toBe(true);
    expect(isValidEventTime('2026-04-30T00:00:00Z')).toBe(true);
    for (const bad of [
      '2026-02-29T00:00:00Z',
      '2100-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-02-28T23:59:59',
      '2026-02-28T23:59:59.1Z',
      '2026-02-28 23:59:59Z',
      '2026-13-01T00:00:00Z',
      '2026-02-28T24:00:00Z',
      5,
    ]) {
      expect(isValidEventTime(bad)).toBe(false);
    }
  });

  it('isValidEventTime agrees with EVENT_TIME_PATTERN plus the calendar on near-miss strings', () => {
    // The predicate reads char codes for speed; this holds it to the documented pattern.
    const reference = (text: string): boolean =>
      EVENT_TIME_PATTERN.test(text) && new Date(text).toISOString() === `${text.slice(0, 19)}.000Z`;
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0000-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        fc.nat(19),
        fc.constantFrom('0', '9', '3', '2', '1', '5', '6', '-', ':', 'T', 'Z', 'x', ' ', '٣'),
        (date, at, char) => {
          const valid = `${date.toISOString().slice(0, 19)}Z`;
          const mutated = valid.slice(0, at) + char + valid.slice(at + 1);
          expect(isValidEventTime(valid)).toBe(true);
          expect(isValidEventTime(mutated)).toBe(reference(mutated));
        },
      ),
      { numRuns: 3000, seed: 11 },
    );
  });

  it('isValidIpAddress takes IPv4 and IPv6 and nothing else', () => {
    for (const good of ['203.0.113.7', '0.0.0.0', '2001:db8::1', '::1'])
      expect(isValidIpAddress(good)).toBe(true);
    for (const bad of ['example.com', '1.2.3', '1.2.3.4:80', '10.0.0.0/8', '', null])
      expect(isValidIpAddress(bad)).toBe(false);
  });

  it('isValidIpAddress agrees with node:net isIP on dotted numbers and any other text', () => {
    for (const edge of ['255.255.255.255', '256.1.1.1', '01.2.3.4', '1.2.3.04', '1.2.3.', '.1.2.3', '1..2.3'])
      expect(isValidIpAddress(edge)).toBe(isIP(edge) !== 0);
    fc.assert(
      fc.property(
        fc.oneof(fc.ipV4(), fc.ipV4Extended(), fc.ipV6(), fc.string(), fc.stringMatching(/^[0-9.]{0,17}$/)),
        (text) => isValidIpAddress(text) === (isIP(text) !== 0),
      ),
      { numRuns: 20_000, seed: 7 },
    );
  });

  it('isJsonObject takes deep plain trees and refuses cycles, holes, non-finite numbers and class instances', () => {
    let deep: Record<string, unknown> = { leaf: [1, 'a', null, true] };
    for (let i = 0; i < 200; i++) deep = { next: [deep], n: i };
    expect(isJsonObject(deep)).toBe(true);
    expect(isJsonObject({ a: undefined, b: [{ c: 1 }] })).toBe(true);
    const cyclic: Record<string, unknown> = { a: [{}] };
    (cyclic['a'] as Array<Record<string, unknown>>)[0]!['back'] = cyclic;
    for (const bad of [
      cyclic,
      { a: [1, undefined] },
      // eslint-disable-next-line no-sparse-arrays
      { a: [1, , 2] },
      { n: Number.NaN },
      { d: new Date(0) },
      { u: new Uint8Array(1) },
      { f: () => 1 },
    ]) {
      expect(isJsonObject(bad)).toBe(false);
    }
  });

  it('isValidAccountId takes exactly twelve digits', () => {
    expect(isValidAccountId('000000000000')).toBe(true);
    for (const bad of ['12345678901', '1234567890123', '12345678901a', 123456789012])
      expect(isValidAccountId(bad)).toBe(false);
  });
});

describe('ValidationError', () => {
  it('carries no stack frames (it describes data), and leaves Error.stackTraceLimit as it was', () => {
    const before = Error.stackTraceLimit;
    const error = new ValidationError({
      eventId: 'e-1',
      field: 'eventName',
      reason: 'missing',
      message: 'eventName is required',
    });
    expect(error.stack).toBe('ValidationError: event e-1: eventName is required');
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('other').stack).toContain('\n    at ');
  });
});
