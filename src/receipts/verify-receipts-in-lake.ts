/**
 * Checks receipts against the Lake: every receipt's event is in the event data store under its eventID,
 * with content whose hash matches, and no UID is stored under several eventIDs (CloudTrail Lake delivers
 * at least once, so a retry of an accepted entry can add a second row). Receipts are checked in chunks, so
 * memory stays bounded for any number of them; each chunk costs two Lake queries. A receipts file of an
 * exporter that routes to many channels holds several channels, which may deliver to different event
 * data stores: each receipt is checked in the store of its channel, one chunk per store.
 */
import { RECEIPT_CONTENT_FIELDS, receiptContentHash, type DeliveryReceipt } from './delivery-receipt.js';

/** Runs one Lake SQL query and returns every row, as Lake does: column name to string (or null). */
export type LakeQuery = (sql: string) => Promise<Array<Record<string, string | null>>>;

export interface LakeCheckOptions {
  /** The event data store's id or ARN, as `FROM` takes it, for every channel `eventDataStores` does not name. */
  eventDataStore?: string | undefined;
  /** The event data store of each channel, by channel ARN; wins over `eventDataStore`. */
  eventDataStores?: Readonly<Record<string, string>> | undefined;
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
  /** Receipts of a channel with no event data store given: not checked, and a failure of the check. */
  unchecked: number;
  /** Up to `maxListed` ids per kind. */
  examples: { missing: string[]; altered: string[]; duplicated: string[]; unchecked: string[] };
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
    unchecked: 0,
    examples: { missing: [], altered: [], duplicated: [], unchecked: [] },
  };
  const note = (kind: 'missing' | 'altered' | 'duplicated' | 'unchecked', id: string): void => {
    report[kind] += 1;
    if (report.examples[kind].length < maxListed) report.examples[kind].push(id);
  };
  /** One chunk per event data store: memory stays bounded by stores times `chunkSize`. */
  const chunks = new Map<string, DeliveryReceipt[]>();

  async function check(from: string, receipts: DeliveryReceipt[]): Promise<void> {
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
      const store = options.eventDataStores?.[receipt.channelArn] ?? options.eventDataStore;
      if (store === undefined) {
        note('unchecked', receipt.id);
        return;
      }
      const chunk = chunks.get(store) ?? [];
      chunks.set(store, chunk);
      chunk.push(receipt);
      if (chunk.length >= chunkSize) {
        chunks.delete(store);
        await check(store, chunk);
      }
    },
    async finish() {
      for (const [store, chunk] of chunks) await check(store, chunk);
      chunks.clear();
      return report;
    },
  };
}
