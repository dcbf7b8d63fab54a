// classifyResponse: how the entries of a 200 PutAuditEvents answer are sorted into accepted, resend
// (Throttling, InternalFailure, unmentioned ids) and rejected. The send loop around it is in send-events.test.ts.
import { describe, expect, it } from 'vitest';
import { RejectedByServiceError } from '../../../src/errors.js';
import { classifyResponse } from '../../../src/pipeline/classify-response.js';
import type { PreparedEvent } from '../../../src/mapping/audit-event.js';

const event = (id: string): PreparedEvent => ({
  id,
  eventData: '{}',
  eventDataChecksum: 'x',
  entryJson: '{}',
  entryBytes: 2,
});

describe('classifyResponse', () => {
  it('resends only Throttling and InternalFailure entries and rejects every other code', () => {
    const events = ['a', 'b', 'c', 'd', 'e', 'f'].map(event);
    const out = classifyResponse(events, {
      successful: [{ id: 'a', eventID: 'x1' }],
      failed: [
        { id: 'b', errorCode: 'Throttling', errorMessage: 'slow down' },
        { id: 'c', errorCode: 'InternalFailure', errorMessage: 'oops' },
        { id: 'd', errorCode: 'InvalidData', errorMessage: 'bad' },
        { id: 'e', errorCode: 'FieldTooLong', errorMessage: 'long' },
      ],
    });
    expect(out.accepted).toEqual([{ id: 'a', eventId: 'x1' }]);
    expect(out.retry.map((e) => e.id)).toEqual(['b', 'c', 'f']);
    expect(out.retryReasons.get('b')).toBe('Throttling: slow down');
    expect(out.retryReasons.get('f')).toMatch(/missing from both/);
    expect(out.rejected.map((r) => [r.eventId, r.serviceErrorCode])).toEqual([
      ['d', 'InvalidData'],
      ['e', 'FieldTooLong'],
    ]);
    expect(out.rejected[0]).toBeInstanceOf(RejectedByServiceError);
    expect(out.rejected[0]!.code).toBe('CTL_ERR_REJECTED_BY_SERVICE');
  });

  it('accepts every event of a response that lists them all, in the order sent or not', () => {
    const events = ['a', 'b', 'c'].map(event);
    const listed = (ids: string[]) => ({
      successful: ids.map((id) => ({ id, eventID: `lake-${id}` })),
      failed: [],
    });
    const inOrder = classifyResponse(events, listed(['a', 'b', 'c']));
    expect(inOrder.accepted).toEqual(['a', 'b', 'c'].map((id) => ({ id, eventId: `lake-${id}` })));
    const shuffled = classifyResponse(events, listed(['c', 'a', 'b']));
    expect(shuffled.accepted.map((e) => e.id).sort()).toEqual(['a', 'b', 'c']);
    expect(shuffled.retry).toEqual([]);
  });

  it('does not take a response of the right length for a full acceptance when an id repeats', () => {
    const out = classifyResponse(['a', 'b'].map(event), {
      successful: [
        { id: 'a', eventID: 'x1' },
        { id: 'a', eventID: 'x1' },
      ],
      failed: [],
    });
    expect(out.accepted).toEqual([{ id: 'a', eventId: 'x1' }]);
    expect(out.retry.map((e) => e.id)).toEqual(['b']);
  });

  it('ignores ids it did not send and survives a malformed response', () => {
    const out = classifyResponse([event('a')], {
      successful: [{ id: 'zzz', eventID: '1' }],
      failed: null as never,
    });
    expect(out.accepted).toEqual([]);
    expect(out.retry.map((e) => e.id)).toEqual(['a']);
  });
});
