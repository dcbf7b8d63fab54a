// The bridge's `routes` from its YAML config: records routed by a resource attribute (and by a record
// attribute) to their channels on the emulator, the rest to the exporter's channelArn, /metrics counting
// each channel apart, and invalid rules refused at start naming the rule and field. Routing through one
// exporter: test/integration/exporter-routing.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { loadBridgeConfigFile, resolveBridgeOptions, startBridge } from '../../src/bridge/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { ConfigError } from '../../src/errors.js';
import { TEST_CREDENTIALS, auditRecord, post, tempFile, text } from './bridge-harness.js';

const DEFAULT_CHANNEL = 'arn:aws:cloudtrail:us-east-1:123456789012:channel/default';
const BILLING = 'arn:aws:cloudtrail:us-east-1:123456789012:channel/billing';
const TENANT_7 = 'arn:aws:cloudtrail:us-east-1:123456789012:channel/tenant-7';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** One OTLP JSON request with a resource per service, each with its records. */
function request(services: Record<string, Array<Record<string, unknown>>>): string {
  return JSON.stringify({
    resourceLogs: Object.entries(services).map(([service, records]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeLogs: [{ scope: { name: 'routing-test' }, logRecords: records }],
    })),
  });
}

function withId(id: string, extra: Array<Record<string, unknown>> = []) {
  return auditRecord('Routed', [{ key: 'audit.id', value: { stringValue: id } }, ...extra]);
}

describe('bridge routes', () => {
  it('routes by resource and record attributes from the YAML config, and the rest to channelArn', async () => {
    const emulator = await startEmulator({
      port: 0,
      channels: [
        { channelArn: DEFAULT_CHANNEL },
        { channelArn: BILLING, externalId: 'billing-external-id' },
        { channelArn: TENANT_7 },
      ],
    });
    cleanups.push(() => emulator.close());
    const path = await tempFile(
      'bridge.yaml',
      [
        'bridge:',
        '  routes:',
        '    - match: { resource: { service.name: billing } }',
        `      channelArn: ${BILLING}`,
        '      externalId: billing-external-id',
        '    - match: { attributes: { tenant.id: 7 } }',
        `      channelArn: ${TENANT_7}`,
        'exporter:',
        `  channelArn: ${DEFAULT_CHANNEL}`,
        `  endpoint: ${emulator.url}`,
      ].join('\n'),
      (cleanup) => cleanups.push(cleanup),
    );
    const config = await loadBridgeConfigFile(path);
    const bridge = await startBridge(
      {
        ...config,
        port: 0,
        exporterOptions: { ...config.exporterOptions, credentials: TEST_CREDENTIALS },
      },
      {},
    );
    cleanups.push(async () => void (await bridge.close()));

    const tenant7 = [{ key: 'tenant.id', value: { intValue: '7' } }];
    const response = await post(
      bridge.logsUrl,
      request({
        billing: [withId('bill-1'), withId('bill-2', tenant7)],
        shop: [withId('shop-1'), withId('shop-tenant-7', tenant7)],
      }),
      { 'content-type': 'application/json' },
    );
    expect(response.status).toBe(200);
    await bridge.drain();

    const storedOn = (channelArn: string) =>
      emulator
        .events()
        .filter((event) => event.metadata.channelARN === channelArn)
        .map((event) => event.eventData['UID'])
        .sort();
    // The first matching rule wins: billing's tenant-7 record goes to billing.
    expect(storedOn(BILLING)).toEqual(['bill-1', 'bill-2']);
    expect(storedOn(TENANT_7)).toEqual(['shop-tenant-7']);
    expect(storedOn(DEFAULT_CHANNEL)).toEqual(['shop-1']);
    expect(emulator.received().every((r) => r.statusCode === 200)).toBe(true);
  });

  it("gives a routed channel's events its owner's account as recipientAccountId, as prepared on receipt", async () => {
    const partner = 'arn:aws:cloudtrail:us-east-1:444455556666:channel/partner';
    const emulator = await startEmulator({
      port: 0,
      channels: [{ channelArn: DEFAULT_CHANNEL }, { channelArn: partner }],
    });
    cleanups.push(() => emulator.close());
    const bridge = await startBridge(
      {
        port: 0,
        routes: [{ match: { resource: { 'service.name': 'partner' } }, channelArn: partner }],
        exporterOptions: {
          channelArn: DEFAULT_CHANNEL,
          endpoint: emulator.url,
          credentials: TEST_CREDENTIALS,
        },
      },
      {},
    );
    cleanups.push(async () => void (await bridge.close()));

    // Without an audit.recipient_account_id of their own, the records take their channel's account.
    const unaddressed = (id: string) => {
      const record = withId(id);
      const attributes = record.attributes.filter((a) => a['key'] !== 'audit.recipient_account_id');
      return { ...record, attributes };
    };
    const response = await post(
      bridge.logsUrl,
      request({ partner: [unaddressed('partner-1')], shop: [unaddressed('shop-1')] }),
      { 'content-type': 'application/json' },
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(text(response.bytes))).toEqual({});
    await bridge.drain();

    const accountOf = Object.fromEntries(
      emulator.events().map((event) => [event.eventData['UID'], event.eventData['recipientAccountId']]),
    );
    expect(accountOf).toEqual({ 'partner-1': '444455556666', 'shop-1': '123456789012' });

    // /metrics tells the channels apart: one record and one request each.
    const metrics = await (await fetch(`${bridge.url}/metrics`)).text();
    for (const channelArn of [partner, DEFAULT_CHANNEL]) {
      const labels = `channel_arn="${channelArn}"`;
      expect(metrics).toContain(
        `otel_cloudtrail_lake_bridge_channel_records_total{${labels},outcome="exported"} 1\n`,
      );
      expect(metrics).toContain(
        `otel_cloudtrail_lake_bridge_channel_records_total{${labels},outcome="rejected"} 0\n`,
      );
      expect(metrics).toContain(`otel_cloudtrail_lake_bridge_channel_requests_total{${labels}} 1\n`);
    }
  });

  it.each([
    [
      { match: { resource: { 'service.name': 'x' } }, channelArn: 'billing' },
      'routes[1].channelArn',
      /got `billing`/,
    ],
    [{ match: {}, channelArn: BILLING }, 'routes[1].match', /at least one attribute/],
    [
      { match: { resource: { 'service.name': ['x'] } }, channelArn: BILLING },
      'routes[1].match.resource.service.name',
      /string, number or boolean/,
    ],
    [
      { match: { resource: { a: 'b' } }, channelArn: BILLING, externalId: 'x' },
      'routes[1].externalId',
      /got 1 characters/,
    ],
    [
      { match: { resource: { a: 'b' } }, channelArn: BILLING, channel: 'typo' },
      'routes[1].channel',
      /Unknown key/,
    ],
  ])('refuses at start an invalid rule, naming its index and field (%#)', (rule, option, message) => {
    const good = { match: { resource: { 'service.name': 'billing' } }, channelArn: BILLING };
    let thrown: unknown;
    try {
      resolveBridgeOptions({ routes: [good, rule] as never }, {});
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown).toMatchObject({ option, message: expect.stringMatching(message) as unknown });
  });
});
