// The event id contract: a valid `audit.id`, `audit.record.id` or `log.record.uid` is used (in that
// order), otherwise a generated id that the caller carries beside the record.
import { describe, expect, it } from 'vitest';
import { hasAuditAttribute } from '../../../src/mapping/audit-attributes.js';
import {
  AUDIT_ID_ATTRIBUTE,
  decideEventId,
  givenEventId,
  isValidEventId,
} from '../../../src/mapping/event-id.js';
import type { AuditLogRecord } from '../../../src/mapping/audit-log-record.js';

const record = (attributes: Record<string, unknown> = {}): AuditLogRecord => ({
  hrTime: [1, 0],
  hrTimeObserved: [1, 0],
  attributes,
  resource: { attributes: {} },
  instrumentationScope: { name: 'x' },
});

function counter(): () => string {
  let n = 0;
  return () => `gen-${++n}`;
}

describe('decideEventId', () => {
  it('uses the audit.id attribute when it fits the API id pattern', () => {
    expect(AUDIT_ID_ATTRIBUTE).toBe('audit.id');
    expect(decideEventId(record({ 'audit.id': 'A-b_9' }), counter())).toBe('A-b_9');
  });

  it('ignores an audit.id outside the pattern and generates one instead', () => {
    for (const bad of ['has space', 'x'.repeat(129), '', 42, 'ünïcode']) {
      expect(decideEventId(record({ 'audit.id': bad }), () => 'fresh')).toBe('fresh');
    }
  });

  it('takes audit.record.id, then log.record.uid, after audit.id, skipping values outside the pattern', () => {
    const uid = '01JDX7ZQ8W4T3K6V9B2M5N0PQR';
    expect(decideEventId(record({ 'audit.record.id': 'rec-1', 'log.record.uid': uid }), counter())).toBe(
      'rec-1',
    );
    expect(decideEventId(record({ 'log.record.uid': uid }), counter())).toBe(uid);
    expect(decideEventId(record({ 'audit.id': 'mine', 'audit.record.id': 'rec-1' }), counter())).toBe('mine');
    expect(givenEventId(record({ 'audit.record.id': 'urn:x/1', 'log.record.uid': uid }))).toBe(uid);
    expect(givenEventId(record({ 'audit.record.id': 'urn:x/1' }))).toBeUndefined();
  });

  it('never takes an id from the resource, which every record of the service shares', () => {
    const shared = { ...record(), resource: { attributes: { 'audit.record.id': 'shared' } } };
    expect(decideEventId(shared, () => 'fresh')).toBe('fresh');
  });

  it('draws a fresh id for each record without one, and leaves the record untouched', () => {
    const newId = counter();
    const frozen = Object.freeze(record());
    const open = record();
    expect(decideEventId(frozen, newId)).toBe('gen-1');
    expect(decideEventId(open, newId)).toBe('gen-2');
    expect(Object.keys(open.attributes)).toEqual([]);
    expect(Object.getOwnPropertySymbols(open)).toEqual([]);
    expect(JSON.parse(JSON.stringify(open))).toEqual(JSON.parse(JSON.stringify(record())));
  });

  it('isValidEventId accepts 1 to 128 characters of [-_A-Za-z0-9]', () => {
    expect(isValidEventId('x'.repeat(128))).toBe(true);
    expect(isValidEventId('x'.repeat(129))).toBe(false);
    expect(isValidEventId('')).toBe(false);
  });
});

describe('hasAuditAttribute (the default filter)', () => {
  it('counts a record written only in the OpenTelemetry audit vocabulary as an audit record', () => {
    expect(hasAuditAttribute(record({ 'audit.actor.id': 'alice', 'audit.action': 'LOGIN' }))).toBe(true);
    expect(hasAuditAttribute(record({ 'audit.record.id': 'rec-1' }))).toBe(true);
  });

  it('does not count a record whose only id is the general log.record.uid', () => {
    expect(
      hasAuditAttribute(record({ 'log.record.uid': '01JDX7ZQ8W4T3K6V9B2M5N0PQR', 'user.id': 'a' })),
    ).toBe(false);
  });
});
