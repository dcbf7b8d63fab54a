import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

type DuckDBModule = { DuckDBInstance: typeof DuckDBInstance };
import type { StoredEvent } from './event-store.js';

/**
 * SQL over stored events, CloudTrail Lake style, on an embedded DuckDB that is loaded on first use
 * (it is an optional dependency; exporter users never load it). Stored events form the table `events`,
 * whose columns mirror a CloudTrail Lake integration event; `eventData` and `metadata` are STRUCTs, so
 * `eventData.userIdentity.principalId` works. The free-form objects (`userIdentity.details`,
 * `requestParameters`, `responseElements`, `additionalEventData`) are JSON: read them with
 * `eventData.requestParameters->>'$.key'` (in parentheses inside comparisons: `->>` binds looser than `=`).
 *
 * Table names: CloudTrail Lake queries name the event data store (`FROM <id>`), and its ids contain
 * dashes that DuckDB cannot parse as an identifier. The one rewrite done to the SQL text is therefore:
 * every occurrence of a known event data store id or ARN is replaced by `events`. No other parsing.
 */
export interface QueryEngine {
  /** Runs one statement; rows are plain objects (bigint as number when safe, else string). */
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

const EVENT_COLUMNS = {
  eventVersion: 'VARCHAR',
  eventCategory: 'VARCHAR',
  eventType: 'VARCHAR',
  eventID: 'VARCHAR',
  eventTime: 'TIMESTAMP',
  awsRegion: 'VARCHAR',
  recipientAccountId: 'VARCHAR',
  metadata: 'STRUCT(ingestionTime TIMESTAMP, channelARN VARCHAR)',
  eventData:
    'STRUCT(version VARCHAR, userIdentity STRUCT(type VARCHAR, principalId VARCHAR, details JSON), userAgent VARCHAR, ' +
    'eventSource VARCHAR, eventName VARCHAR, eventTime VARCHAR, UID VARCHAR, requestParameters JSON, responseElements JSON, ' +
    'errorCode VARCHAR, errorMessage VARCHAR, sourceIPAddress VARCHAR, recipientAccountId VARCHAR, additionalEventData JSON)',
} as const;

const COLUMNS_SQL = `{${Object.entries(EVENT_COLUMNS)
  .map(([name, type]) => `'${name}': '${type}'`)
  .join(', ')}}`;

/** Thrown when `@duckdb/node-api` is not installed. */
export const DUCKDB_MISSING_MESSAGE =
  'Queries need the optional dependency @duckdb/node-api; install it with `npm install @duckdb/node-api` (the emulator works without it, only queries do not).';

function toPlain(raw: unknown, json: unknown): unknown {
  if (typeof raw === 'bigint')
    return raw >= Number.MIN_SAFE_INTEGER && raw <= Number.MAX_SAFE_INTEGER ? Number(raw) : raw.toString();
  return json;
}

export function createQueryEngine(
  getEvents: () => readonly StoredEvent[],
  tableAliases: readonly string[],
): QueryEngine {
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  let loadedCount = 0;
  let scratchDir: string | undefined;
  // Queries run one at a time so loading new events and reading them never overlap.
  let queue: Promise<unknown> = Promise.resolve();

  async function connect(): Promise<DuckDBConnection> {
    if (connection !== undefined) return connection;
    let duckdb: DuckDBModule;
    try {
      duckdb = await import('@duckdb/node-api');
    } catch (error) {
      throw new Error(DUCKDB_MISSING_MESSAGE, { cause: error });
    }
    instance = await duckdb.DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    scratchDir = await mkdtemp(join(tmpdir(), 'ctl-emulator-query-'));
    const columns = Object.entries(EVENT_COLUMNS).map(([name, type]) => `"${name}" ${type}`);
    await connection.run(`CREATE TABLE events (${columns.join(', ')})`);
    return connection;
  }

  /** Stored events only grow, so each query loads just the ones added since the last. */
  async function loadNewEvents(db: DuckDBConnection): Promise<void> {
    const events = getEvents();
    if (events.length === loadedCount || scratchDir === undefined) return;
    const file = join(scratchDir, 'batch.jsonl');
    const batch = events.slice(loadedCount);
    await writeFile(file, batch.map((event) => JSON.stringify(event)).join('\n'));
    await db.run(
      `INSERT INTO events SELECT * FROM read_json('${file}', format='newline_delimited', columns=${COLUMNS_SQL})`,
    );
    loadedCount += batch.length;
  }

  function rewrite(sql: string): string {
    let result = sql;
    for (const alias of tableAliases) result = result.split(alias).join('events');
    return result;
  }

  async function run(sql: string): Promise<Array<Record<string, unknown>>> {
    const db = await connect();
    await loadNewEvents(db);
    const reader = await db.runAndReadAll(rewrite(sql));
    const raw = reader.getRowObjects();
    const json = reader.getRowObjectsJson();
    return raw.map((row, index) => {
      const jsonRow = json[index] ?? {};
      return Object.fromEntries(
        Object.entries(row).map(([key, value]) => [key, toPlain(value, jsonRow[key])]),
      );
    });
  }

  return {
    query(sql) {
      const result = queue.then(() => run(sql));
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      await queue;
      connection?.closeSync();
      instance?.closeSync();
      connection = undefined;
      instance = undefined;
      if (scratchDir !== undefined) await rm(scratchDir, { recursive: true, force: true });
    },
  };
}
