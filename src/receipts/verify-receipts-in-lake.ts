/**
 * Checks receipts against the Lake: every receipt's event is in the event data store under its eventID,
 * with content whose hash matches, and no UID is stored under several eventIDs (CloudTrail Lake delivers
 * at least once, so a retry of an accepted entry can add a second row). Receipts are checked in chunks, so
 * memory stays bounded for any number of them; each chunk costs two Lake queries.
 */
import { RECEIPT_CONTENT_FIELDS, receiptContentHash, type DeliveryReceipt } from './delivery-receipt.js';

/** Runs one Lake SQL query and returns every row, as Lake does: column name to string (or null). */
export type LakeQuery = (sql: string) => Promise<Array<Record<string, string | null>>>;

export interface LakeCheckOptions {
  /** The event data store's id or ARN, as `FROM` takes it. */
  eventDataStore: string;
  /** Receipts per pair of queries; each query stays under Lake's 10,000-character limit. @default 150 */
  chunkSize?: number;
  /** How many problem ids the report lists per kind (all are counted). @default 100 */
  maxListed?: number;
}

export interface LakeCheckReport {
  checked: number;
  missing: number;
  altered: number;
  duplicated: number;
  /** Up to `maxListed` ids per kind. */
  examples: { missing: string[]; altered: string[]; duplicated: string[] };
}

/** Receipts per chunk: 150 eventIDs of 36 characters, quoted, fit a query far below 10,000 characters. */
const DEFAULT_CHUNK_SIZE = 150;

/** Lake SQL paths of the content fields, in RECEIPT_CONTENT_FIELDS order (names are case-insensitive). */
const CONTENT_COLUMNS = RECEIPT_CONTENT_FIELDS.map((field) => `eventdata.${field.toLowerCase()}`);

function quote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export interface LakeChecker {
  add(receipt: DeliveryReceipt): Promise<void>;
  finish(): Promise<LakeCheckReport>;
}

export function createLakeChecker(query: LakeQuery, options: LakeCheckOptions): LakeChecker {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const maxListed = options.maxListed ?? 100;
  const report: LakeCheckReport = {
    checked: 0,
    missing: 0,
    altered: 0,
    duplicated: 0,
    examples: { missing: [], altered: [], duplicated: [] },
  };
  const note = (kind: 'missing' | 'altered' | 'duplicated', id: string): void => {
    report[kind] += 1;
    if (report.examples[kind].length < maxListed) report.examples[kind].push(id);
  };
  let chunk: DeliveryReceipt[] = [];

  async function check(receipts: DeliveryReceipt[]): Promise<void> {
    const from = options.eventDataStore;
    const columns = CONTENT_COLUMNS.map((column, index) => `${column} AS c${index}`).join(', ');
    const stored = await query(
      `SELECT eventid AS id, ${columns} FROM ${from} WHERE eventid IN (${receipts.map((r) => quote(r.eventID)).join(', ')})`,
    );
    const byEventId = new Map(stored.map((row) => [row['id'] ?? '', row]));
    for (const receipt of receipts) {
      const row = byEventId.get(receipt.eventID);
      if (row === undefined) {
        note('missing', receipt.id);
        continue;
      }
      const content = CONTENT_COLUMNS.map((_, index) => row[`c${index}`] ?? null);
      if (receiptContentHash(content) !== receipt.contentHash) note('altered', receipt.id);
    }
    const duplicates = await query(
      `SELECT eventdata.uid AS uid, count(*) AS copies FROM ${from} WHERE eventdata.uid IN (${receipts.map((r) => quote(r.id)).join(', ')}) GROUP BY eventdata.uid HAVING count(*) > 1`,
    );
    for (const row of duplicates) note('duplicated', row['uid'] ?? '');
    report.checked += receipts.length;
  }

  return {
    async add(receipt) {
      chunk.push(receipt);
      if (chunk.length >= chunkSize) {
        const full = chunk;
        chunk = [];
        await check(full);
      }
    },
    async finish() {
      if (chunk.length > 0) await check(chunk);
      chunk = [];
      return report;
    },
  };
}
