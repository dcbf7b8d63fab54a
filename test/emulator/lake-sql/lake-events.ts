import type { StoredEvent } from '../../../src/emulator/event-store.js';
import type { LakeStore } from '../../../src/emulator/lake-sql/lake-query-engine.js';

/** Stored events shaped as the emulator stores them, for engine tests that need no HTTP server. */
export const ACCOUNT = '123456789012';
export const STORE_ID = 'EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE';
export const STORE_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:eventdatastore/${STORE_ID}`;
const CHANNEL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:channel/EXAMPLE-channel`;

export interface EventFields {
  principalId?: string;
  eventName?: string;
  eventTime?: string;
  uid?: string;
  sourceIPAddress?: string;
  errorCode?: string;
  requestParameters?: Record<string, unknown>;
}

export function storedEvent(n: number, fields: EventFields = {}): StoredEvent {
  const eventTime = fields.eventTime ?? '2026-01-02T10:00:00Z';
  return {
    eventVersion: '2.11',
    eventCategory: 'ActivityAuditLog',
    eventType: 'ActivityLog',
    eventID: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    eventTime,
    awsRegion: 'us-east-1',
    recipientAccountId: ACCOUNT,
    metadata: { ingestionTime: eventTime, channelARN: CHANNEL_ARN },
    eventData: {
      version: '1.0',
      userIdentity: { type: 'User', principalId: fields.principalId ?? 'alice', details: { team: 'red' } },
      userAgent: 'test-agent',
      eventSource: 'app.example.com',
      eventName: fields.eventName ?? 'Login',
      eventTime,
      UID: fields.uid ?? `uid-${n}`,
      recipientAccountId: ACCOUNT,
      ...(fields.sourceIPAddress === undefined ? {} : { sourceIPAddress: fields.sourceIPAddress }),
      ...(fields.errorCode === undefined ? {} : { errorCode: fields.errorCode }),
      ...(fields.requestParameters === undefined ? {} : { requestParameters: fields.requestParameters }),
    },
  };
}

/** A store over a live array: pushing to it is how tests add events, as the event store does. */
export function lakeStore(events: StoredEvent[], id = STORE_ID, arn = STORE_ARN): LakeStore {
  return { id, arn, events: () => events };
}
