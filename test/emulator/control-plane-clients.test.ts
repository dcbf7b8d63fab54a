// CloudTrail's control plane driven by clients nobody here wrote: boto3 creates an event data store and
// a channel with a resource policy, the exporter sends events over HTTP to that channel, boto3 starts
// queries, pages their results, cancels one, lists them, meets each modelled error the emulator can
// answer, and finds everything again after a restart on the same data directory. The AWS CLI runs the
// query commands. Skipped when python3 with boto3 is missing.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createPipeline } from '../helpers/audit-pipeline.js';
import { childEnv, hasAwsCli, hasBoto3, python, runChild } from './helpers/aws-clients.js';
import { HOLD, holdingQueryEngine } from './helpers/holding-query-engine.js';
import { TEST_CREDENTIAL, bodyOf, eventData, signedPut } from './helpers/signed-request.js';

const here = dirname(fileURLToPath(import.meta.url));
const script = join(here, '..', 'conformance', 'control_plane.py');
const account = TEST_CREDENTIAL.accountId;
const EVENTS = 25;
let workDir: string;
let dataDir: string;
let emulator: Emulator;

interface Call {
  name: string;
  op: string;
  params?: Record<string, unknown>;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- boto3 answers are free-form JSON
type Answers = Map<string, { ok?: any; error?: { code: string; status: number; exceptionClass: string } }>;

async function boto3(calls: Call[]): Promise<Answers> {
  const file = join(workDir, `calls-${Date.now()}-${Math.random()}.json`);
  await writeFile(file, JSON.stringify(calls));
  const result = await runChild(python!, [script, emulator.url, file], childEnv(workDir));
  expect(result.stderr, 'python stderr').toBe('');
  expect(result.code).toBe(0);
  const answers = JSON.parse(result.stdout) as Array<{ name: string }>;
  return new Map(answers.map((answer) => [answer.name, answer])) as Answers;
}

function start(): Promise<Emulator> {
  return startEmulator({
    credentials: [TEST_CREDENTIAL],
    dataDir,
    maxConcurrentQueries: 2,
    queryEngine: holdingQueryEngine(),
    log: () => undefined,
  });
}

const policy = (channelArn: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: account },
        Action: 'cloudtrail-data:PutAuditEvents',
        Resource: channelArn,
        Condition: { StringEquals: { 'cloudtrail:ExternalId': 'partner-ext-1' } },
      },
    ],
  });

beforeAll(async () => {
  if (!hasBoto3) return;
  workDir = await mkdtemp(join(tmpdir(), 'ctl-control-plane-'));
  dataDir = join(workDir, 'data');
  emulator = await start();
});
afterAll(async () => {
  if (!hasBoto3) return;
  await emulator.close();
  await rm(workDir, { recursive: true, force: true });
});

// Each boto3 or aws run starts a Python interpreter: seconds each on a busy machine.
describe.skipIf(!hasBoto3)('the control plane with boto3, the exporter and the AWS CLI', { timeout: 180_000 }, () => {
  let storeArn: string;
  let storeId: string;
  let channelArn: string;
  let firstQueryId: string;

  test('creates a store, a channel and its policy, and answers the lookups and their errors', async () => {
    const missingStore = `arn:aws:cloudtrail:us-east-1:${account}:eventdatastore/00000000-0000-0000-0000-000000000000`;
    const answers = await boto3([
      { name: 'store', op: 'create_event_data_store', params: { Name: 'audit-store', TerminationProtectionEnabled: false } },
      { name: 'channel', op: 'create_channel', params: { Name: 'partner', Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE', Location: '$store.EventDataStoreArn' }] } },
      { name: 'getChannel', op: 'get_channel', params: { Channel: '$channel.ChannelArn' } },
      { name: 'getStore', op: 'get_event_data_store', params: { EventDataStore: '$store.EventDataStoreArn' } },
      { name: 'listChannels', op: 'list_channels', params: { MaxResults: 1 } },
      { name: 'listStores', op: 'list_event_data_stores', params: {} },
      { name: 'update', op: 'update_event_data_store', params: { EventDataStore: '$store.EventDataStoreArn', RetentionPeriod: 90 } },
      { name: 'duplicateChannel', op: 'create_channel', params: { Name: 'partner', Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE', Location: '$store.EventDataStoreArn' }] } },
      { name: 'duplicateStore', op: 'create_event_data_store', params: { Name: 'audit-store' } },
      { name: 'channelToMissingStore', op: 'create_channel', params: { Name: 'orphan', Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE', Location: missingStore }] } },
      { name: 'missingChannel', op: 'get_channel', params: { Channel: `arn:aws:cloudtrail:us-east-1:${account}:channel/missing` } },
      { name: 'invalidChannel', op: 'get_channel', params: { Channel: 'arn:aws:sqs:us-east-1:123456789012:queue' } },
      { name: 'missingStore', op: 'get_event_data_store', params: { EventDataStore: missingStore } },
      { name: 'invalidStore', op: 'get_event_data_store', params: { EventDataStore: 'arn:aws:sqs:us-east-1:123456789012:queue' } },
      { name: 'noPolicy', op: 'get_resource_policy', params: { ResourceArn: '$channel.ChannelArn' } },
      { name: 'badPolicy', op: 'put_resource_policy', params: { ResourceArn: '$channel.ChannelArn', ResourcePolicy: 'not json' } },
      { name: 'policyOnMissing', op: 'put_resource_policy', params: { ResourceArn: `arn:aws:cloudtrail:us-east-1:${account}:channel/missing`, ResourcePolicy: '{}' } },
      { name: 'startEnabled', op: 'start_event_data_store_ingestion', params: { EventDataStore: '$store.EventDataStoreArn' } },
      { name: 'deleteWithChannel', op: 'delete_event_data_store', params: { EventDataStore: '$store.EventDataStoreArn' } },
      { name: 'deleteProtected', op: 'delete_event_data_store', params: { EventDataStore: emulator.eventDataStoreArn } },
    ]);
    const ok = (name: string) => answers.get(name)?.ok;
    const code = (name: string) => answers.get(name)?.error?.code;
    storeArn = ok('store').EventDataStoreArn;
    storeId = storeArn.split('/').at(-1)!;
    channelArn = ok('channel').ChannelArn;
    expect(storeArn).toMatch(new RegExp(`^arn:aws:cloudtrail:us-east-1:${account}:eventdatastore/[0-9a-f-]{36}$`));
    expect(ok('store')).toMatchObject({ Name: 'audit-store', Status: 'ENABLED', TerminationProtectionEnabled: false });
    expect(ok('store').CreatedTimestamp).toMatch(/^datetime:/);
    expect(channelArn).toMatch(new RegExp(`^arn:aws:cloudtrail:us-east-1:${account}:channel/[0-9a-f-]{36}$`));
    expect(ok('getChannel')).toMatchObject({ Name: 'partner', Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE', Location: storeArn }] });
    expect(ok('getStore')).toMatchObject({ EventDataStoreArn: storeArn, Status: 'ENABLED' });
    expect(ok('listChannels').Channels).toHaveLength(1);
    expect(ok('listChannels').NextToken.length).toBeGreaterThanOrEqual(4);
    expect(ok('listStores').EventDataStores.map((store: { Name: string }) => store.Name)).toEqual(['emulator-event-data-store', 'audit-store']);
    expect(ok('update').RetentionPeriod).toBe(90);
    expect(code('duplicateChannel')).toBe('ChannelAlreadyExistsException');
    expect(code('duplicateStore')).toBe('EventDataStoreAlreadyExistsException');
    expect(code('channelToMissingStore')).toBe('EventDataStoreNotFoundException');
    expect(code('missingChannel')).toBe('ChannelNotFoundException');
    expect(answers.get('missingChannel')?.error?.exceptionClass).toBe('ChannelNotFoundException');
    expect(code('invalidChannel')).toBe('ChannelARNInvalidException');
    expect(code('missingStore')).toBe('EventDataStoreNotFoundException');
    expect(code('invalidStore')).toBe('EventDataStoreARNInvalidException');
    expect(code('noPolicy')).toBe('ResourcePolicyNotFoundException');
    expect(code('badPolicy')).toBe('ResourcePolicyNotValidException');
    expect(code('policyOnMissing')).toBe('ResourceNotFoundException');
    expect(code('startEnabled')).toBe('InvalidEventDataStoreStatusException');
    expect(code('deleteWithChannel')).toBe('ChannelExistsForEDSException');
    expect(code('deleteProtected')).toBe('EventDataStoreTerminationProtectedException');
    const put = await boto3([{ name: 'policy', op: 'put_resource_policy', params: { ResourceArn: channelArn, ResourcePolicy: policy(channelArn) } }]);
    expect(put.get('policy')?.ok).toEqual({ ResourceArn: channelArn, ResourcePolicy: policy(channelArn) });
  });

  test('the exporter delivers to the new channel with the external id its policy requires', async () => {
    const pipeline = createPipeline(emulator, {
      channelArn,
      externalId: 'partner-ext-1',
      credentials: { accessKeyId: TEST_CREDENTIAL.accessKeyId, secretAccessKey: TEST_CREDENTIAL.secretAccessKey },
      recipientAccountId: account,
    });
    for (let n = 0; n < EVENTS; n += 1)
      pipeline.emit({
        'audit.user_identity.type': 'User',
        'audit.user_identity.principal_id': `user-${String(n).padStart(2, '0')}`,
        'audit.event_name': n % 5 === 0 ? 'Delete' : 'Login',
      });
    await pipeline.provider.forceFlush();
    await pipeline.provider.shutdown();
    const stored = emulator.events().filter((event) => event.metadata.channelARN === channelArn);
    expect(stored).toHaveLength(EVENTS);
    const wrong = await signedPut({
      ...TEST_CREDENTIAL,
      url: emulator.url,
      channelArn,
      externalId: 'someone-else',
      body: bodyOf([eventData(account)]),
    });
    expect(wrong.json.__type).toBe('ChannelInsufficientPermission');
  });

  test('runs queries asynchronously, pages results, cancels, limits concurrency and lists them', async () => {
    const answers = await boto3([
      { name: 'start', op: 'start_query', params: { QueryStatement: `SELECT eventData.userIdentity.principalId AS principal, eventData.eventName FROM ${storeId} ORDER BY principal` } },
      { name: 'wait', op: 'wait_query', params: { QueryId: '$start.QueryId' } },
      { name: 'pages', op: 'all_results', params: { QueryId: '$start.QueryId', MaxQueryResults: 10 } },
      { name: 'count', op: 'start_query', params: { QueryStatement: `SELECT count(*) FROM ${storeArn}` } },
      { name: 'countDone', op: 'wait_query', params: { QueryId: '$count.QueryId' } },
      { name: 'countRows', op: 'get_query_results', params: { QueryId: '$count.QueryId' } },
      { name: 'held1', op: 'start_query', params: { QueryStatement: `SELECT ${HOLD} eventID FROM ${storeId}` } },
      { name: 'held2', op: 'start_query', params: { QueryStatement: `SELECT ${HOLD} eventID FROM ${storeId}` } },
      { name: 'tooMany', op: 'start_query', params: { QueryStatement: `SELECT eventID FROM ${storeId}` } },
      { name: 'running', op: 'get_query_results', params: { QueryId: '$held1.QueryId' } },
      { name: 'cancel', op: 'cancel_query', params: { QueryId: '$held1.QueryId' } },
      { name: 'cancelAgain', op: 'cancel_query', params: { QueryId: '$held1.QueryId' } },
      { name: 'cancelled', op: 'describe_query', params: { QueryId: '$held1.QueryId' } },
      { name: 'cancel2', op: 'cancel_query', params: { QueryId: '$held2.QueryId', EventDataStore: storeArn } },
      { name: 'failing', op: 'start_query', params: { QueryStatement: `SELECT no_such_column FROM ${storeId}` } },
      { name: 'failed', op: 'wait_query', params: { QueryId: '$failing.QueryId' } },
      { name: 'write', op: 'start_query', params: { QueryStatement: `DELETE FROM ${storeId}` } },
      { name: 'noStore', op: 'start_query', params: { QueryStatement: 'SELECT 1' } },
      { name: 'unknownStore', op: 'start_query', params: { QueryStatement: 'SELECT * FROM 00000000-0000-0000-0000-000000000000' } },
      { name: 'unknownQuery', op: 'get_query_results', params: { QueryId: '00000000-0000-0000-0000-000000000000' } },
      { name: 'tooManyRows', op: 'get_query_results', params: { QueryId: '$start.QueryId', MaxQueryResults: 5000 } },
      { name: 'badToken', op: 'get_query_results', params: { QueryId: '$start.QueryId', NextToken: 'not-a-token' } },
      { name: 'list', op: 'list_queries', params: { EventDataStore: storeArn } },
      { name: 'listCancelled', op: 'list_queries', params: { EventDataStore: storeId, QueryStatus: 'CANCELLED' } },
      { name: 'badRange', op: 'list_queries', params: { EventDataStore: storeArn, StartTime: 2_000_000_000, EndTime: 1_000_000_000 } },
      { name: 'badStatus', op: 'list_queries', params: { EventDataStore: storeArn, QueryStatus: 'DONE' } },
    ]);
    const ok = (name: string) => answers.get(name)?.ok;
    const code = (name: string) => answers.get(name)?.error?.code;
    firstQueryId = ok('start').QueryId;
    expect(ok('wait')).toMatchObject({ QueryStatus: 'FINISHED', QueryStatistics: { EventsScanned: EVENTS, EventsMatched: EVENTS } });
    expect(ok('wait').QueryStatistics.CreationTime).toMatch(/^datetime:/);
    expect(ok('pages').pages).toEqual([10, 10, 5]);
    expect(ok('pages').statistics).toMatchObject({ ResultsCount: 5, TotalResultsCount: EVENTS });
    for (const token of ok('pages').tokens) expect(token.length).toBeGreaterThanOrEqual(4);
    expect(ok('pages').rows[0]).toEqual([{ principal: 'user-00' }, { eventName: 'Delete' }]);
    expect(ok('pages').rows[24]).toEqual([{ principal: 'user-24' }, { eventName: 'Login' }]);
    expect(ok('countRows').QueryResultRows).toEqual([[{ _col0: String(EVENTS) }]]);
    expect(code('tooMany')).toBe('MaxConcurrentQueriesException');
    expect(['QUEUED', 'RUNNING']).toContain(ok('running').QueryStatus);
    expect(ok('cancel')).toEqual({ QueryId: ok('held1').QueryId, QueryStatus: 'CANCELLED' });
    expect(code('cancelAgain')).toBe('InactiveQueryException');
    expect(ok('cancelled').QueryStatus).toBe('CANCELLED');
    expect(ok('cancel2').QueryStatus).toBe('CANCELLED');
    expect(ok('failed').QueryStatus).toBe('FAILED');
    expect(ok('failed').ErrorMessage).toContain('no_such_column');
    expect(code('write')).toBe('InvalidQueryStatementException');
    expect(code('noStore')).toBe('InvalidQueryStatementException');
    expect(code('unknownStore')).toBe('EventDataStoreNotFoundException');
    expect(code('unknownQuery')).toBe('QueryIdNotFoundException');
    expect(code('tooManyRows')).toBe('InvalidMaxResultsException');
    expect(code('badToken')).toBe('InvalidNextTokenException');
    expect(ok('list').Queries.map((query: { QueryStatus: string }) => query.QueryStatus)).toEqual(['FAILED', 'CANCELLED', 'CANCELLED', 'FINISHED', 'FINISHED']);
    expect(ok('listCancelled').Queries).toHaveLength(2);
    expect(code('badRange')).toBe('InvalidDateRangeException');
    expect(code('badStatus')).toBe('InvalidQueryStatusException');
  });

  test('a store with ingestion stopped receives nothing; started again it does', async () => {
    const stop = await boto3([{ name: 'stop', op: 'stop_event_data_store_ingestion', params: { EventDataStore: storeArn } }]);
    expect(stop.get('stop')?.ok).toEqual({});
    const before = emulator.stats.undeliveredEvents;
    const send = () => signedPut({ ...TEST_CREDENTIAL, url: emulator.url, channelArn, externalId: 'partner-ext-1', body: bodyOf([eventData(account)]) });
    expect((await send()).json.successful).toHaveLength(1);
    expect(emulator.stats.undeliveredEvents).toBe(before + 1);
    const restart = await boto3([
      { name: 'state', op: 'get_event_data_store', params: { EventDataStore: storeArn } },
      { name: 'start', op: 'start_event_data_store_ingestion', params: { EventDataStore: storeArn } },
    ]);
    expect(restart.get('state')?.ok.Status).toBe('STOPPED_INGESTION');
    await send();
    expect(emulator.events().filter((event) => event.metadata.channelARN === channelArn)).toHaveLength(EVENTS + 1);
  });

  test('everything survives a restart on the same data directory, in private files', async () => {
    await emulator.close();
    emulator = await start();
    const answers = await boto3([
      { name: 'store', op: 'get_event_data_store', params: { EventDataStore: storeArn } },
      { name: 'channel', op: 'get_channel', params: { Channel: channelArn } },
      { name: 'policy', op: 'get_resource_policy', params: { ResourceArn: channelArn } },
      { name: 'old', op: 'get_query_results', params: { QueryId: firstQueryId, MaxQueryResults: 1000 } },
      { name: 'count', op: 'start_query', params: { QueryStatement: `SELECT count(*) AS n FROM ${storeId}` } },
      { name: 'done', op: 'wait_query', params: { QueryId: '$count.QueryId' } },
      { name: 'rows', op: 'get_query_results', params: { QueryId: '$count.QueryId' } },
    ]);
    expect(answers.get('store')?.ok).toMatchObject({ Name: 'audit-store', RetentionPeriod: 90, Status: 'ENABLED' });
    expect(answers.get('channel')?.ok.Name).toBe('partner');
    expect(answers.get('policy')?.ok.ResourcePolicy).toBe(policy(channelArn));
    expect(answers.get('old')?.ok.QueryResultRows).toHaveLength(EVENTS);
    expect(answers.get('rows')?.ok.QueryResultRows).toEqual([[{ n: String(EVENTS + 1) }]]);
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    for (const file of ['events.jsonl', 'control-plane.json', 'emulator-identity.json', `event-data-stores/${storeId}/events.jsonl`])
      expect((await stat(join(dataDir, file))).mode & 0o777, file).toBe(0o600);
    expect((await stat(join(dataDir, 'event-data-stores', storeId))).mode & 0o777).toBe(0o700);
  });

  test.skipIf(!hasAwsCli)('the AWS CLI starts a query, reads a page of its results and lists queries', async () => {
    const env = childEnv(workDir);
    const aws = async (...args: string[]) => {
      return runChild('aws', ['cloudtrail', ...args, '--endpoint-url', emulator.url, '--output', 'json'], env);
    };
    const started = await aws('start-query', '--query-statement', `SELECT eventData.userIdentity.principalId FROM ${storeId} ORDER BY 1`);
    expect(started.stderr).toBe('');
    const { QueryId } = JSON.parse(started.stdout) as { QueryId: string };
    const waited = await boto3([{ name: 'wait', op: 'wait_query', params: { QueryId } }]);
    expect(waited.get('wait')?.ok.QueryStatus).toBe('FINISHED');
    const page = await aws('get-query-results', '--query-id', QueryId, '--max-query-results', '2');
    const answer = JSON.parse(page.stdout) as { QueryStatus: string; QueryResultRows: unknown[]; NextToken?: string };
    expect(answer.QueryStatus).toBe('FINISHED');
    // The two events PutAuditEvents sent directly name 'alice'; one reached the store.
    expect(answer.QueryResultRows).toEqual([[{ principalId: 'alice' }], [{ principalId: 'user-00' }]]);
    expect(answer.NextToken).toBeDefined();
    const described = JSON.parse((await aws('describe-query', '--query-id', QueryId)).stdout) as { QueryString: string };
    expect(described.QueryString).toContain('ORDER BY 1');
    const listed = JSON.parse((await aws('list-queries', '--event-data-store', storeArn)).stdout) as { Queries: Array<{ QueryId: string }> };
    expect(listed.Queries.map((query) => query.QueryId)).toContain(QueryId);
    const missing = await aws('get-channel', '--channel', `arn:aws:cloudtrail:us-east-1:${account}:channel/missing`);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('ChannelNotFoundException');
  });
});
