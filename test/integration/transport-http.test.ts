// Covers the signed HTTP transport against the real emulator on 127.0.0.1 port 0: accepted requests,
// wrong secrets, externalId, bare channel ids, 429 + Retry-After through the retrying transport, timeouts,
// expired session tokens, and the plug-in transport. Credential sources are in transport-credentials.test.ts.
import { createHash, randomUUID } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Agent, type Dispatcher } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NodeSha256 } from '../helpers/node-sha256.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { ERROR_CODES, NetworkError, ServiceError, TimeoutError } from '../../src/errors.js';
import type { PreparedEvent } from '../../src/mapping/audit-event.js';
import type { HttpTransportOptions } from '../../src/transport/http-transport.js';
import { createTestHttpTransport } from '../helpers/http-transport.js';
import { likelyFix } from '../../src/transport/is-retryable.js';
import { createPluginTransport } from '../../src/transport/plugin-transport.js';
import { createRetryingTransport } from '../../src/transport/retrying-transport.js';
import type { PreparedRequest, PutAuditEventsFunction, Transport } from '../../src/transport/transport.js';

const ACCOUNT = '111122223333';
const CREDENTIALS = { accessKeyId: 'AKIDTRANSPORTTEST', secretAccessKey: 'transport-test-secret' };

function auditEventEntry(accountId: string, eventName = 'CreateWidget'): PreparedEvent {
  const id = randomUUID();
  const eventData = JSON.stringify({
    version: '1.0',
    userIdentity: { type: 'User', principalId: 'alice' },
    eventSource: 'widgets.example.com',
    eventName,
    eventTime: '2026-11-21T09:30:00Z',
    UID: id,
    recipientAccountId: accountId,
    additionalEventData: { note: 'Grüße, "quoted" \\ back' },
  });
  const eventDataChecksum = createHash('sha256').update(eventData, 'utf8').digest('base64');
  const entryJson = JSON.stringify({ id, eventData, eventDataChecksum });
  return { id, eventData, eventDataChecksum, entryJson, entryBytes: Buffer.byteLength(entryJson) };
}

function prepareRequest(events: PreparedEvent[]): PreparedRequest {
  const body = `{"auditEvents":[${events.map((event) => event.entryJson).join(',')}]}`;
  return { events, body, bodyBytes: Buffer.byteLength(body) };
}

const open: Array<Emulator | Transport> = [];
afterEach(async () => {
  for (const item of open.splice(0)) await ('send' in item ? item.shutdown() : item.close());
});

async function emulator(options: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator> {
  const started = await startEmulator({
    port: 0,
    credentials: [{ ...CREDENTIALS, accountId: ACCOUNT }],
    log: () => undefined,
    ...options,
  });
  open.push(started);
  return started;
}

function transport(
  server: Emulator,
  options: Partial<HttpTransportOptions> = {},
): ReturnType<typeof createTestHttpTransport> {
  const created = createTestHttpTransport({
    channelArn: server.channelArn,
    endpoint: server.url,
    credentials: CREDENTIALS,
    env: {},
    ...options,
  });
  open.push(created);
  return created;
}

const signal = (): AbortSignal => new AbortController().signal;

describe('createHttpTransport against the emulator', () => {
  it('sends a signed request that the emulator accepts and stores verbatim', async () => {
    const server = await emulator();
    const events = [auditEventEntry(ACCOUNT), auditEventEntry(ACCOUNT, 'DeleteWidget')];
    const result = await transport(server).send(prepareRequest(events), signal());
    expect(result.status).toBe('success');
    if (result.status !== 'success') return;
    expect(result.response.successful.map((entry) => entry.id)).toEqual(events.map((event) => event.id));
    expect(result.response.failed).toEqual([]);
    const [received] = server.received();
    expect(received?.auditEvents).toEqual(
      events.map(({ id, eventData, eventDataChecksum }) => ({ id, eventData, eventDataChecksum })),
    );
    expect(received?.accessKeyId).toBe(CREDENTIALS.accessKeyId);
    expect(server.events()).toHaveLength(2);
  });

  it('reports a wrong secret as a permanent InvalidSignatureException, without the secret', async () => {
    const server = await emulator();
    const wrong = { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' };
    const sender = transport(server, { credentials: wrong });
    const result = await sender.send(prepareRequest([auditEventEntry(ACCOUNT)]), signal());
    expect(result.status).toBe('failure');
    const error = result.status === 'failure' ? result.error : undefined;
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).awsErrorCode).toBe('InvalidSignatureException');
    expect((error as ServiceError).code).toBe(ERROR_CODES.SERVICE);
    expect(error?.message).toMatch(
      /^PutAuditEvents failed with \d{3} InvalidSignatureException: POST http:\/\/127\.0\.0\.1:\d+\/PutAuditEvents/,
    );
    expect(error?.message).toContain(sender.url);
    expect(error?.message).not.toContain('not-the-secret');
    expect(likelyFix(error)).toMatch(/secret access key/);
  });

  it('puts externalId in the query string, and the channel refuses a request without it', async () => {
    const channelArn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:channel/with-external-id`;
    const server = await emulator({ channels: [{ channelArn, externalId: 'tenant=42/a' }] });
    const withId = await transport(server, { channelArn, externalId: 'tenant=42/a' }).send(
      prepareRequest([auditEventEntry(ACCOUNT)]),
      signal(),
    );
    expect(withId.status).toBe('success');
    expect(server.received()[0]?.externalId).toBe('tenant=42/a');
    expect(server.received()[0]?.channelArn).toBe(channelArn);

    const without = await transport(server, { channelArn }).send(
      prepareRequest([auditEventEntry(ACCOUNT)]),
      signal(),
    );
    expect(without.status).toBe('failure');
    expect(without.status === 'failure' && (without.error as ServiceError).awsErrorCode).toBe(
      'ChannelInsufficientPermission',
    );
  });

  it('sends to a bare channel id given with an explicit region', async () => {
    const server = await emulator();
    const channelId = server.channelArn.split('/').at(-1) as string;
    const bare = transport(server, { channelArn: channelId, region: server.region });
    expect(bare.channel.accountId).toBeUndefined();
    expect((await bare.send(prepareRequest([auditEventEntry(ACCOUNT)]), signal())).status).toBe('success');
    expect(server.received()[0]?.channelArn).toBe(channelId);

    const completed = transport(server, { channelArn: channelId, region: server.region, accountId: ACCOUNT });
    expect((await completed.send(prepareRequest([auditEventEntry(ACCOUNT)]), signal())).status).toBe(
      'success',
    );
    expect(server.received()[1]?.channelArn).toBe(server.channelArn);
  });

  it('classifies throttling as retryable with Retry-After, and the retrying transport honours it', async () => {
    const server = await emulator({
      faults: { script: [{ kind: 'throttle', status: 429, retryAfterSeconds: 1 }] },
    });
    const inner = transport(server);
    const first = await inner.send(prepareRequest([auditEventEntry(ACCOUNT)]), signal());
    expect(first).toMatchObject({ status: 'retryable', throttled: true, retryAfterMillis: 1_000 });

    server.setFaults({ script: [{ kind: 'throttle', status: 429, retryAfterSeconds: 1 }] });
    const retrying = createRetryingTransport(inner, { random: () => 0 });
    const started = Date.now();
    const result = await retrying.send(prepareRequest([auditEventEntry(ACCOUNT)]), signal());
    expect(result).toMatchObject({ status: 'success', attempts: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    const times = server
      .received()
      .slice(-2)
      .map((request) => request.receivedAtMillis);
    expect((times[1] as number) - (times[0] as number)).toBeGreaterThanOrEqual(990);
  });

  it('classifies a 503 as retryable and not throttled', async () => {
    const server = await emulator({ faults: { script: [{ kind: 'server-error', status: 503 }] } });
    const result = await transport(server).send(prepareRequest([auditEventEntry(ACCOUNT)]), signal());
    expect(result).toMatchObject({ status: 'retryable', throttled: false });
  });

  it('classifies a timed-out attempt as retryable', async () => {
    const server = await emulator({ faults: { script: [{ kind: 'pass', latencyMillis: 1_500 }] } });
    const result = await transport(server, { requestTimeoutMillis: 100 }).send(
      prepareRequest([auditEventEntry(ACCOUNT)]),
      signal(),
    );
    expect(result.status).toBe('retryable');
    const error = result.status === 'retryable' ? result.error : undefined;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error?.message).toMatch(/timed out after 100 ms: POST http:\/\/127\.0\.0\.1/);
  });

  it('classifies a refused connection as a retryable network error', async () => {
    const server = await emulator();
    const url = server.url;
    await server.close();
    open.splice(open.indexOf(server), 1);
    const sender = createTestHttpTransport({
      channelArn: server.channelArn,
      endpoint: url,
      credentials: CREDENTIALS,
      env: {},
    });
    open.push(sender);
    const result = await sender.send(prepareRequest([auditEventEntry(ACCOUNT)]), signal());
    expect(result.status).toBe('retryable');
    expect(result.status === 'retryable' && result.error).toBeInstanceOf(NetworkError);
    expect(result.status === 'retryable' && (result.error as NetworkError).errno).toBe('ECONNREFUSED');
  });

  it('refreshes an expired session token once and resends', async () => {
    const expired = { accessKeyId: 'ASIAEXPIRED', secretAccessKey: 'old-secret', sessionToken: 'old-token' };
    const fresh = { accessKeyId: 'ASIAFRESH', secretAccessKey: 'new-secret', sessionToken: 'new-token' };
    const server = await emulator({
      credentials: [
        { ...expired, accountId: ACCOUNT, expiresAtMillis: Date.now() - 1 },
        { ...fresh, accountId: ACCOUNT },
      ],
    });
    const calls: Array<boolean | undefined> = [];
    const provider = (options?: { forceRefresh?: boolean }): Promise<typeof fresh> => {
      calls.push(options?.forceRefresh);
      return Promise.resolve(options?.forceRefresh === true ? fresh : expired);
    };
    const result = await transport(server, { credentials: provider }).send(
      prepareRequest([auditEventEntry(ACCOUNT)]),
      signal(),
    );
    expect(result.status).toBe('success');
    expect(calls).toEqual([undefined, true]);
    const received = server.received();
    expect(received.map((request) => request.errorType)).toEqual(['ExpiredTokenException', undefined]);
    expect(received[1]?.accessKeyId).toBe('ASIAFRESH');
  });

  it('stops at once when the caller aborts, leaving the request retryable', async () => {
    const server = await emulator({ faults: { latencyMillis: 5_000 } });
    const controller = new AbortController();
    const pending = transport(server).send(prepareRequest([auditEventEntry(ACCOUNT)]), controller.signal);
    setTimeout(() => controller.abort(new Error('export deadline')), 50);
    const result = await pending;
    // The service would have answered success after its latency: retryable means the abort ended the wait.
    expect(result.status).toBe('retryable');
    expect(result.status === 'retryable' && result.error.message).toMatch(/aborted by the caller/);
  });

  it('never sends a request whose caller aborted while it waited for a connection', async () => {
    const server = await emulator({ faults: { script: [{ kind: 'pass', latencyMillis: 300 }] } });
    // One connection, so the second request waits in the dispatcher's queue behind the slow first one.
    const dispatched: unknown[] = [];
    const dispatcher = new (class extends Agent {
      override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
        dispatched.push(options);
        return super.dispatch(options, handler);
      }
    })({ connections: 1 });
    const sender = transport(server, { dispatcher });
    const [first, queued, last] = ['First', 'Queued', 'Last'].map((name) =>
      prepareRequest([auditEventEntry(ACCOUNT, name)]),
    ) as [PreparedRequest, PreparedRequest, PreparedRequest];
    const pendingFirst = sender.send(first, signal());
    const controller = new AbortController();
    const pendingQueued = sender.send(queued, controller.signal);
    await vi.waitFor(() => expect(dispatched).toHaveLength(2));
    controller.abort(new Error('export deadline'));
    expect((await pendingQueued).status).toBe('retryable');
    expect((await pendingFirst).status).toBe('success');
    // The connection serves its queue in order: once the last request is answered, the aborted one is settled.
    expect((await sender.send(last, signal())).status).toBe('success');
    const sentIds = server
      .received()
      .flatMap((request) => request.auditEvents?.map((event) => event.id) ?? []);
    expect(sentIds).toEqual([first.events[0]?.id, last.events[0]?.id]);
    await dispatcher.close();
  });
});

/** A stand-in for the official SDK client: its own signer and fetch, and errors shaped like SDK v3's. */
function sdkLikePutAuditEvents(server: Emulator, credentials: typeof CREDENTIALS): PutAuditEventsFunction {
  const signer = new SignatureV4({
    service: 'cloudtrail-data',
    region: server.region,
    credentials,
    sha256: NodeSha256,
  });
  return async (input, { abortSignal }) => {
    const url = new URL(`${server.url}/PutAuditEvents`);
    const query: Record<string, string> = { channelArn: input.channelArn };
    if (input.externalId !== undefined) query['externalId'] = input.externalId;
    const body = JSON.stringify({ auditEvents: input.auditEvents });
    const signed = await signer.sign(
      new HttpRequest({
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        query,
        headers: { host: url.host, 'content-type': 'application/json' },
        body,
      }),
    );
    url.search = new URLSearchParams(query).toString();
    const response = await fetch(url, { method: 'POST', headers: signed.headers, body, signal: abortSignal });
    const parsed = (await response.json()) as Record<string, unknown>;
    if (response.ok) return parsed;
    const name = String(response.headers.get('x-amzn-errortype') ?? parsed['__type']).split(':')[0] as string;
    throw Object.assign(new Error(String(parsed['message'])), {
      name,
      $metadata: {
        httpStatusCode: response.status,
        requestId: response.headers.get('x-amzn-requestid') ?? undefined,
      },
      ...(response.status === 429 ? { $retryable: { throttling: true } } : {}),
    });
  };
}

describe('createPluginTransport', () => {
  it('sends the wire fields only through the user function and reports success', async () => {
    const server = await emulator();
    const events = [auditEventEntry(ACCOUNT)];
    let seen: unknown;
    const putAuditEvents: PutAuditEventsFunction = (input, options) => {
      seen = input;
      return sdkLikePutAuditEvents(server, CREDENTIALS)(input, options);
    };
    const result = await createPluginTransport({ putAuditEvents, channelArn: server.channelArn }).send(
      prepareRequest(events),
      signal(),
    );
    expect(result.status).toBe('success');
    expect(seen).toEqual({
      channelArn: server.channelArn,
      auditEvents: events.map(({ id, eventData, eventDataChecksum }) => ({
        id,
        eventData,
        eventDataChecksum,
      })),
    });
    expect(server.events()).toHaveLength(1);
  });

  it('classifies SDK-style errors by name and status', async () => {
    const server = await emulator({ faults: { script: [{ kind: 'throttle', status: 429 }] } });
    const plugin = createPluginTransport({
      putAuditEvents: sdkLikePutAuditEvents(server, CREDENTIALS),
      channelArn: server.channelArn,
    });
    const throttled = await plugin.send(prepareRequest([auditEventEntry(ACCOUNT)]), signal());
    expect(throttled).toMatchObject({ status: 'retryable', throttled: true });

    const denied = createPluginTransport({
      putAuditEvents: sdkLikePutAuditEvents(server, { ...CREDENTIALS, secretAccessKey: 'wrong' }),
      channelArn: server.channelArn,
    });
    const failure = await denied.send(prepareRequest([auditEventEntry(ACCOUNT)]), signal());
    expect(failure.status).toBe('failure');
    expect(failure.status === 'failure' && (failure.error as ServiceError).awsErrorCode).toBe(
      'InvalidSignatureException',
    );
  });
});
