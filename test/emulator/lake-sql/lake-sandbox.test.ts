// The query path is read-only and sandboxed: statements other than one SELECT are refused by parsing,
// file, network and extension access fail inside DuckDB itself, stored events cannot be changed, and
// each query has a time and a row limit. Lake SQL semantics are in trino-function-corpus.test.ts.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { StoredEvent } from '../../../src/emulator/event-store.js';
import { createLakeQueryEngine, LAKE_QUERY_MAX_STATEMENT_CHARS } from '../../../src/emulator/lake-sql/index.js';
import { openLakeDuckDb, type LakeDuckDb } from '../../../src/emulator/lake-sql/open-lake-duckdb.js';
import { lakeStore, storedEvent, STORE_ID } from './lake-events.js';

const engine = createLakeQueryEngine();
const events: StoredEvent[] = Array.from({ length: 2_000 }, (_, n) => storedEvent(n));
const stores = [lakeStore(events)];
let duck: LakeDuckDb;

beforeAll(async () => {
  duck = await openLakeDuckDb();
});
afterAll(async () => {
  await engine.close();
  duck.connection.closeSync();
  duck.instance.closeSync();
});

const count = async (): Promise<string | null | undefined> =>
  (await engine.run(`SELECT count(*) FROM ${STORE_ID}`, { stores })).rows[0]?.[0];

test.each([
  ["SELECT * FROM read_text('/etc/passwd')", 'Table functions'],
  ["SELECT content FROM read_text('/etc/passwd')", 'Table functions'],
  ["SELECT * FROM read_csv('/etc/passwd')", 'Table functions'],
  ["SELECT * FROM read_blob('/etc/passwd')", 'Table functions'],
  ["SELECT * FROM glob('/root/*')", 'Table functions'],
  ["SELECT read_text('/etc/passwd')", 'Function read_text is not supported'],
  ["SELECT content FROM (SELECT * FROM read_text('/etc/passwd')) t", 'Table functions'],
  [`COPY (SELECT * FROM ${STORE_ID}) TO '/tmp/lake-copy.csv'`, 'Only SELECT statements are allowed'],
  [`COPY "${STORE_ID}" TO '/tmp/lake-copy.csv'`, 'Only SELECT statements are allowed'],
  ["ATTACH '/tmp/lake-attach.db' AS other", 'Only SELECT statements are allowed'],
  ['INSTALL httpfs', 'Only SELECT statements are allowed'],
  ['LOAD httpfs', 'Only SELECT statements are allowed'],
  ['PRAGMA database_list', 'Only SELECT statements are allowed'],
  ['SET enable_external_access = true', 'Only SELECT statements are allowed'],
  ['CREATE TABLE stolen (a varchar)', 'Only SELECT statements are allowed'],
  [`DROP TABLE "${STORE_ID}"`, 'Only SELECT statements are allowed'],
  [`INSERT INTO "${STORE_ID}" (eventid) VALUES ('forged')`, 'Only SELECT statements are allowed'],
  [`UPDATE "${STORE_ID}" SET eventid = 'forged'`, 'Only SELECT statements are allowed'],
  [`DELETE FROM "${STORE_ID}"`, 'Only SELECT statements are allowed'],
  [`SELECT 1; DELETE FROM "${STORE_ID}"`, 'one SELECT statement'],
  ['SELECT 1; SELECT 2', 'one SELECT statement'],
  ['SELECT * FROM duckdb_settings()', 'Table functions'],
  ["SELECT current_setting('enable_external_access')", 'Function current_setting is not supported'],
])('%s is refused (%s) and the stored events are unchanged', async (sql, rule) => {
  await expect(engine.run(sql, { stores })).rejects.toMatchObject({
    code: 'InvalidQueryStatementException',
    message: expect.stringContaining(rule) as unknown,
  });
  expect(await count()).toBe('2000');
});

test("the engine's own table names are not store names: they fail with EventDataStoreNotFoundException", async () => {
  await count();
  await expect(engine.run('SELECT * FROM lake_store_0', { stores })).rejects.toMatchObject({
    code: 'EventDataStoreNotFoundException',
  });
});

test.each([
  ["SELECT * FROM read_text('/etc/passwd')", 'disabled by configuration'],
  ["SELECT * FROM read_csv('/etc/passwd')", 'disabled by configuration'],
  ["SELECT * FROM glob('/root/*')", 'disabled by configuration'],
  ["COPY (SELECT 1) TO '/tmp/lake-sandbox-copy.csv'", 'disabled by configuration'],
  ["ATTACH '/tmp/lake-sandbox-attach.db'", 'disabled by configuration'],
  ['INSTALL httpfs', 'disabled by configuration'],
  ['LOAD httpfs', 'disabled'],
  ['SET enable_external_access = true', 'locked'],
  ["SET TimeZone = 'Europe/Paris'", 'locked'],
])('even run directly on the engine database, %s fails (%s)', async (sql, reason) => {
  await expect(duck.connection.run(sql)).rejects.toThrow(reason);
});

test('a write inside the read-only transaction a query runs in fails', async () => {
  await duck.connection.run('CREATE TABLE t (a INTEGER)');
  await duck.connection.run('BEGIN TRANSACTION READ ONLY');
  await expect(duck.connection.run('INSERT INTO t VALUES (1)')).rejects.toThrow('read-only');
  await duck.connection.run('ROLLBACK');
});

test('a statement of exactly the maximum length runs; one character more is refused', async () => {
  const base = `SELECT count(*) FROM ${STORE_ID} `;
  const comment = (length: number): string => `/*${'x'.repeat(length - base.length - 4)}*/`;
  const longest = base + comment(LAKE_QUERY_MAX_STATEMENT_CHARS);
  expect(longest).toHaveLength(LAKE_QUERY_MAX_STATEMENT_CHARS);
  expect((await engine.run(longest, { stores })).rows).toEqual([['2000']]);
  await expect(engine.run(`${longest} `, { stores })).rejects.toMatchObject({
    code: 'InvalidQueryStatementException',
    message: expect.stringContaining(`has ${LAKE_QUERY_MAX_STATEMENT_CHARS + 1} characters; the limit is ${LAKE_QUERY_MAX_STATEMENT_CHARS}`) as unknown,
  });
});

test('a result of exactly maxRows rows is returned; one row more fails with QueryRowLimitExceeded', async () => {
  const sql = `SELECT eventid FROM ${STORE_ID} LIMIT 3`;
  expect((await engine.run(sql, { stores, maxRows: 3 })).rows).toHaveLength(3);
  await expect(engine.run(sql, { stores, maxRows: 2 })).rejects.toMatchObject({ code: 'QueryRowLimitExceeded' });
});

// A three-way self join of 2,000 events has 8e9 combinations: it cannot finish within the limit.
const endless = `SELECT count(*) FROM ${STORE_ID} a, ${STORE_ID} b, ${STORE_ID} c
  WHERE a.eventdata.uid || b.eventdata.uid <> c.eventdata.uid`;

test('a query that runs past its time limit is interrupted with QueryTimedOut, and the engine keeps working', async () => {
  await count(); // the events are loaded, so the limit applies to the query itself
  await expect(engine.run(endless, { stores, timeoutMillis: 100 })).rejects.toMatchObject({ code: 'QueryTimedOut' });
  expect(await count()).toBe('2000');
});

test('an aborted query is interrupted with QueryCancelled', async () => {
  const controller = new AbortController();
  const running = engine.run(endless, { stores, signal: controller.signal, timeoutMillis: 600_000 });
  setImmediate(() => controller.abort());
  await expect(running).rejects.toMatchObject({ code: 'QueryCancelled' });
  expect(await count()).toBe('2000');
});
