// Recipes for common Node set-ups, run in-process against an emulator on port 0: an AWS Lambda handler
// that flushes per invocation and an Express middleware. The packed-tarball tests cover the zero-code
// `register` entry, CommonJS apps and winston; examples.test.ts runs the other examples as child processes.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator, type StoredEvent } from '../../src/emulator/index.js';

let emulator: Emulator;

function eventsNamed(eventName: string): StoredEvent[] {
  return emulator.events().filter((event) => event.eventData['eventName'] === eventName);
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, log: () => undefined });
  // The recipes build their exporters from the environment at import, as in production.
  vi.stubEnv('OTEL_EXPORTER_CLOUDTRAIL_LAKE_ENDPOINT', emulator.url);
  vi.stubEnv('OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN', emulator.channelArn);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'example');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'example');
  vi.stubEnv('AWS_REGION', emulator.region);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await emulator.close();
});

describe('recipes', () => {
  it('the Lambda handler has delivered its event when the invocation returns', async () => {
    const { handler } = await import('../../examples/lambda/handler.js');
    const invocation = {
      httpMethod: 'DELETE',
      path: '/orders/o-1',
      pathParameters: { orderId: 'o-1' },
      requestContext: {
        requestId: 'req-1',
        identity: { sourceIp: '198.51.100.7', userAgent: 'curl/8' },
        authorizer: { principalId: 'alice' },
      },
    };
    expect(await handler(invocation)).toMatchObject({ statusCode: 200 });
    // No flush or shutdown here: a frozen Lambda environment would never get one.
    const [event] = eventsNamed('CancelOrder');
    expect(event?.eventData).toMatchObject({
      eventSource: 'orders.example.com',
      userIdentity: { type: 'Customer', principalId: 'alice' },
      sourceIPAddress: '198.51.100.7',
      requestParameters: { orderId: 'o-1', requestId: 'req-1' },
    });

    await handler({ ...invocation, pathParameters: null });
    expect(eventsNamed('CancelOrder').at(-1)?.eventData['errorCode']).toBe('ValidationError');
  });

  it('the Express middleware writes one event per audited request, with the outcome', async () => {
    const { listen, provider } = await import('../../examples/express/app.js');
    const server = await listen(0);
    try {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      const base = `http://127.0.0.1:${address.port}`;
      const allowed = await fetch(`${base}/invoices/inv-7`, {
        method: 'DELETE',
        headers: { 'x-user': 'bob' },
      });
      const refused = await fetch(`${base}/invoices/inv-8`, { method: 'DELETE' });
      expect([allowed.status, refused.status]).toEqual([204, 403]);
      await provider.forceFlush();
      const events = eventsNamed('DeleteInvoice');
      expect(events.map((event) => event.eventData['requestParameters'])).toEqual([
        { invoiceId: 'inv-7' },
        { invoiceId: 'inv-8' },
      ]);
      expect(events[0]?.eventData).toMatchObject({
        eventSource: 'invoices.example.com',
        userIdentity: { type: 'Employee', principalId: 'bob' },
      });
      expect(events[0]?.eventData['errorCode']).toBeUndefined();
      expect(events[1]?.eventData['errorCode']).toBe('HTTP403');
    } finally {
      server.close();
      await provider.shutdown();
    }
  });
});
