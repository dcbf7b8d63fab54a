// The event id contract: a valid `audit.id` is used, otherwise a generated id that the caller carries
// beside the record. The processor adapter's use of AUDIT_ID_ATTRIBUTE is tested with the processor.
import { describe, expect, it } from 'vitest';
import { AUDIT_ID_ATTRIBUTE, isValidEventId, decideEventId } from '../../../src/mapping/event-id.js';
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
