// The pure pipeline of one export call, prepareAuditEvents: filtering and the skipped count, ids carried
// by entries across retries, user filter/mapRecord (throwing, changing, returning non-JSON), isolation of bad records,
// maxRequestBytes and option checking. Field-by-field mapping is in test/unit/mapping/to-event-data.test.ts.
import { describe, expect, it } from 'vitest';
import { ConfigError, EventTooLargeError, MappingError, ValidationError } from '../../src/errors.js';
import type { AuditLogRecord } from '../../src/mapping/audit-log-record.js';
import {
  checkPrepareOptions,
  prepareAuditEvents,
  type PrepareOptions,
} from '../../src/prepare-audit-events.js';
import { mapEntries } from '../../src/pipeline/map-entries.js';

const audit = {
  'audit.user_identity.type': 'User',
  'audit.user_identity.principal_id': 'alice',
  'audit.event_source': 'shop',
  'audit.event_name': 'Login',
  'audit.recipient_account_id': '123456789012',
};

function record(attributes: Record<string, unknown>, extra: Partial<AuditLogRecord> = {}): AuditLogRecord {
  return {
    hrTime: [1795253400, 0],
    hrTimeObserved: [1795253400, 0],
    attributes,
    resource: { attributes: {} },
    instrumentationScope: { name: '' },
    ...extra,
  };
}

function ctx() {
  let n = 0;
  return { now: () => Date.parse('2026-11-21T12:00:00Z'), newId: () => `id-${++n}` };
}

const run = (records: AuditLogRecord[], options: PrepareOptions = {}, context = ctx()) =>
  prepareAuditEvents(records, options, context);

describe('prepareAuditEvents', () => {
  it('skips records without audit.* attributes quietly and counts them', () => {
    const result = run([record({ 'http.route': '/' }), record(audit), record({})]);
    expect(result.skipped).toBe(2);
    expect(result.events).toHaveLength(1);
    expect(result.rejections).toEqual([]);
  });

  it('does not count resource audit.* attributes as making a record an audit event', () => {
    const r = record({ 'user.id': 'x' }, { resource: { attributes: { 'audit.event_source': 'shop' } } });
    expect(run([r]).skipped).toBe(1);
  });

  it('sends an entry under the id it carries on every retry, and never writes an id into the record', () => {
    const records = [record(audit), record(audit)];
    const first = run(records, {}, ctx()).events.map((e) => e.id);
    expect(first).toEqual(['id-1', 'id-2']);
    const entries = records.map((r, i) => ({ id: first[i]!, record: r }));
    const now = Date.parse('2026-11-21T12:00:00Z');
    expect(mapEntries(entries, {}, now).events.map((e) => e.id)).toEqual(first);
    expect(mapEntries(entries, {}, now).events.map((e) => e.id)).toEqual(first);
    expect(records.every((r) => r.attributes['audit.id'] === undefined)).toBe(true);
    expect(Object.getOwnPropertySymbols(records[0])).toEqual([]);
  });

  it('reads now() once per call for the eventTime fallback', () => {
    let calls = 0;
    const records = [
      record(audit, { hrTime: [0, 0], hrTimeObserved: [0, 0] }),
      record(audit, { hrTime: [0, 0], hrTimeObserved: [0, 0] }),
    ];
    const result = prepareAuditEvents(
      records,
      {},
      { now: () => (++calls, Date.parse('2026-11-21T12:00:00Z')), newId: () => 'x' },
    );
    expect(calls).toBe(1);
    expect(result.events.map((e) => (JSON.parse(e.eventData) as { eventTime: string }).eventTime)).toEqual([
      '2026-11-21T12:00:00Z',
      '2026-11-21T12:00:00Z',
    ]);
  });

  it('uses a custom filter and rejects only the record for which it throws', () => {
    const filter = (r: AuditLogRecord) => {
      if (r.attributes['boom'] === true) throw new Error('filter exploded');
      return r.attributes['keep'] === true;
    };
    const result = run(
      [record({ ...audit, keep: true }), record({ ...audit, boom: true }), record({ ...audit })],
      { filter },
    );
    expect(result.events).toHaveLength(1);
    expect(result.skipped).toBe(1);
    expect(result.rejections).toHaveLength(1);
    expect(result.rejections[0]).toBeInstanceOf(MappingError);
    expect(result.rejections[0]!.message).toContain('filter');
    expect(result.rejections[0]!.message).toContain('filter exploded');
  });

  it('lets mapRecord change the mapping and validates what it returns', () => {
    const result = run([record(audit), record({ ...audit, 'audit.uid': 'bad' })], {
      mapRecord: (r, mapped) =>
        r.attributes['audit.uid'] === 'bad'
          ? { ...mapped, eventTime: 'soon' }
          : { ...mapped, eventName: 'Renamed' },
    });
    expect(result.events).toHaveLength(1);
    expect(JSON.parse(result.events[0]!.eventData)).toMatchObject({ eventName: 'Renamed' });
    expect(result.rejections[0]).toBeInstanceOf(ValidationError);
    expect(result.rejections[0]).toMatchObject({ field: 'eventTime', eventId: 'id-2' });
  });

  it('deep-checks mapRecord output: a Date inside requestParameters is rejected, not silently serialised', () => {
    const result = run([record(audit)], {
      mapRecord: (_r, mapped) => ({ ...mapped, requestParameters: { at: new Date(0) } as never }),
    });
    expect(result.rejections[0]).toMatchObject({ field: 'requestParameters', reason: 'invalid' });
  });

  it('rejects only the record whose mapRecord throws, with a MappingError that keeps the cause', () => {
    const cause = new Error('mapper bug');
    const result = run([record(audit), record({ ...audit, fail: 1 })], {
      mapRecord: (r, mapped) => {
        if (r.attributes['fail'] === 1) throw cause;
        return mapped;
      },
    });
    expect(result.events).toHaveLength(1);
    expect(result.rejections[0]).toBeInstanceOf(MappingError);
    expect(result.rejections[0]).toMatchObject({ eventId: 'id-2', cause });
  });

  it('rejects a malformed record (no resource) with a MappingError and carries on', () => {
    const broken = { ...record(audit), resource: undefined } as unknown as AuditLogRecord;
    const result = run([broken, record(audit)]);
    expect(result.events).toHaveLength(1);
    expect(result.rejections[0]).toBeInstanceOf(MappingError);
    expect(result.rejections[0]!.message).toContain('mapping the log record failed');
  });

  it('gives one rejection per bad record, among good ones, in order', () => {
    const result = run([
      record({ 'audit.x': 1 }),
      record(audit),
      record({ ...audit, 'audit.event_time': 'never' }),
    ]);
    expect(result.events).toHaveLength(1);
    expect(result.rejections.map((r) => r.eventId)).toEqual(['id-1', 'id-3']);
  });

  it('rejects an over-long field by default and truncates it with truncate', () => {
    const long = { ...audit, 'audit.error_message': 'm'.repeat(257) };
    expect(run([record(long)]).rejections[0]).toMatchObject({
      field: 'errorMessage',
      reason: 'too_long',
      limit: 256,
      actual: 257,
    });
    const cut = run([record(long)], { truncate: true }).events[0]!;
    expect(JSON.parse(cut.eventData)).toMatchObject({
      errorMessage: 'm'.repeat(256),
      additionalEventData: { truncatedFields: ['errorMessage'] },
    });
  });

  it('rejects an event that cannot fit in maxRequestBytes even alone', () => {
    const result = run([record(audit)], { maxRequestBytes: 300 });
    expect(result.rejections[0]).toBeInstanceOf(EventTooLargeError);
    expect(run([record(audit)], { maxRequestBytes: 1_000 }).events).toHaveLength(1);
  });
});

describe('checkPrepareOptions', () => {
  it('accepts valid options', () => {
    expect(() =>
      checkPrepareOptions({
        defaults: { userIdentityType: 'App', eventSource: 'svc', version: '1.0' },
        recipientAccountId: '123456789012',
        filter: () => true,
        mapRecord: (_r, m) => m,
        includeAttributes: true,
        truncate: false,
        maxRequestBytes: 1_048_576,
      }),
    ).not.toThrow();
  });

  it.each([
    [
      { maxRequestBytes: 2_000_000 },
      'Expected `maxRequestBytes` to be an integer from 1 to 1048576, got `2000000` (number)',
    ],
    [
      { maxRequestBytes: 0 },
      'Expected `maxRequestBytes` to be an integer from 1 to 1048576, got `0` (number)',
    ],
    [
      { recipientAccountId: '1234' },
      'Expected `recipientAccountId` to be a 12-digit AWS account id, got `1234` (string)',
    ],
    [{ filter: 'yes' }, 'Expected `filter` to be a function, got `yes` (string)'],
    [{ mapRecord: {} }, 'Expected `mapRecord` to be a function, got `object` (object)'],
    [{ truncate: 'true' }, 'Expected `truncate` to be a boolean, got `true` (string)'],
    [{ includeAttributes: 1 }, 'Expected `includeAttributes` to be a boolean, got `1` (number)'],
    [
      { defaults: { userIdentityType: '' } },
      'Expected `defaults.userIdentityType` to be a non-empty string, got `` (string)',
    ],
    [{ defaults: { eventsource: 'x' } }, 'Unknown option `defaults.eventsource`'],
  ])('rejects %j with a ConfigError naming option, expectation and value', (options, message) => {
    expect(() => checkPrepareOptions(options as PrepareOptions)).toThrow(ConfigError);
    expect(() => checkPrepareOptions(options as PrepareOptions)).toThrow(message);
  });
});
