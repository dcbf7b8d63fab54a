/**
 * Limits of a Lake query. The statement length is CloudTrail's: "The query statement can be up to
 * 10,000 characters" (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-limitations.html).
 */
export const LAKE_QUERY_MAX_STATEMENT_CHARS = 10_000;

/** The engine's defaults; a caller (the control plane) may pass its own per query. */
export const LAKE_QUERY_DEFAULTS = Object.freeze({
  /** Wall-clock limit of one query, loading new events included, in milliseconds. */
  timeoutMillis: 60_000,
  /** Rows one result may hold; a larger result fails rather than being cut silently. */
  maxRows: 100_000,
  /** Events sent to DuckDB in one load statement. */
  loadBatchEvents: 5_000,
});
