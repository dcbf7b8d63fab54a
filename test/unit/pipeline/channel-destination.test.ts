// Routing decisions in isolation: what a `channelArn` function may return, the typed error for anything
// else, the route kept by the spool codec, and one resolved endpoint per Region. The end-to-end routing
// through the exporter and the emulator is in test/integration/exporter-routing.test.ts.
import { describe, expect, it } from 'vitest';
import { RoutingError } from '../../../src/errors.js';
import type { AuditLogRecord } from '../../../src/mapping/audit-log-record.js';
import { resolveExporterOptions } from '../../../src/options.js';
import { decideDestination } from '../../../src/pipeline/channel-destination.js';
import { decideEntry } from '../../../src/pipeline/decide-entry.js';
import { decodeSpoolRecord, encodeSpoolRecord } from '../../../src/spool/record-codec.js';

const ARN = 'arn:aws:cloudtrail:us-east-1:111122223333:channel/tenant-a';
const EU_ARN = 'arn:aws:cloudtrail:eu-west-1:111122223333:channel/tenant-eu';

const record: AuditLogRecord = {
  hrTime: [1_700_000_000, 0],
  hrTimeObserved: [1_700_000_000, 0],
  attributes: { 'audit.event_name': 'Login', 'tenant.id': 'a' },
  resource: { attributes: { 'service.name': 'svc' } },
  instrumentationScope: { name: 'test' },
};

describe('decideDestination', () => {
  it('accepts a channel ARN, or the ARN with its externalId', () => {
    expect(decideDestination(record, () => ARN, 'id-1')).toEqual({ channelArn: ARN });
    expect(decideDestination(record, () => ({ channelArn: ARN, externalId: 'ext-id-1' }), 'id-1')).toEqual({
      channelArn: ARN,
      externalId: 'ext-id-1',
    });
  });

  it.each([
    ['a bare channel id', () => 'tenant-a', 'channelArn', /got `tenant-a`/],
    ['a malformed ARN', () => 'arn:aws:s3:::bucket', 'channelArn', /got `arn:aws:s3:::bucket`/],
    ['undefined', () => undefined, 'channelArn', /to return a channel ARN or \{ channelArn, externalId \}/],
    ['an object without channelArn', () => ({ arn: ARN }), 'channelArn', /full channel ARN/],
    [
      'a bad externalId',
      () => ({ channelArn: ARN, externalId: 'x' }),
      'channelArn().externalId',
      /got 1 characters/,
    ],
  ])('rejects %s with a RoutingError naming the field and the value', (_, route, field, message) => {
    const result = decideDestination(record, route as never, 'id-2');
    expect(result).toBeInstanceOf(RoutingError);
    expect(result).toMatchObject({ code: 'CTL_ERR_ROUTE', eventId: 'id-2', field });
    expect((result as RoutingError).message).toMatch(message);
  });

  it('never prints the externalId itself, only its length', () => {
    const secret = 'a'.repeat(1300);
    const result = decideDestination(record, () => ({ channelArn: ARN, externalId: secret }), 'id-3');
    expect((result as RoutingError).message).not.toContain(secret);
  });

  it('turns a throwing function into a rejection of that record, at entry', () => {
    const decision = decideEntry(
      record,
      undefined,
      () => 'id-4',
      () => {
        throw new Error('tenant unknown');
      },
    );
    expect(decision.kind).toBe('rejected');
    expect(decision).toMatchObject({
      error: { code: 'CTL_ERR_ROUTE', message: expect.stringContaining('tenant unknown') as unknown },
    });
  });

  it('carries the route in the entry it decides', () => {
    const decision = decideEntry(
      record,
      undefined,
      () => 'id-5',
      () => ARN,
    );
    expect(decision).toMatchObject({ kind: 'entry', entry: { id: 'id-5', route: { channelArn: ARN } } });
  });
});

describe('the spool codec', () => {
  it('keeps the route of a record, so a replay goes to the same channel', () => {
    const route = { channelArn: ARN, externalId: 'ext-id-1' };
    const decoded = decodeSpoolRecord(encodeSpoolRecord('id-6', record, 1, 'mapped', route));
    expect(decoded?.route).toEqual(route);
    expect(decodeSpoolRecord(encodeSpoolRecord('id-7', record, 1))?.route).toBeUndefined();
  });
});

describe('resolved options with a channelArn function', () => {
  it('resolves one endpoint per Region and gives each channel its own ARN and externalId', () => {
    const options = resolveExporterOptions(
      { channelArn: () => ARN, credentials: { accessKeyId: 'AKID', secretAccessKey: 's' } },
      {},
    );
    expect(options.channel).toBeUndefined();
    expect(options.route).toBeTypeOf('function');
    const httpFor = options.httpFor!;
    const parse = (arn: string, externalId?: string) => {
      const [, partition = '', , region = '', accountId = '', rest = ''] = arn.split(':');
      return { channel: { arn, partition, region, accountId, channelId: rest.slice(8) }, externalId };
    };
    const a = httpFor(parse(ARN, 'ext-id-1'));
    const b = httpFor(parse(ARN.replace('tenant-a', 'tenant-b')));
    const eu = httpFor(parse(EU_ARN));
    expect(a.endpoint.host).toBe('cloudtrail-data.us-east-1.amazonaws.com');
    expect(eu.endpoint.host).toBe('cloudtrail-data.eu-west-1.amazonaws.com');
    // Resolved once per Region: channels of one Region share the same endpoint object.
    expect(b.endpoint).toBe(a.endpoint);
    expect(a.externalId).toBe('ext-id-1');
    expect(b.channel.arn).toBe(ARN.replace('tenant-a', 'tenant-b'));
  });
});
