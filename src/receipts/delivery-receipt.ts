/**
 * Delivery receipts: one line per event the Lake accepted, chained by SHA-256 so that an edited, deleted
 * or reordered line is detected. CloudTrail Lake delivers at least once and offers no proof of what it
 * holds for integration events; a receipt records what was sent (the eventData checksum and a hash of the
 * fields a Lake query returns) and what the Lake answered (its eventID), so `otel-cloudtrail-lake verify`
 * can later check the Lake against it.
 */
import { createHash } from 'node:crypto';

/** One accepted event. Field names follow PutAuditEvents and CloudTrail's event record. */
export interface DeliveryReceipt {
  /** The record's id: the `id` of the PutAuditEvents entry and the event's `UID`. */
  id: string;
  /** The Lake's id for the stored event (`successful[].eventID`). */
  eventID: string;
  channelArn: string;
  /** The `eventDataChecksum` sent with the event (base64 SHA-256 of the eventData string); the Lake checked it. */
  eventDataChecksum: string;
  /** SHA-256 (hex) of the fields `verify` reads back from the Lake; see {@link receiptContentHash}. */
  contentHash: string;
  /** When the Lake's answer arrived, ISO 8601. */
  acceptedAt: string;
  /** SHA-256 (hex) of the previous line, without its newline; {@link RECEIPT_CHAIN_GENESIS} for the first. */
  prev: string;
}

/** The `prev` of the first receipt of a file. */
export const RECEIPT_CHAIN_GENESIS = '0'.repeat(64);

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The eventData fields a receipt's content hash covers, in this order; Lake returns each as a string. */
export const RECEIPT_CONTENT_FIELDS = [
  'eventSource',
  'eventName',
  'eventTime',
  'userIdentity.type',
  'userIdentity.principalId',
  'UID',
  'errorCode',
  'sourceIPAddress',
  'recipientAccountId',
] as const;

/** Values of {@link RECEIPT_CONTENT_FIELDS}, missing ones as null. */
export type ReceiptContent = ReadonlyArray<string | null>;

/** Picks the content fields out of an eventData object. */
export function receiptContent(eventData: Readonly<Record<string, unknown>>): ReceiptContent {
  return RECEIPT_CONTENT_FIELDS.map((path) => {
    let value: unknown = eventData;
    for (const key of path.split('.')) {
      value =
        typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    }
    if (value === undefined || value === null) return null;
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

/** The hash of an event's content: a JSON array of the content fields, hashed with SHA-256. */
export function receiptContentHash(content: ReceiptContent): string {
  return sha256Hex(JSON.stringify(content));
}

/** The line of one receipt chained to `prev`, and the hash the next line carries as its `prev`. */
export function chainReceipt(
  receipt: Omit<DeliveryReceipt, 'prev'>,
  prev: string,
): { line: string; hash: string } {
  const line = JSON.stringify({ ...receipt, prev });
  return { line, hash: sha256Hex(line) };
}
