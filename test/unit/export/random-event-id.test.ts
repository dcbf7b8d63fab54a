// createRandomEventIdSource: version-4 UUIDs that fit the PutAuditEvents id pattern, unique across pool refills.
import { describe, expect, it } from 'vitest';
import { createRandomEventIdSource } from '../../../src/export/random-event-id.js';
import { AUDIT_EVENT_ID_PATTERN } from '../../../src/limits.js';

describe('createRandomEventIdSource', () => {
  it('makes version-4 UUIDs that fit the event id pattern and do not repeat across refills', () => {
    const next = createRandomEventIdSource();
    const ids = Array.from({ length: 10_000 }, () => next());
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(id).toMatch(AUDIT_EVENT_ID_PATTERN);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});
