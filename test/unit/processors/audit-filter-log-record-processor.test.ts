// Covers AuditFilterLogRecordProcessor and RedactingLogRecordProcessor inside a real sdk-logs
// LoggerProvider: which records pass, the counters, a throwing filter, and in-place redaction of
// attributes and bodies. The pure redaction rules are covered in redact.test.ts.
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';
import { REDACTED_VALUE } from '../../../src/limits.js';
import { AuditFilterLogRecordProcessor } from '../../../src/processors/audit-filter-log-record-processor.js';
import { RedactingLogRecordProcessor } from '../../../src/processors/redacting-log-record-processor.js';

function setup(filter?: (record: { attributes: Record<string, unknown> }) => boolean) {
  const exporter = new InMemoryLogRecordExporter();
  const processor = new AuditFilterLogRecordProcessor({
    next: new SimpleLogRecordProcessor({ exporter }),
    ...(filter === undefined ? {} : { filter }),
  });
  const provider = new LoggerProvider({ processors: [processor] });
  return { exporter, processor, provider, logger: provider.getLogger('test') };
}

describe('AuditFilterLogRecordProcessor', () => {
  it('forwards only records with an audit.* attribute and counts the others', async () => {
    const { exporter, processor, provider, logger } = setup();
    logger.emit({ body: 'a', attributes: { 'audit.event_name': 'Login' } });
    logger.emit({ body: 'b', attributes: { 'user.id': 'u' } });
    logger.emit({ body: 'c' });
    logger.emit({ body: 'd', attributes: { auditor: 'x', 'audit.uid': '1' } });
    await provider.forceFlush();
    expect(exporter.getFinishedLogRecords().map((r) => r.body)).toEqual(['a', 'd']);
    expect(processor.counters).toEqual({ passed: 2, filtered: 2, failed: 0 });
    await provider.shutdown();
  });

  it('does not treat audit.* resource attributes as marking every record', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const { resourceFromAttributes } = await import('@opentelemetry/resources');
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'audit.event_source': 'svc' }),
      processors: [new AuditFilterLogRecordProcessor({ next: new SimpleLogRecordProcessor({ exporter }) })],
    });
    provider.getLogger('t').emit({ body: 'plain' });
    await provider.forceFlush();
    expect(exporter.getFinishedLogRecords()).toHaveLength(0);
    await provider.shutdown();
  });

  it('uses a user predicate instead of the audit rule', async () => {
    const { exporter, processor, provider, logger } = setup((r) => r.attributes['keep'] === true);
    logger.emit({ body: 'a', attributes: { keep: true } });
    logger.emit({ body: 'b', attributes: { 'audit.event_name': 'X' } });
    await provider.forceFlush();
    expect(exporter.getFinishedLogRecords().map((r) => r.body)).toEqual(['a']);
    expect(processor.counters).toEqual({ passed: 1, filtered: 1, failed: 0 });
    await provider.shutdown();
  });

  it('drops and counts a record whose filter throws, and keeps working', async () => {
    const { exporter, processor, provider, logger } = setup((r) => {
      if (r.attributes['boom'] === true) throw new Error('bad filter');
      return true;
    });
    logger.emit({ body: 'a', attributes: { boom: true } });
    logger.emit({ body: 'b' });
    await provider.forceFlush();
    expect(exporter.getFinishedLogRecords().map((r) => r.body)).toEqual(['b']);
    expect(processor.counters.failed).toBe(1);
    await provider.shutdown();
  });

  it('passes forceFlush and shutdown through to the next processor', async () => {
    const calls: string[] = [];
    const next = {
      onEmit: () => calls.push('emit'),
      forceFlush: () => (calls.push('flush'), Promise.resolve()),
      shutdown: () => (calls.push('shutdown'), Promise.resolve()),
    };
    const processor = new AuditFilterLogRecordProcessor({ next });
    await processor.forceFlush();
    await processor.shutdown();
    expect(calls).toEqual(['flush', 'shutdown']);
  });
});

describe('RedactingLogRecordProcessor', () => {
  it('redacts attributes, nested maps, JSON strings and the body before the next processor sees them', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      processors: [
        new AuditFilterLogRecordProcessor({
          next: new RedactingLogRecordProcessor({ next: new SimpleLogRecordProcessor({ exporter }) }),
        }),
      ],
    });
    provider.getLogger('t').emit({
      body: { message: 'login', password: 'p' },
      attributes: {
        'audit.event_name': 'Login',
        'http.request.header.authorization': 'Bearer xyz',
        'audit.request_parameters': { user: 'alice', nested: { client_secret: 's' } },
        'audit.response_elements': JSON.stringify({ session: { token: 't' } }),
        'user.id': 'alice',
      },
    });
    await provider.forceFlush();
    const [record] = exporter.getFinishedLogRecords();
    expect(record?.attributes).toEqual({
      'audit.event_name': 'Login',
      'http.request.header.authorization': REDACTED_VALUE,
      'audit.request_parameters': { user: 'alice', nested: { client_secret: REDACTED_VALUE } },
      'audit.response_elements': JSON.stringify({ session: { token: REDACTED_VALUE } }),
      'user.id': 'alice',
    });
    expect(record?.body).toEqual({ message: 'login', password: REDACTED_VALUE });
    await provider.shutdown();
  });

  it('rewrites records in place for the processors listed after it when it has no next', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      processors: [
        new RedactingLogRecordProcessor({ redactBody: false }),
        new SimpleLogRecordProcessor({ exporter }),
      ],
    });
    provider.getLogger('t').emit({ body: { password: 'p' }, attributes: { api_key: 'k', ok: 1 } });
    await provider.forceFlush();
    const [record] = exporter.getFinishedLogRecords();
    expect(record?.attributes).toEqual({ api_key: REDACTED_VALUE, ok: 1 });
    expect(record?.body).toEqual({ password: 'p' });
    await provider.shutdown();
  });
});
