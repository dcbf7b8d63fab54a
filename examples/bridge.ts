// The OTLP/HTTP bridge from code: any OpenTelemetry SDK or Collector sends logs to it, and it exports
// the audit records among them. The CLI equivalent is `otel-cloudtrail-lake bridge`.
import { startBridge } from 'otel-cloudtrail-lake/bridge';

const channelArn =
  process.env['OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN'] ??
  'arn:aws:cloudtrail:eu-west-1:123456789012:channel/01234567-89ab-cdef-0123-456789abcdef';

const bridge = await startBridge({ port: 4318, exporterOptions: { channelArn } });
// bridge.logsUrl, bridge.counters, bridge.pendingRecords
process.once('SIGTERM', () => void bridge.close().then(({ drained }) => process.exit(drained ? 0 : 1)));
