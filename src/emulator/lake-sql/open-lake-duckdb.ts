import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { LAKE_MACROS } from './duckdb-macros.js';
import { LakeQueryError } from './lake-query-error.js';

type DuckDBModule = typeof import('@duckdb/node-api');

export const DUCKDB_MISSING_MESSAGE =
  'Lake queries need the optional dependency @duckdb/node-api; install it with `npm install @duckdb/node-api`';

/**
 * DuckDB locked down before any query runs: no file or network access (read_text, read_csv, glob,
 * COPY, ATTACH, INSTALL all fail), no extension loading, and a configuration no statement can change
 * (https://duckdb.org/docs/stable/operations_manual/securing_duckdb/overview). Integer division
 * truncates as in Trino, and the session zone is UTC, Lake's.
 */
const DUCKDB_CONFIG = {
  enable_external_access: 'false',
  autoload_known_extensions: 'false',
  autoinstall_known_extensions: 'false',
  allow_community_extensions: 'false',
  allow_unsigned_extensions: 'false',
  integer_division: 'true',
  threads: '1',
} as const;

export interface LakeDuckDb {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
}

/** Loads DuckDB (an optional dependency, imported on first use) and opens the sandboxed database. */
export async function openLakeDuckDb(): Promise<LakeDuckDb> {
  let module: DuckDBModule;
  try {
    module = await import('@duckdb/node-api');
  } catch (error) {
    throw new LakeQueryError('UnsupportedOperationException', DUCKDB_MISSING_MESSAGE, { cause: error });
  }
  const instance = await module.DuckDBInstance.create(':memory:', DUCKDB_CONFIG);
  const connection = await instance.connect();
  // TimeZone is an ICU setting that the instance config does not accept, so it is set before the lock.
  await connection.run("SET TimeZone = 'UTC'");
  for (const macro of LAKE_MACROS) await connection.run(macro);
  await connection.run('SET lock_configuration = true');
  return { instance, connection };
}
