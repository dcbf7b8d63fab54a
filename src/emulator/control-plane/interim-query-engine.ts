/**
 * INTERIM: the query engine contract of the Lake SQL engine (`src/emulator/lake-sql/`), and a stand-in
 * that implements it over the DuckDB engine of `../query-engine.ts` until that engine is merged. It is
 * DuckDB's dialect, not Lake's (Trino) SQL; only the result shape is Lake's. Swap it for
 * `createLakeQueryEngine` and import the types from there.
 */
import type { StoredEvent } from '../event-store.js';
import { createQueryEngine } from '../query-engine.js';

export interface LakeStore {
  id: string;
  arn: string;
  events(): readonly StoredEvent[];
}
export interface LakeQueryResult {
  columns: string[];
  rows: Array<Array<string | null>>;
  eventsScanned: number;
  bytesScanned: number;
}
export interface LakeQueryEngine {
  run(
    sql: string,
    options: { stores: readonly LakeStore[]; signal?: AbortSignal; timeoutMillis?: number; maxRows?: number },
  ): Promise<LakeQueryResult>;
  close(): Promise<void>;
}

/** An error with the AWS exception name in `code`, as the Lake engine throws them. */
class QueryError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** Only reads: a statement must start with SELECT or WITH and be a single statement. */
const READ_ONLY = /^\s*(select|with)\b[^;]*;?\s*$/is;
/** DuckDB's table functions and commands that reach files or the network, refused outright. */
const FORBIDDEN = /\b(read_\w+|glob|copy|attach|install|load|pragma|export|import|call|set)\b/i;

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function createInterimQueryEngine(): LakeQueryEngine {
  return {
    async run(sql, options) {
      if (!READ_ONLY.test(sql) || FORBIDDEN.test(sql.replace(/'(?:[^']|'')*'/g, "''")))
        throw new QueryError('InvalidQueryStatementException', 'Only one SELECT statement is allowed, without file, network or configuration functions.');
      const named = options.stores.filter((store) => sql.includes(store.id) || sql.includes(store.arn));
      const events = named.flatMap((store) => store.events());
      // Longest first, so an ARN is replaced before the id inside it.
      const aliases = named.flatMap((store) => [store.arn, store.id]).sort((a, b) => b.length - a.length);
      const engine = createQueryEngine(() => events, aliases);
      let rows: Array<Record<string, unknown>>;
      try {
        rows = await engine.query(sql);
      } catch (error) {
        throw new QueryError('InvalidQueryStatementException', (error as Error).message, { cause: error });
      } finally {
        await engine.close();
      }
      if (options.signal?.aborted === true) throw new QueryError('QueryCancelled', 'Query cancelled.');
      const keys = Object.keys(rows[0] ?? {});
      const columns = keys.map((key, index) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : `_col${index}`));
      const limited = options.maxRows === undefined ? rows : rows.slice(0, options.maxRows);
      return {
        columns,
        rows: limited.map((row) => keys.map((key) => text(row[key]))),
        eventsScanned: events.length,
        bytesScanned: events.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify(event)), 0),
      };
    },
    close: () => Promise.resolve(),
  };
}
