// The spool's byte formats: frame encoding and scanning (CRC32, resync after damage, torn headers) and
// the record codec (AnyValue oddities JSON cannot carry). The file spool itself: file-spool.test.ts.
import { describe, expect, it } from 'vitest';
import { crc32, encodeFrame, FRAME_HEADER_BYTES, scanFrames } from '../../../src/spool/frame.js';
import { decodeSpoolRecord, encodeSpoolRecord } from '../../../src/spool/record-codec.js';
import { checkFileSpoolOptions, resolveSpool } from '../../../src/spool/resolve-spool.js';
import { ConfigError } from '../../../src/errors.js';

describe('spool frames', () => {
  it('computes the standard CRC-32 (check value of "123456789")', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('reads back frames with multi-byte payloads and measures them in bytes', () => {
    const data = Buffer.concat([encodeFrame('héllo'), encodeFrame('wörld €')]);
    const scan = scanFrames(data);
    expect(scan.frames.map((frame) => frame.payload)).toEqual(['héllo', 'wörld €']);
    expect(scan.frames[1]?.offset).toBe(FRAME_HEADER_BYTES + Buffer.byteLength('héllo'));
    expect(scan.damaged).toBe(0);
  });

  it('skips garbage between frames and a header torn short, counting each damaged region once', () => {
    const garbage = Buffer.from('xxxxxxxxxxxxxxxxxxxx');
    const data = Buffer.concat([
      encodeFrame('a'),
      garbage,
      encodeFrame('b'),
      encodeFrame('c').subarray(0, 5),
    ]);
    const scan = scanFrames(data);
    expect(scan.frames.map((frame) => frame.payload)).toEqual(['a', 'b']);
    expect(scan.damaged).toBe(2);
  });
});

describe('spool record codec', () => {
  it('round-trips bytes, non-finite numbers and nested values, and rejects non-records', () => {
    const record = {
      hrTime: [1, 2] as const,
      hrTimeObserved: [3, 4] as const,
      attributes: {
        raw: new Uint8Array([1, 2]),
        inf: Number.POSITIVE_INFINITY,
        nested: { list: [1, 'x', null] },
      },
      resource: { attributes: { 'service.name': 'svc' } },
      instrumentationScope: { name: 'scope', version: '1.0' },
      spanContext: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) },
      severityNumber: 9,
      body: 'text',
      eventName: 'evt',
    };
    const decoded = decodeSpoolRecord(encodeSpoolRecord('id-1', record, 42, 'all'));
    expect(decoded?.id).toBe('id-1');
    expect(decoded?.appendedAtMillis).toBe(42);
    expect(decoded?.record).toMatchObject({
      hrTime: [1, 2],
      attributes: {
        raw: new Uint8Array([1, 2]),
        inf: Number.POSITIVE_INFINITY,
        nested: { list: [1, 'x', null] },
      },
      resource: { attributes: { 'service.name': 'svc' } },
      instrumentationScope: { name: 'scope', version: '1.0' },
      spanContext: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) },
      body: 'text',
      eventName: 'evt',
    });
    // By default only the attributes the mapping reads are written.
    const minimal = decodeSpoolRecord(encodeSpoolRecord('id-1', record, 42));
    expect(minimal?.record.attributes).toEqual({});
    expect(minimal?.record.resource.attributes).toEqual({ 'service.name': 'svc' });
    expect(decodeSpoolRecord('{"id":"x"}')).toBeUndefined();
    expect(decodeSpoolRecord('not json')).toBeUndefined();
  });
});

describe('spool option', () => {
  it('rejects malformed file spool options naming the option and value', () => {
    expect(() => checkFileSpoolOptions({ directory: '' })).toThrow(ConfigError);
    expect(() => checkFileSpoolOptions({ directory: '/tmp/x', maxBytes: 10 })).toThrow(
      /`spool.maxBytes` to be an integer from 4096/,
    );
    expect(() => checkFileSpoolOptions({ directory: '/tmp/x', fsync: 'sometimes' as never })).toThrow(
      /`spool.fsync` to be one of `always`, `interval`, `never`, got `sometimes`/,
    );
    expect(() => checkFileSpoolOptions({ directory: '/tmp/x', attributes: 'some' as never })).toThrow(
      /`spool.attributes` to be one of `mapped`, `all`, got `some`/,
    );
    expect(() => resolveSpool(42, undefined)).toThrow(/Expected `spool`/);
  });

  it('uses a given Spool object as is, and the memory spool by default', () => {
    const memory = resolveSpool(undefined, undefined);
    expect(memory.append('a', {} as never)).toBe(true);
    expect(memory.stats?.()).toMatchObject({ records: 1, bytes: 0 });
    expect(resolveSpool(memory, undefined)).toBe(memory);
  });
});
