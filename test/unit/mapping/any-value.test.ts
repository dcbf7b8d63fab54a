// toJsonValue: the "Values" rules of the mapping contract for attribute values and bodies of any type,
// including what the SDK never validates (bodies). Golden end-to-end cases are in to-event-data.test.ts.
import { describe, expect, it } from 'vitest';
import { isPlainObject, toJsonObject, toJsonValue } from '../../../src/mapping/any-value.js';

describe('toJsonValue', () => {
  it('keeps JSON scalars and returns already-JSON maps and arrays without copying', () => {
    const map = { b: 1, a: ['x', true, null, { c: 2.5 }] };
    expect(toJsonValue(map)).toBe(map);
    expect(toJsonValue('s')).toBe('s');
    expect(toJsonValue(false)).toBe(false);
    expect(toJsonValue(null)).toBeNull();
  });

  it('turns Uint8Array into base64, also for a view into a larger buffer', () => {
    expect(toJsonValue(new Uint8Array([0, 255, 1]))).toBe('AP8B');
    const view = new Uint8Array(new Uint8Array([9, 9, 1, 2, 3, 9]).buffer, 2, 3);
    expect(toJsonValue(view)).toBe('AQID');
  });

  it('turns non-finite numbers into strings and keeps finite ones', () => {
    expect(toJsonValue([NaN, Infinity, -Infinity, -0.5])).toEqual(['NaN', 'Infinity', '-Infinity', -0.5]);
  });

  it('skips undefined, functions and symbols in maps and writes null for them in arrays', () => {
    expect(toJsonValue({ a: undefined, f: () => 1, s: Symbol('x'), k: 1 })).toEqual({ k: 1 });
    expect(toJsonValue([undefined, () => 1, 2])).toEqual([null, null, 2]);
    expect(toJsonValue(undefined)).toBeUndefined();
  });

  it('keeps key order when it has to copy a map', () => {
    const converted = toJsonValue({ z: 1, y: new Uint8Array([1]), x: 3 });
    expect(Object.keys(converted as object)).toEqual(['z', 'y', 'x']);
    expect(JSON.stringify(converted)).toBe('{"z":1,"y":"AQ==","x":3}');
  });

  it('turns bigint, Date and class instances into text, and cycles into a marker', () => {
    expect(toJsonValue(12345678901234567890n)).toBe('12345678901234567890');
    expect(toJsonValue(new Date('2026-01-02T03:04:05.006Z'))).toBe('2026-01-02T03:04:05.006Z');
    expect(toJsonValue(new URL('https://example.com/a'))).toBe('https://example.com/a');
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    expect(toJsonValue(cyclic)).toEqual({ name: 'loop', self: '[Circular]' });
  });

  it('handles trees deeper than the fast check: plain ones uncopied, others converted at any depth', () => {
    let plain: unknown = 'leaf';
    let withBytes: unknown = new Uint8Array([1]);
    for (let i = 0; i < 150; i++) {
      plain = { next: [plain] };
      withBytes = { next: [withBytes] };
    }
    expect(toJsonValue(plain)).toBe(plain);
    const converted = JSON.stringify(toJsonValue(withBytes));
    expect(converted).toBe(JSON.stringify(withBytes).replace('{"0":1}', '"AQ=="'));
  });

  it('keeps a "__proto__" key as data, never as a prototype', () => {
    const input = JSON.parse('{"__proto__":{"polluted":true},"b":1}') as object;
    const withBytes = { ...input, c: new Uint8Array([1]) };
    const converted = toJsonValue(withBytes) as Record<string, unknown>;
    expect(Object.getPrototypeOf(converted)).toBe(Object.prototype);
    expect(JSON.stringify(converted)).toBe('{"__proto__":{"polluted":true},"b":1,"c":"AQ=="}');
  });

  it('toJsonObject accepts only maps', () => {
    expect(toJsonObject({ a: 1 })).toEqual({ a: 1 });
    expect(toJsonObject([1])).toBeUndefined();
    expect(toJsonObject('{"a":1}')).toBeUndefined();
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject(new Map())).toBe(false);
  });
});
