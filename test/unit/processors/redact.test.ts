// Covers the pure `redact` / `createRedactor`: default key patterns, depth, arrays, JSON-object strings,
// copy-on-write and custom patterns. The processors that apply it to SDK records are covered in
// redacting-log-record-processor.test.ts; the bridge's use of it in test/bridge/.
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../../src/defaults.js';
import { ConfigError } from '../../../src/errors.js';
import { REDACTED_VALUE } from '../../../src/limits.js';
import { createRedactor, redact } from '../../../src/processors/redact.js';

describe('redact', () => {
  it.each([
    'password',
    'user.password',
    'db_passwd',
    'Passphrase',
    'pwd',
    'client_secret',
    'secretAccessKey',
    'access_token',
    'sessionToken',
    'http.request.header.authorization',
    'Proxy-Authorization',
    'http.request.header.cookie',
    'Set-Cookie',
    'api_key',
    'x-api-key',
    'apiKey',
    'private_key',
    'privateKey',
    'credentials',
    'connectionString',
  ])('hides the value of the sensitive key %s', (key) => {
    expect(redact({ [key]: 'hunter2', other: 'kept' })).toEqual({ [key]: REDACTED_VALUE, other: 'kept' });
  });

  it.each(['user.id', 'gen_ai.usage.input_tokens', 'max_tokens', 'keyboard', 'event.name', 'compass'])(
    'keeps the value of the ordinary key %s',
    (key) => {
      const input = { [key]: 'visible' };
      expect(redact(input)).toBe(input);
    },
  );

  it('hides sensitive keys at any depth of nested maps and arrays', () => {
    const input = {
      'audit.request_parameters': {
        user: 'alice',
        options: { nested: { deeper: { password: 'p', keep: 1 } } },
        headers: [{ name: 'accept' }, { authorization: 'Bearer abc', name: 'auth' }],
      },
    };
    expect(redact(input)).toEqual({
      'audit.request_parameters': {
        user: 'alice',
        options: { nested: { deeper: { password: REDACTED_VALUE, keep: 1 } } },
        headers: [{ name: 'accept' }, { authorization: REDACTED_VALUE, name: 'auth' }],
      },
    });
  });

  it('hides the value of name/value pairs that name a sensitive header', () => {
    const headers = [
      { name: 'Authorization', value: 'Bearer abc' },
      { name: 'Accept', value: 'text/html' },
      { key: 'x-api-key', value: 'k' },
    ];
    expect(redact({ headers })).toEqual({
      headers: [
        { name: 'Authorization', value: REDACTED_VALUE },
        { name: 'Accept', value: 'text/html' },
        { key: 'x-api-key', value: REDACTED_VALUE },
      ],
    });
  });

  it('keeps exactly maxDepth levels of nesting and replaces the next one', () => {
    const kept = { a: { b: { c: 'x' } } };
    expect(redact(kept, { maxDepth: 3 })).toBe(kept);
    expect(redact({ a: { b: { c: { d: 'x' } } } }, { maxDepth: 3 })).toEqual({
      a: { b: { c: REDACTED_VALUE } },
    });
  });

  it('replaces a whole map or array under a sensitive key', () => {
    expect(redact({ credentials: { user: 'u', key: 'k' }, tokens: 3, token: ['a', 'b'] })).toEqual({
      credentials: REDACTED_VALUE,
      tokens: 3,
      token: REDACTED_VALUE,
    });
  });

  it('looks inside strings that hold a JSON object and re-serialises only when something changed', () => {
    const json = JSON.stringify({ user: 'bob', auth: { apiKey: 'k-1' } });
    const out = redact({ 'audit.request_parameters': json, note: '{not json}' }) as Record<string, string>;
    expect(JSON.parse(out['audit.request_parameters']!)).toEqual({
      user: 'bob',
      auth: { apiKey: REDACTED_VALUE },
    });
    expect(out['note']).toBe('{not json}');
    const clean = { 'audit.request_parameters': JSON.stringify({ user: 'bob' }) };
    expect(redact(clean)).toBe(clean);
  });

  it('does not parse JSON strings when parseJsonStrings is false', () => {
    const input = { params: JSON.stringify({ password: 'x' }) };
    expect(redact(input, { parseJsonStrings: false })).toBe(input);
  });

  it('never modifies its input and shares unchanged branches', () => {
    const untouched = { a: { b: 1 } };
    const input = { untouched, secret: 's', list: [1, 2] };
    const frozen = structuredClone(input);
    const out = redact(input) as typeof input;
    expect(input).toEqual(frozen);
    expect(out).not.toBe(input);
    expect(out.untouched).toBe(untouched);
    expect(out.list).toBe(input.list);
  });

  it('fails closed below maxDepth, replacing deeper structures', () => {
    let deep: Record<string, unknown> = { password: 'p' };
    for (let i = 0; i < 5; i++) deep = { level: deep };
    const out = redact(deep, { maxDepth: 3 });
    expect(JSON.stringify(out)).not.toContain('"p"');
    expect(JSON.stringify(out)).toContain(REDACTED_VALUE);
  });

  it('terminates on a cyclic body', () => {
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic['self'] = cyclic;
    expect(() => redact(cyclic)).not.toThrow();
  });

  it('uses custom patterns instead of the defaults, and can extend them', () => {
    expect(redact({ ssn: '123', password: 'p' }, { patterns: ['^ssn$'] })).toEqual({
      ssn: REDACTED_VALUE,
      password: 'p',
    });
    const both = createRedactor({ patterns: [...DEFAULTS.redactKeyPatterns, /^ssn$/] });
    expect(both.redactValue({ ssn: '123', password: 'p' })).toEqual({
      ssn: REDACTED_VALUE,
      password: REDACTED_VALUE,
    });
  });

  it('keeps Uint8Array values and scalars as they are', () => {
    const bytes = new Uint8Array([1, 2]);
    expect(redact(bytes)).toBe(bytes);
    expect(redact(42)).toBe(42);
    expect(redact(null)).toBe(null);
  });

  it('rejects an invalid pattern with a ConfigError naming it', () => {
    expect(() => createRedactor({ patterns: ['(unclosed'] })).toThrow(ConfigError);
    expect(() => createRedactor({ patterns: ['(unclosed'] })).toThrow(/redact\.patterns\[0\].*\(unclosed/);
  });
});
