// The programmatic query path (emulator.query: StartQuery, then GetQueryResults pages) over a few
// thousand events sent through real PutAuditEvents requests: Lake's result shape (string values,
// `_colN` for unnamed columns), stores named by id or ARN, read-only statements, and the
// /_emulator/query alias with the admin endpoints' checks.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { cleanEnv, runCliProcess } from '../cli/run-cli-process.js';
import { adminFetch } from './helpers/admin-fetch.js';
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

test('groups 3000 events by eventData.userIdentity.principalId, FROM the event data store id, values as strings', async () => {
  const rows = await emulator.query(
    `SELECT eventData.userIdentity.principalId AS principal, count(*) AS logins FROM ${emulator.eventDataStoreId} WHERE eventData.eventName = 'Login' GROUP BY 1 ORDER BY 1`,
  );
  expect(rows).toEqual(
    [...expectedLogins.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([principal, logins]) => ({ principal, logins: String(logins) })),
  );
});

test('accepts the event data store ARN, names unnamed columns _colN, and refuses an unknown table', async () => {
  const [byArn] = await emulator.query(`SELECT count(*), 'x' AS named FROM ${emulator.eventDataStoreArn}`);
  expect(byArn).toEqual({ _col0: '3000', named: 'x' });
  await expect(emulator.query('SELECT count(*) FROM events')).rejects.toMatchObject({
    type: 'InvalidQueryStatementException',
  });
  await expect(
    emulator.query('SELECT count(*) FROM 00000000-0000-0000-0000-000000000000'),
  ).rejects.toMatchObject({ type: 'EventDataStoreNotFoundException' });
});

test('sees events stored after an earlier query', async () => {
  const store = emulator.eventDataStoreId;
  const [before] = await emulator.query(`SELECT count(*) AS n FROM ${store} WHERE eventData.UID = 'late'`);
  await put(emulator.url, emulator.channelArn, bodyOf([eventData(account, { UID: 'late' })]));
  const [after] = await emulator.query(
    `SELECT count(*) AS n, any_value(metadata.channelARN) AS channel FROM ${store} WHERE eventData.UID = 'late'`,
  );
  expect(before).toEqual({ n: '0' });
  expect(after).toEqual({ n: '1', channel: emulator.channelArn });
});

test('refuses statements that are not one SELECT, and the stored events stay as they were', async () => {
  const store = emulator.eventDataStoreId;
  const count = emulator.events().length;
  for (const sql of [
    `DELETE FROM ${store}`,
    `SELECT 1 FROM ${store}; DELETE FROM ${store}`,
    `SELECT content FROM read_text('/etc/passwd'), ${store}`,
    `COPY (SELECT 1 FROM ${store}) TO '/tmp/out.csv'`,
  ])
    await expect(emulator.query(sql), sql).rejects.toMatchObject({
      type: expect.stringMatching(/InvalidQueryStatementException|ValidationException/),
    });
  expect(emulator.events()).toHaveLength(count);
});

test('refuses a file read through the CLI too, naming the rule, and the stored events stay as they were', async () => {
  const count = emulator.events().length;
  const result = await runCliProcess(
    [
      'query',
      `SELECT content FROM read_text('/etc/passwd'), ${emulator.eventDataStoreId}`,
      '--endpoint-url',
      emulator.url,
      '--region',
      emulator.region,
    ],
    {
      env: cleanEnv({
        AWS_ACCESS_KEY_ID: TEST_CREDENTIAL.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIAL.secretAccessKey,
      }),
    },
  );
  expect(result.code).not.toBe(0);
  expect(result.stderr).toMatch(/InvalidQueryStatement/);
  expect(result.stdout).not.toMatch(/root:/);
  expect(emulator.events()).toHaveLength(count);
});

test('answers the /_emulator/query alias as JSON rows with the admin token, and refuses it without', async () => {
  const sql = `SELECT count(DISTINCT eventData.userIdentity.principalId) AS principals FROM ${emulator.eventDataStoreId}`;
  const response = await adminFetch(emulator, '/_emulator/query', {
    method: 'POST',
    body: JSON.stringify({ sql }),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ rows: [{ principals: String(principals.length) }] });
  const unsigned = await fetch(`${emulator.url}/_emulator/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sql }),
  });
  expect(unsigned.status).toBe(403);
  const bad = await adminFetch(emulator, '/_emulator/query', {
    method: 'POST',
    body: JSON.stringify({ sql: `SELECT nope FROM ${emulator.eventDataStoreId}` }),
  });
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { message: string }).message).toContain('nope');
});
