/**
 * `npm run demo`: the whole path on one machine, no AWS account needed. It starts the emulator, runs the
 * example service (OTel logs SDK -> redaction -> processor adapter -> exporter) through a scripted set of
 * audited actions, shuts the provider down so everything is flushed, then asks three CloudTrail-Lake-style
 * questions and prints the answers. With a channel ARN and AWS credentials in the environment it sends
 * to the real service instead and prints the eventIDs it got back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { CloudTrailLakeLogExporter } from '../cloudtrail-lake-log-exporter.js';
import { CloudTrailLakeLogRecordProcessor } from '../cloudtrail-lake-log-record-processor.js';
import type { CloudTrailLakeLogExporterOptions } from '../options.js';
import type { Env } from '../env.js';
import type { EventRejection } from '../errors.js';
import { startEmulator, type Emulator } from '../emulator/start-emulator.js';
import { RedactingLogRecordProcessor } from '../processors/redacting-log-record-processor.js';
import { EMULATOR_PLACEHOLDER_CREDENTIALS } from '../cli/emulator-credentials.js';
import { formatTable, formatVertical } from '../cli/format-table.js';
import { DEMO_QUERIES } from './demo-queries.js';
import { DEMO_SCENARIO } from './demo-scenario.js';
import { performDemoAction, type DemoLogger } from './demo-service.js';
import { createRecordingPutAuditEvents, realServiceChannelArn } from './real-service.js';

/** Where the demo writes and what it reads. */
export interface RunDemoOptions {
  out: (line: string) => void;
  env: Env;
  /** Keep the emulator's events in this directory (for `query --data-dir` later). @default a temporary directory, removed at the end */
  dataDir?: string | undefined;
}

/** What the demo did, for its summary line and for tests. */
export interface DemoSummary {
  target: 'emulator' | 'cloudtrail-lake';
  /** Audit events the service accepted (CloudTrail Lake or the emulator). */
  sent: number;
  requests: number;
  rejected: number;
  failed: number;
  /** Non-audit log records the exporter skipped. */
  skipped: number;
  millis: number;
}

/** The mapping defaults of the example service: who it is and what kind of identity its users have. */
const SERVICE_DEFAULTS = { eventSource: 'billing.acme.example', userIdentityType: 'AcmeUser' } as const;

async function playScenario(
  out: (line: string) => void,
  exporterOptions: CloudTrailLakeLogExporterOptions,
  env: Env,
): Promise<CloudTrailLakeLogExporter> {
  const exporter = new CloudTrailLakeLogExporter(exporterOptions, env);
  // Records are redacted in onEmit, before the processor adapter queues them.
  const provider = new LoggerProvider({
    processors: [
      new RedactingLogRecordProcessor(),
      new CloudTrailLakeLogRecordProcessor({ exporter, scheduledDelayMillis: 200 }, env),
    ],
  });
  const logger = provider.getLogger('acme-billing', '1.0.0') as DemoLogger;
  out('The example service performs its actions:');
  for (const action of DEMO_SCENARIO) {
    const outcome = performDemoAction(logger, action);
    out(`  ${outcome.audited ? (outcome.succeeded ? '✓' : '✗') : '·'} ${outcome.line}`);
  }
  out('Shutting the LoggerProvider down, which flushes every queued audit record...');
  await provider.shutdown();
  return exporter;
}

function summarize(
  target: DemoSummary['target'],
  exporter: CloudTrailLakeLogExporter,
  started: number,
): DemoSummary {
  const stats = exporter.stats;
  return {
    target,
    sent: stats.exported,
    requests: stats.requests,
    rejected: stats.rejected,
    failed: stats.failed,
    skipped: stats.skipped,
    millis: Date.now() - started,
  };
}

function reportRejections(out: (line: string) => void): (rejections: readonly EventRejection[]) => void {
  return (rejections) => {
    for (const rejection of rejections) out(`  rejected: ${rejection.code}: ${rejection.message}`);
  };
}

async function runAgainstEmulator(options: RunDemoOptions, started: number): Promise<DemoSummary> {
  const { out } = options;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'otel-cloudtrail-lake-demo-')));
  let emulator: Emulator | undefined;
  try {
    out('Starting the CloudTrail Lake emulator...');
    emulator = await startEmulator({ port: 0, dataDir, log: () => undefined });
    out(`  endpoint ${emulator.url}, channel ${emulator.channelArn}`);
    out(`  console  ${emulator.url}/ (the browser console, while the demo runs)`);
    // A clean environment: the demo's own settings, not whatever OTEL_EXPORTER_CLOUDTRAIL_LAKE_* is set.
    const exporter = await playScenario(
      out,
      {
        channelArn: emulator.channelArn,
        endpoint: emulator.url,
        credentials: EMULATOR_PLACEHOLDER_CREDENTIALS,
        defaults: SERVICE_DEFAULTS,
        onRejected: reportRejections(out),
      },
      {},
    );
    const summary = summarize('emulator', exporter, started);
    out(`The emulator stored ${emulator.events().length} event(s). Asking it three questions:`);
    for (const query of DEMO_QUERIES) {
      const sql = query.sql(emulator.eventDataStoreId);
      out('');
      out(`${query.title}:`);
      out(`  ${sql.replace(/\s+/g, ' ')}`);
      const rows = await emulator.query(sql);
      for (const line of query.layout === 'vertical' ? formatVertical(rows) : formatTable(rows)) out(line);
    }
    out('');
    if (options.dataDir !== undefined) {
      out(`Events kept in ${dataDir}; ask your own questions with:`);
      out(
        `  otel-cloudtrail-lake query "SELECT eventData.eventName, count(*) FROM ${emulator.eventDataStoreId} GROUP BY 1" --data-dir ${dataDir}`,
      );
    }
    return { ...summary, millis: Date.now() - started };
  } finally {
    await emulator?.close();
    if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
  }
}

async function runAgainstService(
  options: RunDemoOptions,
  channelArn: string,
  started: number,
): Promise<DemoSummary> {
  const { out, env } = options;
  out(`Sending the demo's audit events to CloudTrail Lake channel ${channelArn} (no queries in this mode).`);
  const accepted: Array<{ id: string; eventID: string }> = [];
  const putAuditEvents = createRecordingPutAuditEvents({ channelArn, env }, (entry) => accepted.push(entry));
  const exporter = await playScenario(
    out,
    { channelArn, putAuditEvents, defaults: SERVICE_DEFAULTS, onRejected: reportRejections(out) },
    env,
  );
  out('');
  out('CloudTrail Lake accepted (our id -> its eventID):');
  for (const entry of accepted) out(`  ${entry.id} -> ${entry.eventID}`);
  return summarize('cloudtrail-lake', exporter, started);
}

/** Runs the demo and prints its one-line summary last. */
export async function runDemo(options: RunDemoOptions): Promise<DemoSummary> {
  const started = Date.now();
  const channelArn = realServiceChannelArn(options.env);
  const summary =
    channelArn === undefined
      ? await runAgainstEmulator(options, started)
      : await runAgainstService(options, channelArn, started);
  options.out(
    `Demo done (${summary.target}): ${summary.sent} event(s) sent, ${summary.requests} request(s), ` +
      `${summary.rejected} rejected, ${summary.failed} failed, ${summary.skipped} non-audit log(s) skipped, ` +
      `${(summary.millis / 1000).toFixed(1)} s`,
  );
  return summary;
}
