// Runs the runnable examples in examples/ as a user would (node + tsx, importing 'otel-cloudtrail-lake'
// through tsconfig paths) against an emulator started here on port 0, and checks what it stored.
// Type-checking every example is `tsc -p tsconfig.json`; README snippets are checked in readme.test.ts.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED_VALUE } from '../../src/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { StoredEvent } from '../../src/emulator/index.js';
import { REPO_ROOT, cleanEnv, runCliProcess, runNode } from '../cli/run-cli-process.js';

let emulator: Emulator;

function exampleEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return cleanEnv({
    OTEL_EXPORTER_CLOUDTRAIL_LAKE_ENDPOINT: emulator.url,
    OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN: emulator.channelArn,
    AWS_ACCESS_KEY_ID: 'example',
    AWS_SECRET_ACCESS_KEY: 'example',
    // The NodeSDK would otherwise set up OTLP trace and metric exporters towards localhost.
    OTEL_TRACES_EXPORTER: 'none',
    OTEL_METRICS_EXPORTER: 'none',
    ...extra,
  });
}

function eventsNamed(eventName: string): StoredEvent[] {
  return emulator.events().filter((event) => event.eventData['eventName'] === eventName);
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, log: () => undefined });
});

afterAll(async () => {
  await emulator.close();
});

describe('runnable examples', () => {
  it('simplest.ts sends one Login event configured only by the environment', async () => {
    const before = eventsNamed('Login').length;
    const result = await runNode('examples/simplest.ts', [], { env: exampleEnv() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const logins = eventsNamed('Login').filter(
      (event) => event.eventData['eventSource'] === 'shop.example.com',
    );
    expect(logins.length).toBeGreaterThan(before);
    expect(logins.at(-1)?.eventData['userIdentity']).toEqual({ type: 'Customer', principalId: 'alice' });
  });

  it('audit-event.ts writes events in the OpenTelemetry audit vocabulary, as docs/mapping.md shows', async () => {
    const result = await runNode('examples/audit-event.ts', [], { env: exampleEnv() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [deleted] = eventsNamed('DeleteFile');
    expect(deleted?.eventData['UID']).toMatch(/^[0-9a-f-]{36}$/);
    expect(deleted?.eventData).toEqual({
      eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) as unknown,
      UID: deleted?.eventData['UID'],
      version: '1.0',
      userIdentity: { type: 'User', principalId: 'alice' },
      eventSource: 'documents.example.com',
      eventName: 'DeleteFile',
      sourceIPAddress: '203.0.113.10',
      recipientAccountId: emulator.channelArn.split(':')[4],
      additionalEventData: {
        action: 'DELETE',
        outcome: 'success',
        target: { id: 'file-42', type: 'file' },
        body: 'file deleted',
        instrumentationScope: 'documents',
      },
    });
    expect(
      eventsNamed('SignIn').map((event) => [event.eventData['userIdentity'], event.eventData['errorCode']]),
    ).toEqual([[{ type: 'User', principalId: 'bob' }, 'failure']]);
  });

  it('logger-provider.ts maps semantic-convention fallbacks and redacts the token', async () => {
    const result = await runNode('examples/logger-provider.ts', [], { env: exampleEnv() });
    expect(result.code).toBe(0);
    const [event] = eventsNamed('CancelOrder');
    expect(event?.eventData).toMatchObject({
      eventSource: 'orders.example.com',
      userIdentity: { type: 'Customer', principalId: 'alice' },
      sourceIPAddress: '203.0.113.10',
      userAgent: 'Mozilla/5.0',
      requestParameters: { orderId: 'o-1001', reason: 'duplicate', apiToken: REDACTED_VALUE },
    });
  });

  it('node-sdk.ts sends through the NodeSDK with the service name as eventSource', async () => {
    const result = await runNode('examples/node-sdk.ts', [], { env: exampleEnv() });
    expect(result.code).toBe(0);
    expect(eventsNamed('UpdateUserRole')[0]?.eventData).toMatchObject({
      eventSource: 'accounts.example.com',
      userIdentity: { type: 'Employee', principalId: 'alice' },
    });
  });

  it('all-options.ts runs with every option spelled out', async () => {
    const result = await runNode('examples/all-options.ts', [], { env: exampleEnv() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/exported: 1,/);
  });

  it('emulator.ts starts its own emulator and prints what it stored and queried', async () => {
    const result = await runNode('examples/emulator.ts', [], { env: cleanEnv() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("[ 'Login' ]");
    expect(result.stdout).toContain("principal: 'alice'");
  });

  it('pino/app.ts, an ES module importing pino at the top, gets its audit calls into events through telemetry.ts', async () => {
    const result = await runNode('examples/pino/app.ts', [], {
      env: exampleEnv(),
      preload: ['./examples/pino/telemetry.ts'],
    });
    expect(result.code).toBe(0);
    const refunds = eventsNamed('RefundPayment');
    expect(refunds.map((event) => event.eventData['userIdentity'])).toEqual([
      { type: 'Customer', principalId: 'dave' },
      { type: 'Customer', principalId: 'erin' },
    ]);
    expect(refunds[1]?.eventData).toMatchObject({
      errorCode: 'RefundLimitExceeded',
      eventSource: 'payments.example.com',
    });
    expect(emulator.events().some((event) => JSON.stringify(event).includes('payments service ready'))).toBe(
      false,
    );
  });

  it('spool-and-dead-letters.ts keeps a rejected event as a dead letter that `send` delivers once fixed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ctl-example-spool-'));
    try {
      const deadLetterPath = join(dir, 'dead-letters.jsonl');
      const result = await runNode('examples/spool-and-dead-letters.ts', [], {
        env: exampleEnv({
          AUDIT_SPOOL_DIRECTORY: join(dir, 'spool'),
          AUDIT_DEAD_LETTER_PATH: deadLetterPath,
        }),
      });
      expect(result.code).toBe(0);
      expect(eventsNamed('Checkout').map((event) => event.eventData['userIdentity'])).toEqual([
        { type: 'Customer', principalId: 'alice' },
      ]);
      const lines = (await readFile(deadLetterPath, 'utf8')).trim().split('\n');
      expect(lines).toHaveLength(1);
      const deadLetter = JSON.parse(lines[0]!) as {
        id: string;
        eventData: { userIdentity: Record<string, unknown>; UID: string };
        reason: { code: string; field: string };
      };
      expect(deadLetter.reason).toMatchObject({
        code: 'CTL_ERR_FIELD_MISSING',
        field: 'userIdentity.principalId',
      });
      expect(deadLetter.eventData.UID).toBe('checkout-without-user');

      deadLetter.eventData.userIdentity['principalId'] = 'bob';
      const fixed = join(dir, 'fixed.jsonl');
      await writeFile(fixed, `${JSON.stringify(deadLetter)}\n`);
      const sent = await runCliProcess(['send', fixed], { env: exampleEnv() });
      expect(sent.stdout).toContain('1 accepted, 0 rejected, 0 failed');
      expect(sent.code).toBe(0);
      const resent = eventsNamed('Checkout').find(
        (event) => event.eventData['UID'] === 'checkout-without-user',
      );
      expect(resent?.eventData['userIdentity']).toEqual({ type: 'Customer', principalId: 'bob' });
      const ids = emulator
        .received()
        .flatMap((request) => request.auditEvents ?? [])
        .map((entry) => entry.id);
      expect(ids).toContain(deadLetter.id);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('http-service audits each request and flushes on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/http-service/server.ts'], {
      cwd: REPO_ROOT,
      env: exampleEnv({ PORT: '0' }),
    });
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(stdout);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.on('close', () => reject(new Error(`server exited early: ${stdout}`)));
    });
    const bob = await fetch(`${url}/documents/42`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer user:bob' },
    });
    const alice = await fetch(`${url}/documents/42`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer user:alice' },
    });
    expect([bob.status, alice.status]).toEqual([403, 204]);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    // Nothing is sent yet (the processor batches for a second); SIGTERM must flush it.
    child.kill('SIGTERM');
    await closed;
    const deletes = eventsNamed('DeleteDocument');
    expect(deletes.map((event) => [event.eventData['userIdentity'], event.eventData['errorCode']])).toEqual([
      [{ type: 'Employee', principalId: 'bob' }, 'HTTP403'],
      [{ type: 'Employee', principalId: 'alice' }, undefined],
    ]);
    expect(deletes[0]?.eventData['requestParameters']).toMatchObject({
      id: '42',
      authorization: REDACTED_VALUE,
    });
  });
});
