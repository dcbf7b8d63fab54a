/**
 * Checks a receipts file's hash chain in one streaming pass (constant memory, whatever its length): each
 * line must parse as a receipt and carry the SHA-256 of the line before it (the genesis hash first). The
 * first broken link is reported with its line number: an edited line breaks the link after it, a deleted
 * or reordered line breaks its own.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { RECEIPT_CHAIN_GENESIS, sha256Hex, type DeliveryReceipt } from './delivery-receipt.js';

export interface ChainReport {
  /** Lines read (up to and including a broken one). */
  receipts: number;
  /** The first broken link, or undefined when the chain holds. */
  broken?: { line: number; reason: string };
}

const REQUIRED = [
  'id',
  'eventID',
  'channelArn',
  'eventDataChecksum',
  'contentHash',
  'acceptedAt',
  'prev',
] as const;

/** Parses one receipt line; throws with the reason when it is not one. */
export function parseReceiptLine(line: string): DeliveryReceipt {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error('not JSON');
  }
  if (typeof value !== 'object' || value === null) throw new Error('not a JSON object');
  for (const key of REQUIRED) {
    if (typeof (value as Record<string, unknown>)[key] !== 'string')
      throw new Error(`\`${key}\` missing or not a string`);
  }
  return value as DeliveryReceipt;
}

/** Reads `path` line by line, calling `each` for every receipt whose link holds. */
export async function verifyReceiptChain(
  path: string,
  each: (receipt: DeliveryReceipt, line: number) => void | Promise<void> = () => undefined,
): Promise<ChainReport> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let prev = RECEIPT_CHAIN_GENESIS;
  let number = 0;
  for await (const line of lines) {
    number += 1;
    let receipt: DeliveryReceipt;
    try {
      receipt = parseReceiptLine(line);
    } catch (error) {
      lines.close();
      return { receipts: number, broken: { line: number, reason: (error as Error).message } };
    }
    if (receipt.prev !== prev) {
      lines.close();
      const reason =
        number === 1
          ? 'the first receipt does not start the chain (a line before it was deleted)'
          : 'its `prev` is not the hash of the line before it (that line was edited, or lines were deleted or reordered)';
      return { receipts: number, broken: { line: number, reason } };
    }
    prev = sha256Hex(line);
    await each(receipt, number);
  }
  return { receipts: number };
}
