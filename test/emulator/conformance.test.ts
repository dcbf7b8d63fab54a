// Conformance with clients nobody here wrote: botocore (boto3) and the `aws` CLI talk to the emulator
// with signature checking on, and must see success, partial failure, each whole-request error and a
// wrong-secret signature the way the AWS API reference documents them. Skipped when python3 boto3 is missing.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { TEST_CREDENTIAL, checksum, eventData } from './helpers/signed-request.js';
import { childEnv, hasAwsCli, hasBoto3, python, runChild } from './helpers/aws-clients.js';

const here = dirname(fileURLToPath(import.meta.url));
const script = join(here, '..', 'conformance', 'put_audit_events.py');
if (!hasBoto3)
  console.warn(
    'conformance.test.ts skipped: python3 with boto3 is not installed (apt-get install python3-boto3 awscli).',
  );
if (hasBoto3 && !hasAwsCli)
  console.warn('conformance.test.ts: the aws CLI is not installed; its tests are skipped.');

const account = TEST_CREDENTIAL.accountId;
const foreignChannel = 'arn:aws:cloudtrail:us-east-1:444455556666:channel/foreign';
const externalIdChannel = `arn:aws:cloudtrail:us-east-1:${account}:channel/partner`;
let emulator: Emulator;
let workDir: string;

const run = (command: string, args: string[]): ReturnType<typeof runChild> =>
  runChild(command, args, childEnv(workDir));

interface Scenario {
  name: string;
  channelArn: string;
  externalId?: string;
  auditEvents: Array<{ id: string; eventData: string; eventDataChecksum?: string }>;
  accessKeyId?: string;
  secretAccessKey?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- botocore answers are free-form JSON
async function botocore(scenarios: Scenario[]): Promise<Map<string, any>> {
  const file = join(workDir, `scenarios-${Date.now()}-${Math.random()}.json`);
  await writeFile(file, JSON.stringify(scenarios));
  const result = await run(python!, [script, emulator.url, file]);
  expect(result.stderr, 'python stderr').toBe('');
  expect(result.code).toBe(0);
  const answers = JSON.parse(result.stdout) as Array<{ name: string }>;
  return new Map(answers.map((answer) => [answer.name, answer]));
}

const valid = (uid: string): string => JSON.stringify(eventData(account, { UID: uid }));

beforeAll(async () => {
  if (!hasBoto3) return;
  workDir = await mkdtemp(join(tmpdir(), 'ctl-conformance-'));
  emulator = await startEmulator({
    credentials: [TEST_CREDENTIAL],
    channels: [
      { channelArn: `arn:aws:cloudtrail:us-east-1:${account}:channel/main` },
      { channelArn: externalIdChannel, externalId: 'partner-external-id' },
      { channelArn: foreignChannel },
    ],
    log: () => undefined,
  });
});
afterAll(async () => {
  if (!hasBoto3) return;
  await emulator.close();
  await rm(workDir, { recursive: true, force: true });
});

describe.skipIf(!hasBoto3)('botocore against the emulator', () => {
  test('sees success, partial failure and every whole-request error as the API documents them', async () => {
    const main = emulator.channelArn;
    const one = [{ id: 'one', eventData: valid('one') }];
    const answers = await botocore([
      {
        name: 'success',
        channelArn: main,
        auditEvents: [
          { id: 'a', eventData: valid('a'), eventDataChecksum: checksum(valid('a')) },
          { id: 'b', eventData: valid('b') },
        ],
      },
      {
        name: 'partial',
        channelArn: main,
        auditEvents: [
          { id: 'good', eventData: valid('good') },
          { id: 'badsum', eventData: valid('x'), eventDataChecksum: checksum('other') },
          { id: 'nofield', eventData: JSON.stringify({ version: '1.0' }) },
          { id: 'recipient', eventData: JSON.stringify(eventData('999988887777')) },
          { id: 'toolong', eventData: JSON.stringify(eventData(account, { eventName: 'n'.repeat(1025) })) },
          { id: 'baddata', eventData: JSON.stringify(eventData(account, { sourceIPAddress: 'not-an-ip' })) },
        ],
      },
      {
        name: 'not-found',
        channelArn: `arn:aws:cloudtrail:us-east-1:${account}:channel/missing`,
        auditEvents: one,
      },
      { name: 'invalid-arn', channelArn: 'arn:aws:sqs:us-east-1:123456789012:queue', auditEvents: one },
      { name: 'foreign', channelArn: foreignChannel, auditEvents: one },
      { name: 'no-external-id', channelArn: externalIdChannel, auditEvents: one },
      {
        name: 'external-id',
        channelArn: externalIdChannel,
        externalId: 'partner-external-id',
        auditEvents: one,
      },
      { name: 'duplicate', channelArn: main, auditEvents: [one[0]!, one[0]!] },
      {
        name: 'too-many',
        channelArn: main,
        auditEvents: Array.from({ length: 101 }, (_, index) => ({
          id: `m${index}`,
          eventData: valid(`m${index}`),
        })),
      },
      { name: 'bad-id', channelArn: main, auditEvents: [{ id: 'has spaces', eventData: valid('s') }] },
      {
        name: 'wrong-secret',
        channelArn: main,
        auditEvents: one,
        accessKeyId: TEST_CREDENTIAL.accessKeyId,
        secretAccessKey: 'wrong-secret',
      },
      {
        name: 'unknown-key',
        channelArn: main,
        auditEvents: one,
        accessKeyId: 'AKIDNOBODY',
        secretAccessKey: 'whatever',
      },
    ]);

    expect(answers.get('success').ok.failed).toEqual([]);
    expect(answers.get('success').ok.successful.map((entry: { id: string }) => entry.id)).toEqual(['a', 'b']);
    expect(answers.get('partial').ok.successful.map((entry: { id: string }) => entry.id)).toEqual(['good']);
    const codes = Object.fromEntries(
      answers
        .get('partial')
        .ok.failed.map((entry: { id: string; errorCode: string }) => [entry.id, entry.errorCode]),
    );
    expect(codes).toEqual({
      badsum: 'InvalidChecksum',
      nofield: 'FieldNotFound',
      recipient: 'InvalidRecipient',
      toolong: 'FieldTooLong',
      baddata: 'InvalidData',
    });
    expect(answers.get('external-id').ok.successful).toHaveLength(1);

    const errors = Object.fromEntries(
      [...answers.values()]
        .filter((answer) => answer.error !== undefined)
        .map((answer) => [
          answer.name,
          [answer.error.code, answer.error.status, answer.error.exceptionClass],
        ]),
    );
    expect(errors).toEqual({
      'not-found': ['ChannelNotFound', 400, 'ChannelNotFound'],
      'invalid-arn': ['InvalidChannelARN', 400, 'InvalidChannelARN'],
      foreign: ['ChannelInsufficientPermission', 400, 'ChannelInsufficientPermission'],
      'no-external-id': ['ChannelInsufficientPermission', 400, 'ChannelInsufficientPermission'],
      duplicate: ['DuplicatedAuditEventId', 400, 'DuplicatedAuditEventId'],
      'too-many': ['ValidationException', 400, 'ClientError'],
      'bad-id': ['ValidationException', 400, 'ClientError'],
      'wrong-secret': ['InvalidSignatureException', 403, 'ClientError'],
      'unknown-key': ['UnrecognizedClientException', 403, 'ClientError'],
    });
    for (const answer of answers.values())
      if (answer.error !== undefined) expect(answer.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('sees injected throttling as ThrottlingException, at 400 and at 429', async () => {
    emulator.setFaults({
      script: [{ kind: 'throttle' }, { kind: 'throttle', status: 429, retryAfterSeconds: 1 }],
    });
    try {
      const one = [{ id: 'one', eventData: valid('one') }];
      const answers = await botocore([
        { name: 'throttle-400', channelArn: emulator.channelArn, auditEvents: one },
        { name: 'throttle-429', channelArn: emulator.channelArn, auditEvents: one },
      ]);
      expect(answers.get('throttle-400').error).toMatchObject({ code: 'ThrottlingException', status: 400 });
      expect(answers.get('throttle-429').error).toMatchObject({ code: 'ThrottlingException', status: 429 });
    } finally {
      emulator.setFaults({});
    }
  });
});

describe.skipIf(!hasBoto3 || !hasAwsCli)('the aws CLI against the emulator', () => {
  test('puts audit events from a file and prints the successful entries', async () => {
    const file = join(workDir, 'events.json');
    await writeFile(
      file,
      JSON.stringify([
        { id: 'cli-1', eventData: valid('cli-1') },
        { id: 'cli-2', eventData: JSON.stringify({ version: '1.0' }) },
      ]),
    );
    const result = await run('aws', [
      'cloudtrail-data',
      'put-audit-events',
      '--endpoint-url',
      emulator.url,
      '--channel-arn',
      emulator.channelArn,
      '--audit-events',
      `file://${file}`,
      '--output',
      'json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as {
      successful: Array<{ id: string }>;
      failed: Array<{ id: string; errorCode: string }>;
    };
    expect(output.successful.map((entry) => entry.id)).toEqual(['cli-1']);
    expect(output.failed).toEqual([expect.objectContaining({ id: 'cli-2', errorCode: 'FieldNotFound' })]);
    expect(emulator.events().some((event) => event.eventData['UID'] === 'cli-1')).toBe(true);
  });

  test('reports a whole-request error by name and exits non-zero', async () => {
    const file = join(workDir, 'one.json');
    await writeFile(file, JSON.stringify([{ id: 'x', eventData: valid('x') }]));
    const result = await run('aws', [
      'cloudtrail-data',
      'put-audit-events',
      '--endpoint-url',
      emulator.url,
      '--channel-arn',
      `arn:aws:cloudtrail:us-east-1:${account}:channel/absent`,
      '--audit-events',
      `file://${file}`,
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('(ChannelNotFound)');
  });
});
