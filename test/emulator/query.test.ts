// SQL queries over stored events (embedded DuckDB): CloudTrail Lake style column paths, the event data
// store id as table name, JSON fields, incremental loading of new events, and the HTTP endpoint,
// over a few thousand events sent through real PutAuditEvents requests.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { TEST_CREDENTIAL, bodyOf, eventData, put } from './helpers/signed-request.js';

const account = TEST_CREDENTIAL.accountId;
const principals = ['alice', 'bob', 'carol', 'dave', 'erin'];
const names = ['Login', 'Logout', 'Delete'];
let emulator: Emulator;
const expectedLogins = new Map<string, number>();

beforeAll(async () => {
  emulator = await startEmulator({ credentials: [TEST_CREDENTIAL], log: () => undefined });
  for (let request = 0; request < 30; request += 1) {
    const events = Array.from({ length: 100 }, (_, index) => {
      const n = request * 100 + index;
      const principalId = principals[(n * 7) % principals.length]!;
      const eventName = names[(n * 3 + request) % names.length]!;
      if (eventName === 'Login') expectedLogins.set(principalId, (expectedLogins.get(principalId) ?? 0) + 1);
      return eventData(account, {
        userIdentity: { type: 'CustomUser', principalId, details: { team: n % 2 === 0 ? 'red' : 'blue' } },
        eventName,
        UID: `uid-${n}`,
        eventTime: `2026-11-21T${String(8 + (n % 4)).padStart(2, '0')}:00:00Z`,
        requestParameters: { size: n },
      });
    });
    const result = await put(emulator.url, emulator.channelArn, bodyOf(events));
    expect(result.json.successful).toHaveLength(100);
  }
});
afterAll(() => emulator.close());

test('groups 3000 events by eventData.userIdentity.principalId, FROM the event data store id', async () => {
  const rows = await emulator.query(
    `SELECT eventData.userIdentity.principalId AS principal, count(*) AS logins FROM ${emulator.eventDataStoreId} WHERE eventData.eventName = 'Login' GROUP BY 1 ORDER BY 1`,
  );
  expect(rows).toEqual(
    [...expectedLogins.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([principal, logins]) => ({ principal, logins })),
  );
  expect(typeof rows[0]?.['logins']).toBe('number');
});

test('accepts `events` and the event data store ARN as table names too', async () => {
  const [byName] = await emulator.query('SELECT count(*) AS n FROM events');
  const arn = `arn:aws:cloudtrail:us-east-1:${account}:eventdatastore/${emulator.eventDataStoreId}`;
  const [byArn] = await emulator.query(`SELECT count(*) AS n FROM ${arn}`);
  expect(byName).toEqual({ n: 3000 });
  expect(byArn).toEqual({ n: 3000 });
});

test('reads JSON fields, CloudTrail columns and filters on eventTime as a timestamp', async () => {
  const [row] = await emulator.query(
    `SELECT count(*) AS n, max(CAST(eventData.requestParameters->>'$.size' AS INTEGER)) AS biggest, min(eventCategory) AS category
     FROM events WHERE eventTime >= TIMESTAMP '2026-11-21 10:00:00' AND (eventData.userIdentity.details->>'$.team') = 'red'`,
  );
  const expected = Array.from({ length: 3000 }, (_, n) => n).filter((n) => n % 4 >= 2 && n % 2 === 0);
  expect(row).toEqual({ n: expected.length, biggest: Math.max(...expected), category: 'ActivityAuditLog' });
});

test('sees events stored after an earlier query', async () => {
  const [before] = await emulator.query("SELECT count(*) AS n FROM events WHERE eventData.UID = 'late'");
  await put(emulator.url, emulator.channelArn, bodyOf([eventData(account, { UID: 'late' })]));
  const [after] = await emulator.query(
    "SELECT count(*) AS n, any_value(metadata.channelARN) AS channel FROM events WHERE eventData.UID = 'late'",
  );
  expect(before).toEqual({ n: 0 });
  expect(after).toEqual({ n: 1, channel: emulator.channelArn });
});

test('answers queries over HTTP as JSON rows, and bad SQL with a 400 that says why', async () => {
  const response = await fetch(`${emulator.url}/_emulator/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      sql: `SELECT count(DISTINCT eventData.userIdentity.principalId) AS principals FROM ${emulator.eventDataStoreId}`,
    }),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ rows: [{ principals: principals.length }] });
  const bad = await fetch(`${emulator.url}/_emulator/query`, {
    method: 'POST',
    body: 'SELECT nope FROM events',
  });
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { message: string }).message).toContain('nope');
});
