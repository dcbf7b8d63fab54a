// Lake queries in the style of AWS's CloudTrail Lake samples over integration events: the table's
// columns and types, store ids and ARNs as table names, joins and unions of stores, map columns read
// with element_at, Lake's result shape, incremental loading. Function semantics are in
// trino-function-corpus.test.ts; refusals and limits in lake-sandbox.test.ts.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { StoredEvent } from '../../../src/emulator/event-store.js';
import { createLakeQueryEngine } from '../../../src/emulator/lake-sql/index.js';
import { ACCOUNT, lakeStore, storedEvent, STORE_ARN, STORE_ID } from './lake-events.js';

const engine = createLakeQueryEngine();
const events: StoredEvent[] = [];
const minutesAgo = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
const OTHER_ID = 'EXAMPLE-0000-4e8f-8bd1-bcf6cOTHER00';
const otherEvents = [storedEvent(100, { principalId: 'zoe', eventName: 'Export' })];
const stores = [lakeStore(events), lakeStore(otherEvents, OTHER_ID, `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:eventdatastore/${OTHER_ID}`)];

beforeAll(() => {
  events.push(
    storedEvent(1, { principalId: 'alice', errorCode: 'AccessDenied', sourceIPAddress: '10.0.0.1', eventTime: minutesAgo(10) }),
    storedEvent(2, { principalId: 'alice', errorCode: 'AccessDenied', sourceIPAddress: '10.0.0.1', eventTime: minutesAgo(120) }),
    storedEvent(3, { principalId: 'bob', errorCode: 'AccessDenied', sourceIPAddress: '10.0.0.2', eventTime: minutesAgo(20) }),
    storedEvent(4, { principalId: 'bob', sourceIPAddress: '10.0.0.1', uid: 'dup-1', eventName: 'GetObject', requestParameters: { bucket: 'logs', filter: { owner: 'carol' } } }),
    storedEvent(5, { principalId: 'carol', sourceIPAddress: '10.0.0.3', uid: 'dup-1', eventName: 'GetObject', requestParameters: { bucket: 'logs', size: 42 } }),
    storedEvent(6, { principalId: 'carol', eventName: 'GetObject', requestParameters: { bucket: 'images' } }),
  );
});
afterAll(() => engine.close());

const run = (sql: string) => engine.run(sql, { stores });

test('failed logins by user, with the store id unquoted as in the AWS samples', async () => {
  const result = await run(
    `SELECT eventData.userIdentity.principalId AS principal, COUNT(*) AS failures FROM ${STORE_ID}
     WHERE eventData.eventName = 'Login' AND eventData.errorCode IS NOT NULL
     GROUP BY eventData.userIdentity.principalId ORDER BY failures DESC, principal`,
  );
  expect(result.columns).toEqual(['principal', 'failures']);
  expect(result.rows).toEqual([['alice', '2'], ['bob', '1']]);
  expect(result.eventsScanned).toBe(6);
  expect(result.bytesScanned).toBe(events.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify(event)), 0));
});

test('actions by source IP address, FROM the store ARN', async () => {
  const result = await run(
    `SELECT eventData.sourceIPAddress, count(*) FROM ${STORE_ARN} WHERE eventData.sourceIPAddress IS NOT NULL
     GROUP BY 1 ORDER BY 2 DESC, 1`,
  );
  expect(result.columns).toEqual(['sourceIPAddress', '_col1']);
  expect(result.rows).toEqual([['10.0.0.1', '3'], ['10.0.0.2', '1'], ['10.0.0.3', '1']]);
});

test('duplicate events by UID', async () => {
  const result = await run(`SELECT eventData.uid, count(*) AS copies FROM "${STORE_ID}" GROUP BY eventData.uid HAVING count(*) > 1`);
  expect(result.rows).toEqual([['dup-1', '2']]);
});

test("the last hour's errors, comparing eventTime with date_add('hour', -1, now())", async () => {
  const result = await run(
    `SELECT eventData.userIdentity.principalId, eventData.errorCode FROM ${STORE_ID}
     WHERE eventTime > date_add('hour', -1, now()) AND eventData.errorCode IS NOT NULL ORDER BY 1`,
  );
  expect(result.rows).toEqual([['alice', 'AccessDenied'], ['bob', 'AccessDenied']]);
});

test('requestParameters is a map(varchar, varchar): element_at, nested values as JSON text, map_keys, cardinality', async () => {
  const result = await run(
    `SELECT element_at(eventData.requestParameters, 'bucket') AS bucket, count(*) AS reads FROM ${STORE_ID}
     WHERE eventData.eventName = 'GetObject' GROUP BY 1 ORDER BY 1`,
  );
  expect(result.rows).toEqual([['images', '1'], ['logs', '2']]);
  const nested = await run(
    `SELECT element_at(eventData.requestParameters, 'filter'), json_extract_scalar(element_at(eventData.requestParameters, 'filter'), '$.owner'),
            element_at(eventData.requestParameters, 'size'), element_at(eventData.requestParameters, 'missing'),
            map_keys(eventData.requestParameters), cardinality(eventData.requestParameters)
     FROM ${STORE_ID} WHERE eventData.requestParameters IS NOT NULL ORDER BY eventID`,
  );
  expect(nested.rows).toEqual([
    ['{"owner":"carol"}', 'carol', null, null, '[bucket, filter]', '2'],
    [null, null, '42', null, '[bucket, size]', '2'],
    [null, null, null, null, '[bucket]', '1'],
  ]);
});

test("SELECT * has Lake's integration-event columns, printed as Lake prints them", async () => {
  const result = await run(`SELECT * FROM ${STORE_ID} WHERE eventData.uid = 'uid-6'`);
  expect(result.columns).toEqual([
    'eventversion', 'eventcategory', 'eventtype', 'eventid', 'eventtime', 'awsregion', 'recipientaccountid',
    'addendum', 'metadata', 'eventdata',
  ]);
  const [row] = result.rows;
  expect(row?.slice(0, 4)).toEqual(['2.11', 'ActivityAuditLog', 'ActivityLog', '00000000-0000-4000-8000-000000000006']);
  expect(row?.[4]).toBe('2026-01-02 10:00:00.000');
  expect(row?.[7]).toBeNull();
  expect(row?.[8]).toBe(`{ingestiontime=2026-01-02T10:00:00Z, channelarn=arn:aws:cloudtrail:us-east-1:${ACCOUNT}:channel/EXAMPLE-channel}`);
  expect(row?.[9]).toContain('useridentity={type=User, principalid=carol, details={team=red}}');
  expect(row?.[9]).toContain('requestparameters={bucket=images}');
});

test('names are case-insensitive: columns, struct fields and the store id', async () => {
  const result = await run(
    `SELECT EVENTDATA.USERIDENTITY.PRINCIPALID AS p FROM ${STORE_ID.toLowerCase()} WHERE EventData.EventName = 'Login' AND eventdata.uid = 'uid-3'`,
  );
  expect(result.rows).toEqual([['bob']]);
});

test("eventTime compares with a timestamp string, as the AWS samples write it", async () => {
  const result = await run(`SELECT count(*) FROM ${STORE_ID} WHERE eventTime = '2026-01-02 10:00:00' AND eventdata.eventtime = '2026-01-02T10:00:00Z'`);
  expect(result.rows).toEqual([['3']]);
});

test('several stores are unioned and joined, and eventsScanned counts each store read', async () => {
  const union = await run(
    `SELECT eventData.eventName FROM ${STORE_ID} WHERE eventData.uid = 'uid-1'
     UNION ALL SELECT eventData.eventName FROM ${OTHER_ID} ORDER BY 1`,
  );
  expect(union.rows).toEqual([['Export'], ['Login']]);
  expect(union.eventsScanned).toBe(7);
  const join = await run(
    `SELECT a.eventData.uid, b.eventData.userIdentity.principalId FROM ${STORE_ID} a JOIN ${OTHER_ID} b
     ON a.recipientAccountId = b.recipientAccountId WHERE a.eventData.uid = 'uid-6'`,
  );
  expect(join.rows).toEqual([['uid-6', 'zoe']]);
});

test('events added after a query are seen by the next one (loading is incremental)', async () => {
  const before = await run(`SELECT count(*) FROM ${OTHER_ID}`);
  otherEvents.push(storedEvent(101, { principalId: 'zoe' }), storedEvent(102, { principalId: 'yan' }));
  const after = await run(`SELECT count(*) FROM ${OTHER_ID}`);
  expect([before.rows, after.rows, after.eventsScanned]).toEqual([[['1']], [['3']], 3]);
});

test('a store the query names that is not among the stores fails with EventDataStoreNotFoundException', async () => {
  await expect(run('SELECT count(*) FROM "EXAMPLE-none"')).rejects.toMatchObject({
    code: 'EventDataStoreNotFoundException',
    message: expect.stringContaining('EXAMPLE-none') as unknown,
  });
});
