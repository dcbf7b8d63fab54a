// The exporter against a faulty service: whole-request throttling (400 and 429), 5xx, connection resets,
// per-event Throttling/InvalidData in a 200, each permanent error (one request, one diagnostic) and the
// export deadline. The happy path, lifecycle and configuration are in the other exporter-* files.
import { ExportResultCode } from '@opentelemetry/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudTrailLakeLogExporter } from '../../src/cloudtrail-lake-log-exporter.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { RejectedByServiceError, type EventRejection } from '../../src/errors.js';
import { auditAttributes, emulatorExporterOptions, TEST_CREDENTIALS } from '../helpers/audit-pipeline.js';
import { startAwsErrorServer } from '../helpers/aws-error-server.js';
import { captureDiag, type CapturedDiag } from '../helpers/capture-diag.js';
import { exportOnce, makeRecords } from '../helpers/log-records.js';

const OWNER = {
  accessKeyId: 'AKIDOWNER00000000001',
  secretAccessKey: 'owner-secret',
  accountId: '123456789012',
};
const STRANGER = {
  accessKeyId: 'AKIDSTRANGER00000001',
  secretAccessKey: 'stranger-secret',
  accountId: '210987654321',
};

describe('exporter faults', () => {
  let emulator: Emulator;
  let diagLines: CapturedDiag;
  const exporters: CloudTrailLakeLogExporter[] = [];
  const newExporter = (options: ConstructorParameters<typeof CloudTrailLakeLogExporter>[0] = {}) => {
    const exporter = new CloudTrailLakeLogExporter(emulatorExporterOptions(emulator, options), {});
    exporters.push(exporter);
    return exporter;
  };
  beforeEach(async () => {
    emulator = await startEmulator({ port: 0, credentials: [OWNER, STRANGER] });
    diagLines = captureDiag();
  });
  afterEach(async () => {
    await Promise.all(exporters.splice(0).map((e) => e.shutdown()));
    diagLines.restore();
    await emulator.close();
  });

  it.each([400, 429] as const)(
    'retries a request throttled with status %i and then stores every event',
    async (status) => {
      emulator.setFaults({ script: [{ kind: 'throttle', status }] });
      const exporter = newExporter({ credentials: OWNER });
      const records = await makeRecords([auditAttributes(1), auditAttributes(2), auditAttributes(3)]);
      const result = await exportOnce(exporter, records);
      expect(result.code).toBe(ExportResultCode.SUCCESS);
      expect(emulator.stats.throttled).toBe(1);
      expect(emulator.stats.putAuditEventsRequests).toBe(2);
      expect(emulator.events()).toHaveLength(3);
    },
  );

  it('retries 5xx answers and connection resets within the deadline', async () => {
    emulator.setFaults({
      script: [
        { kind: 'server-error', status: 503 },
        { kind: 'server-error', status: 500 },
        { kind: 'reset' },
      ],
    });
    const exporter = newExporter({ credentials: OWNER });
    const result = await exportOnce(exporter, await makeRecords([auditAttributes(1)]));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(emulator.stats.putAuditEventsRequests).toBeGreaterThanOrEqual(4);
    expect(emulator.events()).toHaveLength(1);
    expect(exporter.stats).toMatchObject({ exported: 1, failed: 0 });
  });

  it('resends only per-event Throttling entries and reports InvalidData entries as rejections', async () => {
    const records = await makeRecords([
      auditAttributes(1, { 'audit.id': 'ok-1' }),
      auditAttributes(2, { 'audit.id': 'throttled-1' }),
      auditAttributes(3, { 'audit.id': 'invalid-1' }),
      auditAttributes(4, { 'audit.id': 'internal-1' }),
    ]);
    emulator.setFaults({
      failEvents: [
        { id: 'throttled-1', errorCode: 'Throttling', times: 1 },
        { id: 'internal-1', errorCode: 'InternalFailure', times: 2 },
        { id: 'invalid-1', errorCode: 'InvalidData', errorMessage: 'bad eventData' },
      ],
    });
    const rejected: EventRejection[] = [];
    const exporter = newExporter({ credentials: OWNER, onRejected: (r) => rejected.push(...r) });
    const result = await exportOnce(exporter, records);

    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error).toMatchObject({ code: 'CTL_ERR_EXPORT_FAILED' });
    expect(result.error?.message).toMatch(/3 accepted, 1 rejected/);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toBeInstanceOf(RejectedByServiceError);
    expect(rejected[0]).toMatchObject({ eventId: 'invalid-1', serviceErrorCode: 'InvalidData' });

    const sentIds = emulator.received().map((r) => (r.auditEvents ?? []).map((e) => e.id).sort());
    expect(sentIds).toEqual([
      ['internal-1', 'invalid-1', 'ok-1', 'throttled-1'],
      ['internal-1', 'throttled-1'],
      ['internal-1'],
    ]);
    expect(
      emulator
        .events()
        .map((e) => e.eventData['UID'])
        .sort(),
    ).toEqual(['internal-1', 'ok-1', 'throttled-1']);
    expect(exporter.stats).toMatchObject({ exported: 3, rejected: 1, retried: 3, failed: 0, requests: 3 });
  });

  it('gives up on per-event Throttling after retry.maxAttempts and says so in the result', async () => {
    emulator.setFaults({ failEvents: [{ id: 'always-throttled', errorCode: 'Throttling' }] });
    const exporter = newExporter({
      credentials: OWNER,
      retry: { maxAttempts: 3, initialBackoffMillis: 1, maxBackoffMillis: 2 },
    });
    const result = await exportOnce(
      exporter,
      await makeRecords([auditAttributes(1, { 'audit.id': 'always-throttled' })]),
    );
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toMatch(/1 failed .*Throttling/);
    expect(emulator.stats.putAuditEventsRequests).toBe(3);
    expect(exporter.stats).toMatchObject({ exported: 0, failed: 1, retried: 2 });
  });

  const permanent = [
    {
      name: 'ChannelNotFound',
      options: (e: Emulator) => ({
        credentials: OWNER,
        channelArn: e.channelArn.replace(/channel\/.*/, 'channel/no-such-channel'),
      }),
      fix: /check `channelArn`/,
    },
    {
      name: 'ChannelInsufficientPermission',
      options: () => ({ credentials: STRANGER }),
      fix: /channel owner account/,
    },
    {
      name: 'InvalidSignatureException',
      options: () => ({ credentials: { accessKeyId: OWNER.accessKeyId, secretAccessKey: 'wrong-secret' } }),
      fix: /secret access key does not match/,
    },
  ];
  it.each(permanent)(
    'does not retry $name and writes one diagnostic naming the likely fix',
    async ({ name, options, fix }) => {
      const exporter = newExporter(options(emulator));
      const result = await exportOnce(exporter, await makeRecords([auditAttributes(1), auditAttributes(2)]));
      expect(result.code).toBe(ExportResultCode.FAILED);
      expect(result.error?.message).toContain(name);
      expect(emulator.received().filter((r) => r.errorType === name)).toHaveLength(1);
      expect(emulator.stats.putAuditEventsRequests).toBe(1);
      const errors = diagLines.matching('error', /failed permanently/);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toMatch(fix);
      expect(exporter.stats).toMatchObject({ failed: 2, exported: 0 });
      for (const line of diagLines.lines) {
        expect(line.message).not.toContain('wrong-secret');
        expect(line.message).not.toContain(OWNER.secretAccessKey);
        expect(line.message).not.toContain(STRANGER.secretAccessKey);
      }
    },
  );

  it('does not retry InvalidChannelARN and writes one diagnostic', async () => {
    const server = await startAwsErrorServer('InvalidChannelARN');
    try {
      const exporter = newExporter({ endpoint: server.url, credentials: TEST_CREDENTIALS });
      const result = await exportOnce(exporter, await makeRecords([auditAttributes(1)]));
      expect(result.code).toBe(ExportResultCode.FAILED);
      expect(server.requests).toBe(1);
      expect(
        diagLines.matching('error', /InvalidChannelARN.*Likely fix: the channel ARN is malformed/),
      ).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('reports DuplicatedAuditEventId as a bug in this library, without retrying', async () => {
    const server = await startAwsErrorServer('DuplicatedAuditEventId');
    try {
      const exporter = newExporter({ endpoint: server.url, credentials: TEST_CREDENTIALS });
      const result = await exportOnce(exporter, await makeRecords([auditAttributes(1)]));
      expect(result.code).toBe(ExportResultCode.FAILED);
      expect((result.error as Error & { cause?: { code?: string } }).cause?.code).toBe('CTL_ERR_BUG');
      expect(server.requests).toBe(1);
      expect(diagLines.matching('error', /this is a bug in otel-cloudtrail-lake/)).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('fails the export at its deadline when the service is slower than timeoutMillis', async () => {
    emulator.setFaults({ latencyMillis: 2_000 });
    const exporter = newExporter({ credentials: OWNER, timeoutMillis: 150 });
    const started = Date.now();
    const result = await exportOnce(exporter, await makeRecords([auditAttributes(1), auditAttributes(2)]));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toMatch(/2 failed/);
    expect(exporter.stats).toMatchObject({ failed: 2, exported: 0 });
    expect(diagLines.matching('error', /failed permanently/)).toHaveLength(0);
    expect(diagLines.matching('error', /2 audit event\(s\) not delivered: retryable failures/)).toHaveLength(1);
  });
});
