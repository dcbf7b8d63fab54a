import { randomUUID } from 'node:crypto';
import { AwsError } from '../aws-error.js';
import { componentLogger } from '../../internal/diag.js';
import {
  type Input,
  defined,
  epochSeconds,
  optionalEpochMillis,
  optionalInteger,
  optionalString,
  pageOf,
  requiredString,
} from './control-input.js';
import { type EventDataStoreRecord, type QueryRecord, type QueryStatus, eventsOfStores } from './control-state.js';
import { type ControlContext, STORE_ARN_MEMBER, findEventDataStore } from './event-data-store-operations.js';
import type { LakeQueryEngine } from '../lake-sql/index.js';

/** Limits of the query path; defaults in EMULATOR_DEFAULTS. */
export interface QueryLimits {
  /** Lake allows 10 queries at once (MaxConcurrentQueriesException in the model). */
  maxConcurrentQueries: number;
  queryTimeoutMillis: number;
  maxResultRows: number;
  /** Finished queries kept (and persisted) for DescribeQuery, GetQueryResults and ListQueries. */
  maxStoredQueries: number;
}

const QUERY_ID = { min: 36, max: 36, pattern: /^[a-f0-9-]+$/, error: 'QueryIdNotFoundException' } as const;
const STATUSES: readonly QueryStatus[] = ['QUEUED', 'RUNNING', 'FINISHED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];
/** The model's QueryStatement: 1 to 10,000 characters. */
const MAX_STATEMENT_CHARS = 10_000;
/** A table after FROM or JOIN; a name followed by `(` is a table function, not a store. */
const TABLE_REFERENCE = /\b(?:from|join)\s+(["`]?)([A-Za-z0-9:/._-]+)\1(?![A-Za-z0-9:/._-]|\s*\()/gi;
const CTE_NAME = /\b([A-Za-z_][A-Za-z0-9_]*)\s+as\s*\(/gi;
/** Lake runs SELECT statements only ("CloudTrail Lake queries are SQL SELECT statements"); comments may lead. */
const SELECT_START = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*(?:select|with)\b/i;

const isActive = (query: QueryRecord): boolean => query.status === 'QUEUED' || query.status === 'RUNNING';

/**
 * The event data stores a statement reads, found by their id or ARN after FROM or JOIN (CloudTrail Lake
 * statements name stores that way). Names of common table expressions are not stores.
 */
function storesNamedIn(context: ControlContext, sql: string): EventDataStoreRecord[] {
  const cteNames = new Set([...sql.matchAll(CTE_NAME)].map((match) => match[1]!.toLowerCase()));
  const stores = new Map<string, EventDataStoreRecord>();
  for (const match of sql.matchAll(TABLE_REFERENCE)) {
    const name = match[2]!;
    if (cteNames.has(name.toLowerCase())) continue;
    const store = findEventDataStore(context, name);
    if (store.status === 'PENDING_DELETION')
      throw new AwsError('InactiveEventDataStoreException', `The event data store ${store.arn} is pending deletion.`);
    stores.set(store.id, store);
  }
  if (stores.size === 0)
    throw new AwsError('InvalidQueryStatementException', 'The statement must read FROM an event data store, named by its id or ARN.');
  return [...stores.values()];
}

export interface QueryOperations {
  StartQuery(context: ControlContext, input: Input): Promise<{ QueryId: string }>;
  DescribeQuery(context: ControlContext, input: Input): unknown;
  GetQueryResults(context: ControlContext, input: Input): unknown;
  ListQueries(context: ControlContext, input: Input): unknown;
  CancelQuery(context: ControlContext, input: Input): Promise<unknown>;
  /** Resolves once the query is no longer QUEUED or RUNNING. */
  settled(queryId: string): Promise<QueryRecord>;
  /** Cancels running queries (emulator shutdown). */
  close(): Promise<void>;
}

export function createQueryOperations(
  context: ControlContext,
  engine: LakeQueryEngine,
  limits: QueryLimits,
): QueryOperations {
  const diag = componentLogger('CloudTrailLakeEmulator');
  const { state } = context;
  const running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  for (const query of state.queries)
    if (isActive(query)) Object.assign(query, { status: 'FAILED', errorMessage: 'The emulator stopped while the query ran.' });

  function find(input: Input): QueryRecord {
    const id = requiredString(input, 'QueryId', QUERY_ID);
    const query = state.queries.find((candidate) => candidate.id === id);
    if (query === undefined) throw new AwsError('QueryIdNotFoundException', `The query ${id} was not found.`);
    const store = optionalString(input, 'EventDataStore', STORE_ARN_MEMBER);
    if (store !== undefined) findEventDataStore(context, store);
    return query;
  }

  function finish(query: QueryRecord, status: QueryStatus, errorMessage?: string): void {
    if (!isActive(query)) return;
    query.status = status;
    query.endedMillis = context.now();
    if (errorMessage !== undefined) query.errorMessage = errorMessage;
  }

  async function execute(query: QueryRecord, stores: readonly EventDataStoreRecord[], abort: AbortController): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    if (query.status !== 'QUEUED') return;
    query.status = 'RUNNING';
    const timer = setTimeout(() => {
      finish(query, 'TIMED_OUT', `The query ran longer than ${limits.queryTimeoutMillis} ms.`);
      abort.abort();
    }, limits.queryTimeoutMillis);
    try {
      const result = await engine.run(query.sql, {
        stores: stores.map((store) => ({ id: store.id, arn: store.arn, events: () => eventsOfStores(state, [store.id]) })),
        signal: abort.signal,
        timeoutMillis: limits.queryTimeoutMillis,
        maxRows: limits.maxResultRows,
      });
      if (isActive(query)) {
        query.columns = result.columns;
        query.rows = result.rows;
        query.eventsScanned = result.eventsScanned;
        query.bytesScanned = result.bytesScanned;
        finish(query, 'FINISHED');
      }
    } catch (error) {
      // The engine's codes: QueryTimedOut ends TIMED_OUT, QueryCancelled follows a CancelQuery (already
      // CANCELLED), anything else (InvalidQueryStatementException, QueryRowLimitExceeded, ...) FAILED.
      const code = (error as { code?: unknown }).code;
      finish(query, code === 'QueryTimedOut' ? 'TIMED_OUT' : 'FAILED', (error as Error).message);
    } finally {
      clearTimeout(timer);
    }
    // Forget the oldest finished queries beyond the limit, as Lake forgets queries after 7 days.
    while (state.queries.length > limits.maxStoredQueries) {
      const oldest = state.queries.findIndex((candidate) => !isActive(candidate));
      if (oldest < 0) break;
      state.queries.splice(oldest, 1);
    }
    await state.save().catch((error: unknown) => diag.error('saving the control plane state failed', error));
  }

  function statistics(query: QueryRecord) {
    return {
      EventsMatched: query.rows?.length ?? 0,
      EventsScanned: query.eventsScanned,
      BytesScanned: query.bytesScanned,
      ExecutionTimeInMillis: (query.endedMillis ?? context.now()) - query.createdMillis,
      CreationTime: epochSeconds(query.createdMillis),
    };
  }

  return {
    async StartQuery(_context, input) {
      const sql = requiredString(input, 'QueryStatement', { min: 1, max: MAX_STATEMENT_CHARS, error: 'InvalidQueryStatementException' });
      for (const member of ['DeliveryS3Uri', 'QueryAlias', 'QueryParameters'])
        if (input[member] !== undefined)
          throw new AwsError('InvalidParameterException', `${member} is not supported by the emulator (no S3, no dashboards).`);
      const owner = optionalString(input, 'EventDataStoreOwnerAccountId');
      if (owner !== undefined && owner !== context.accountId)
        throw new AwsError('EventDataStoreNotFoundException', `The emulator has no event data stores of account ${owner}.`);
      if (!SELECT_START.test(sql))
        throw new AwsError('InvalidQueryStatementException', 'Only SELECT statements (optionally WITH ... SELECT) are allowed.');
      const stores = storesNamedIn(context, sql);
      const active = state.queries.filter(isActive).length;
      if (active >= limits.maxConcurrentQueries)
        throw new AwsError('MaxConcurrentQueriesException', `${active} queries are running; at most ${limits.maxConcurrentQueries} may run at once.`);
      const query: QueryRecord = {
        id: randomUUID(),
        sql,
        status: 'QUEUED',
        storeArns: stores.map((store) => store.arn),
        createdMillis: context.now(),
        eventsScanned: 0,
        bytesScanned: 0,
      };
      state.queries.push(query);
      await state.save();
      const abort = new AbortController();
      const done = execute(query, stores, abort).finally(() => running.delete(query.id));
      running.set(query.id, { abort, done });
      return { QueryId: query.id };
    },
    DescribeQuery(_context, input) {
      if (input['QueryId'] === undefined)
        throw new AwsError('InvalidParameterException', 'QueryId is required (QueryAlias and RefreshId are for dashboards, which the emulator has not).');
      const query = find(input);
      return defined({
        QueryId: query.id,
        QueryString: query.sql,
        QueryStatus: query.status,
        QueryStatistics: statistics(query),
        ErrorMessage: query.errorMessage,
      });
    },
    GetQueryResults(_context, input) {
      const query = find(input);
      const maxResults = optionalInteger(input, 'MaxQueryResults', 1, 1000, 'InvalidMaxResultsException') ?? 1000;
      const token = optionalString(input, 'NextToken', { min: 4, max: 1000, error: 'InvalidNextTokenException' });
      const columns = query.columns ?? [];
      const { page, nextToken } = pageOf(query.rows ?? [], `results-${query.id}`, token, maxResults);
      return defined({
        QueryStatus: query.status,
        QueryStatistics: { ResultsCount: page.length, TotalResultsCount: query.rows?.length ?? 0, BytesScanned: query.bytesScanned },
        // Lake's row shape: a list of single-key maps, one per column, every value a string.
        QueryResultRows: page.map((row) => columns.map((column, index) => ({ [column]: row[index] ?? null }))),
        NextToken: nextToken,
        ErrorMessage: query.errorMessage,
      });
    },
    ListQueries(_context, input) {
      const store = findEventDataStore(context, requiredString(input, 'EventDataStore', STORE_ARN_MEMBER));
      const startMillis = optionalEpochMillis(input, 'StartTime');
      const endMillis = optionalEpochMillis(input, 'EndTime');
      if (startMillis !== undefined && endMillis !== undefined && startMillis > endMillis)
        throw new AwsError('InvalidDateRangeException', 'StartTime must not be after EndTime.');
      const status = optionalString(input, 'QueryStatus');
      if (status !== undefined && !STATUSES.includes(status as QueryStatus))
        throw new AwsError('InvalidQueryStatusException', `QueryStatus must be one of ${STATUSES.join(', ')}.`);
      const maxResults = optionalInteger(input, 'MaxResults', 1, 1000, 'InvalidMaxResultsException') ?? 1000;
      const matching = state.queries
        .filter(
          (query) =>
            query.storeArns.includes(store.arn) &&
            (status === undefined || query.status === status) &&
            (startMillis === undefined || query.createdMillis >= startMillis) &&
            (endMillis === undefined || query.createdMillis <= endMillis),
        )
        .reverse();
      const { page, nextToken } = pageOf(matching, `queries-${store.id}`, optionalString(input, 'NextToken', { min: 4, max: 1000, error: 'InvalidNextTokenException' }), maxResults);
      return defined({
        Queries: page.map((query) => ({ QueryId: query.id, QueryStatus: query.status, CreationTime: epochSeconds(query.createdMillis) })),
        NextToken: nextToken,
      });
    },
    async CancelQuery(_context, input) {
      const query = find(input);
      if (!isActive(query)) throw new AwsError('InactiveQueryException', `The query ${query.id} is ${query.status}; only QUEUED or RUNNING queries can be cancelled.`);
      finish(query, 'CANCELLED');
      running.get(query.id)?.abort.abort();
      await state.save();
      return { QueryId: query.id, QueryStatus: query.status };
    },
    async settled(queryId) {
      await running.get(queryId)?.done;
      const query = state.queries.find((candidate) => candidate.id === queryId);
      if (query === undefined) throw new AwsError('QueryIdNotFoundException', `The query ${queryId} was not found.`);
      return query;
    },
    async close() {
      for (const { abort } of running.values()) abort.abort();
      await Promise.all([...running.values()].map(({ done }) => done.catch(() => undefined)));
    },
  };
}
