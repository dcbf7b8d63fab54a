export { createLakeQueryEngine } from './lake-query-engine.js';
export { DUCKDB_MISSING_MESSAGE } from './open-lake-duckdb.js';
export type { LakeQueryEngine, LakeQueryResult, LakeRunOptions, LakeStore } from './lake-query-engine.js';
export { LakeQueryError } from './lake-query-error.js';
export type { LakeQueryErrorCode } from './lake-query-error.js';
export { PARTLY_SUPPORTED_LAKE_FUNCTIONS, SUPPORTED_LAKE_FUNCTIONS } from './lake-functions.js';
export { LAKE_QUERY_DEFAULTS, LAKE_QUERY_MAX_STATEMENT_CHARS } from './lake-sql-limits.js';
