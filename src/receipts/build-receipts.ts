import type { PreparedEvent } from '../mapping/audit-event.js';
import type { AcceptedEvent } from '../pipeline/pipeline-entry.js';
import { receiptContent, receiptContentHash, type DeliveryReceipt } from './delivery-receipt.js';

/**
 * The receipts of the events the Lake accepted in one send, in the order of its answer. An event the
 * Lake accepted without an `eventID` (a plug-in client that drops it) gets no receipt: nothing could
 * check it later.
 */
export function buildReceipts(
  accepted: readonly AcceptedEvent[],
  events: ReadonlyMap<string, PreparedEvent>,
  channelArn: string,
  acceptedAt: string,
): Array<Omit<DeliveryReceipt, 'prev'>> {
  const receipts: Array<Omit<DeliveryReceipt, 'prev'>> = [];
  for (const { id, eventId } of accepted) {
    const event = events.get(id);
    if (event === undefined || eventId === undefined) continue;
    const eventData = JSON.parse(event.eventData) as Record<string, unknown>;
    receipts.push({
      id,
      eventID: eventId,
      channelArn,
      eventDataChecksum: event.eventDataChecksum,
      contentHash: receiptContentHash(receiptContent(eventData)),
      acceptedAt,
    });
  }
  return receipts;
}
