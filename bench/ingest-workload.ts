/**
 * The events of the emulator's ingestion bench: ~1 kB eventData objects and signed-request bodies of 100,
 * shared by the clients' process (bench/ingest-clients.ts) and the query part of bench/emulator.ts.
 */
import { createHash, randomUUID } from 'node:crypto';

export const INGEST_CREDENTIAL = {
  accessKeyId: 'AKIDBENCH',
  secretAccessKey: 'bench-secret',
  accountId: '111122223333',
};

export function eventData(n: number): Record<string, unknown> {
  return {
    version: '1.0',
    userIdentity: {
      type: 'CustomUser',
      principalId: `user-${n % 50}`,
      details: { team: n % 2 === 0 ? 'red' : 'blue' },
    },
    eventSource: 'bench.example',
    eventName: ['Login', 'Logout', 'Update', 'Delete'][n % 4],
    eventTime: `2026-11-21T${String(n % 24).padStart(2, '0')}:00:00Z`,
    UID: `uid-${n}`,
    recipientAccountId: INGEST_CREDENTIAL.accountId,
    sourceIPAddress: '192.0.2.1',
    // Pads each eventData to about 1 kB.
    requestParameters: { payload: 'p'.repeat(700), n },
  };
}

export function requestBody(offset: number): string {
  const auditEvents = Array.from({ length: 100 }, (_, index) => {
    const text = JSON.stringify(eventData(offset + index));
    return {
      id: randomUUID(),
      eventData: text,
      eventDataChecksum: createHash('sha256').update(text).digest('base64'),
    };
  });
  return JSON.stringify({ auditEvents });
}
