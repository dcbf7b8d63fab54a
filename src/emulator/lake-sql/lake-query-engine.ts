import type { StoredEvent } from '../event-store.js';
import { componentLogger } from '../../internal/diag.js';
import { invalidQuery, LakeQueryError } from './lake-query-error.js';
import { LAKE_QUERY_DEFAULTS } from './lake-sql-limits.js';
import { createLakeTableSql, insertLakeRowsSql, toLakeRow } from './lake-table.js';
import { openLakeDuckDb, type LakeDuckDb } from './open-lake-duckdb.js';
import { parseLakeSql } from './parse-lake-sql.js';
import { renderLakeValue } from './render-lake-value.js';
import { translateLakeSql, UNNAMED_COLUMN, type StoreTable } from './translate-lake-sql.js';

/** An event data store as a query sees it: its id, its ARN, and its events (which only grow). */
export interface LakeStore {
  id: string;
  arn: string;
  events(): readonly StoredEvent[];
}

export interface LakeQueryResult {
  /** Lake's column names: the alias, the column's name, or `_col0`, `_col1`, ... for unnamed expressions. */
  columns: string[];
  /** Every value a string as Lake returns them; null for SQL NULL. */
  rows: Array<Array<string | null>>;
  /** Events in the stores the query reads. */
  eventsScanned: number;
  /** UTF-8 bytes of those events as stored (JSON). */
  bytesScanned: number;
}

export interface LakeRunOptions {
  /** The stores a query may name in FROM, by id or ARN. */
  stores: readonly LakeStore[];
  /** Cancels the query: it then fails with `QueryCancelled`. */
  signal?: AbortSignal;
  /** @default LAKE_QUERY_DEFAULTS.timeoutMillis */
  timeoutMillis?: number;
  /** A result with more rows fails with `QueryRowLimitExceeded`. @default LAKE_QUERY_DEFAULTS.maxRows */
  maxRows?: number;
}

export interface LakeQueryEngine {
  run(sql: string, options: LakeRunOptions): Promise<LakeQueryResult>;
  close(): Promise<void>;
}

interface StoreState extends StoreTable {
  loaded: number;
  bytes: number;
}

const INTERRUPT_REPEAT_MILLIS = 20;

/** Runs CloudTrail Lake's SQL (Trino) over stored events on an embedded, sandboxed DuckDB. */
export function createLakeQueryEngine(): LakeQueryEngine {
  const diag = componentLogger('LakeQueryEngine');
  let database: Promise<LakeDuckDb> | undefined;
  const stores = new Map<string, StoreState>();
  // One query at a time on the one connection, so loading events and reading them never overlap.
  let queue: Promise<unknown> = Promise.resolve();

  function tableFor(store: LakeStore): StoreState {
    let state = stores.get(store.id);
    if (state === undefined) {
      state = { storeId: store.id, table: `lake_store_${stores.size}`, loaded: -1, bytes: 0 };
      stores.set(store.id, state);
    }
    return state;
  }

  /** Events only grow, so each query loads just those added since the last one. */
  async function load(db: LakeDuckDb, state: StoreState, events: readonly StoredEvent[]): Promise<void> {
    if (state.loaded < 0) {
      await db.connection.run(createLakeTableSql(state.table));
      state.loaded = 0;
    }
    while (state.loaded < events.length) {
      const batch = events.slice(state.loaded, state.loaded + LAKE_QUERY_DEFAULTS.loadBatchEvents);
      await db.connection.run(insertLakeRowsSql(state.table), [JSON.stringify(batch.map(toLakeRow))]);
      state.loaded += batch.length;
      state.bytes += batch.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify(event), 'utf8'), 0);
    }
  }

  async function execute(sql: string, storeIds: ReadonlySet<string>, options: LakeRunOptions): Promise<LakeQueryResult> {
    const db = await (database ??= openLakeDuckDb());
    const timeoutMillis = options.timeoutMillis ?? LAKE_QUERY_DEFAULTS.timeoutMillis;
    const maxRows = options.maxRows ?? LAKE_QUERY_DEFAULTS.maxRows;
    let stopped: LakeQueryError | undefined;
    let interrupter: NodeJS.Timeout | undefined;
    const stop = (error: LakeQueryError): void => {
      stopped ??= error;
      db.connection.interrupt();
      // An interrupt reaches only the statement running at that moment; one that starts a moment later
      // (a load, or the query right after it) is stopped by the next interrupt.
      interrupter ??= setInterval(() => db.connection.interrupt(), INTERRUPT_REPEAT_MILLIS);
    };
    const timer = setTimeout(
      () => stop(new LakeQueryError('QueryTimedOut', `The query ran longer than ${timeoutMillis} ms`)),
      timeoutMillis,
    );
    const onAbort = (): void => stop(new LakeQueryError('QueryCancelled', 'The query was cancelled'));
    options.signal?.addEventListener('abort', onAbort);
    try {
      if (options.signal?.aborted === true) onAbort();
      let eventsScanned = 0;
      let bytesScanned = 0;
      for (const store of options.stores) {
        if (!storeIds.has(store.id) || stopped !== undefined) continue;
        const state = tableFor(store);
        const events = store.events();
        await load(db, state, events);
        eventsScanned += state.loaded;
        bytesScanned += state.bytes;
      }
      if (stopped !== undefined) throw stopped;
      // A read-only transaction: even a statement that got past the translator cannot write.
      await db.connection.run('BEGIN TRANSACTION READ ONLY');
      try {
        if (stopped !== undefined) throw stopped;
        const reader = await db.connection.runAndReadUntil(sql, maxRows + 1);
        if (reader.currentRowCount > maxRows) {
          throw new LakeQueryError('QueryRowLimitExceeded', `The result has more than ${maxRows} rows; add a LIMIT or narrow the query`);
        }
        const types = reader.columnTypes();
        const columns = reader.columnNames().map((name, index) => (name === UNNAMED_COLUMN ? `_col${index}` : name));
        const rows = reader.getRows().map((row) => row.map((value, index) => renderLakeValue(value, types[index] as (typeof types)[number])));
        return { columns, rows, eventsScanned, bytesScanned };
      } finally {
        await db.connection.run('ROLLBACK');
      }
    } catch (error) {
      if (stopped !== undefined) throw stopped;
      if (error instanceof LakeQueryError) throw error;
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw invalidQuery(`The query failed: ${message}`, error);
    } finally {
      clearTimeout(timer);
      clearInterval(interrupter);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    run(sql, options) {
      let translated: ReturnType<typeof translateLakeSql>;
      try {
        const names = options.stores.flatMap((store) => [store.id, store.arn]);
        const byName = new Map(options.stores.flatMap((store) => [[store.id.toLowerCase(), store], [store.arn.toLowerCase(), store]]));
        const ast = parseLakeSql(sql, names);
        translated = translateLakeSql(ast, (name) => {
          const store = byName.get(name.toLowerCase());
          return store === undefined ? undefined : tableFor(store);
        });
      } catch (error) {
        return Promise.reject(error instanceof LakeQueryError ? error : invalidQuery(String(error), error));
      }
      const result = queue.then(() => execute(translated.sql, translated.storeIds, options));
      queue = result.catch((error: unknown) => {
        diag.debug(`Lake query failed: ${error instanceof Error ? error.message : String(error)}`);
      });
      return result;
    },
    async close() {
      await queue;
      const db = await database?.catch(() => undefined);
      database = undefined;
      db?.connection.closeSync();
      db?.instance.closeSync();
    },
  };
}
