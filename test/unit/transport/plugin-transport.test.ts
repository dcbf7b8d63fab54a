// Covers how the plug-in transport reads errors thrown by a user's client (AWS SDK v3 shapes: name,
// $metadata, $retryable, $response headers, Node errno). A round trip through the emulator is in
// test/integration/transport-http.test.ts.
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, NetworkError, ServiceError, type CloudTrailLakeError } from '../../../src/errors.js';
import { classifyThrown, createPluginTransport } from '../../../src/transport/plugin-transport.js';
import type { PreparedRequest } from '../../../src/transport/transport.js';

function sdkError(name: string, status: number | undefined, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), {
    name,
    ...(status === undefined ? {} : { $metadata: { httpStatusCode: status, requestId: 'r-1' } }),
    ...extra,
  });
}

describe('classifyThrown', () => {
  it('reads a throttling error with Retry-After from $response', () => {
    const result = classifyThrown(
      sdkError('ThrottlingException', 400, {
        $retryable: { throttling: true },
        $response: { headers: { 'retry-after': '2' } },
      }),
      0,
    );
    expect(result).toMatchObject({ status: 'retryable', throttled: true, retryAfterMillis: 2_000 });
    expect(result.status === 'retryable' && result.error).toBeInstanceOf(ServiceError);
  });

  it('treats a permanent AWS error as failure, keeping name, status and request id', () => {
    const result = classifyThrown(sdkError('ChannelNotFound', 400), 0);
    expect(result.status).toBe('failure');
    const error = result.status === 'failure' ? (result.error as ServiceError) : undefined;
    expect(error).toMatchObject({
      awsErrorCode: 'ChannelNotFound',
      statusCode: 400,
      requestId: 'r-1',
      code: ERROR_CODES.SERVICE,
    });
    expect(error?.message).toBe(
      'PutAuditEvents failed with 400 ChannelNotFound (putAuditEvents plug-in): ChannelNotFound happened',
    );
  });

  it('marks DuplicatedAuditEventId as a bug', () => {
    const result = classifyThrown(sdkError('DuplicatedAuditEventId', 400), 0);
    expect(result.status === 'failure' && (result.error as ServiceError).code).toBe(ERROR_CODES.BUG);
  });

  it('retries what the SDK marked $retryable even under an unknown name', () => {
    expect(classifyThrown(sdkError('SomethingNew', 400, { $retryable: {} }), 0)).toMatchObject({
      status: 'retryable',
      throttled: false,
    });
  });

  it('retries 5xx by status and network errors by errno', () => {
    expect(classifyThrown(sdkError('UnknownError', 502), 0).status).toBe('retryable');
    const network = classifyThrown(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 0);
    expect(network.status).toBe('retryable');
    expect(network.status === 'retryable' && network.error).toBeInstanceOf(NetworkError);
    expect(classifyThrown(sdkError('TimeoutError', undefined), 0).status).toBe('retryable');
  });
});

describe('createPluginTransport', () => {
  const request: PreparedRequest = {
    events: [{ id: 'a', eventData: '{}', eventDataChecksum: 'c', entryJson: '{"id":"a"}', entryBytes: 10 }],
    body: '{"auditEvents":[{"id":"a"}]}',
    bodyBytes: 28,
  };

  it('passes externalId and the abort signal through', async () => {
    let seen: unknown;
    const controller = new AbortController();
    const transport = createPluginTransport({
      channelArn: 'arn:x',
      externalId: 'ext-1',
      putAuditEvents: (input, options) => {
        seen = { input, aborted: options.abortSignal === controller.signal };
        return Promise.resolve({ successful: [{ id: 'a', eventID: 'e' }], failed: [] });
      },
    });
    expect(await transport.send(request, controller.signal)).toMatchObject({ status: 'success' });
    expect(seen).toEqual({
      input: {
        channelArn: 'arn:x',
        externalId: 'ext-1',
        auditEvents: [{ id: 'a', eventData: '{}', eventDataChecksum: 'c' }],
      },
      aborted: true,
    });
  });

  it('fails when the function resolves to something that is not a response', async () => {
    const transport = createPluginTransport({
      channelArn: 'arn:x',
      putAuditEvents: () => Promise.resolve(42 as never),
    });
    const result = await transport.send(request, new AbortController().signal);
    expect(result.status).toBe('failure');
    expect(result.status === 'failure' && (result.error as CloudTrailLakeError).code).toBe(
      ERROR_CODES.EXPORT_FAILED,
    );
  });

  it('reports an abort by the caller as retryable', async () => {
    const controller = new AbortController();
    const transport = createPluginTransport({
      channelArn: 'arn:x',
      putAuditEvents: (_input, { abortSignal }) =>
        new Promise((_resolve, reject) =>
          abortSignal.addEventListener('abort', () =>
            reject(Object.assign(new Error('aborted'), { name: 'AbortError' })),
          ),
        ),
    });
    const pending = transport.send(request, controller.signal);
    controller.abort();
    expect(await pending).toMatchObject({ status: 'retryable', throttled: false });
  });
});
