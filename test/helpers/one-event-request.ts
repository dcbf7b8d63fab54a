// A PutAuditEvents request holding one valid event for `accountId`, prepared as the exporter prepares it.
import { createHash, randomUUID } from 'node:crypto';
import type { PreparedRequest } from '../../src/transport/transport.js';

export function oneEventRequest(accountId: string, principalId = 'bob'): PreparedRequest {
  const id = randomUUID();
  const eventData = JSON.stringify({
    version: '1.0',
    userIdentity: { type: 'User', principalId },
    eventSource: 'transport-tests.example.com',
    eventName: 'Login',
    eventTime: '2026-11-21T10:00:00Z',
    UID: id,
    recipientAccountId: accountId,
  });
  const eventDataChecksum = createHash('sha256').update(eventData).digest('base64');
  const entryJson = JSON.stringify({ id, eventData, eventDataChecksum });
  const body = `{"auditEvents":[${entryJson}]}`;
  return {
    events: [{ id, eventData, eventDataChecksum, entryJson, entryBytes: Buffer.byteLength(entryJson) }],
    body,
    bodyBytes: Buffer.byteLength(body),
  };
}
