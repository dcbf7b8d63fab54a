/**
 * `otel-cloudtrail-lake/bridge`: an OTLP/HTTP receiver that exports the audit records it receives to
 * CloudTrail Lake. Not loaded by the exporter; import it only where you run the bridge.
 */
export { startBridge } from './start-bridge.js';
export type { Bridge, BridgeCounters, BridgeCloseResult } from './start-bridge.js';
export { resolveBridgeOptions, loadBridgeConfigFile, BRIDGE_ENV } from './bridge-options.js';
export type { BridgeOptions, ResolvedBridgeOptions, BridgeBatchOptions } from './bridge-options.js';
export type { BridgeRoute, RouteMatchValue } from './bridge-routes.js';
export { createProcessorSink } from './bridge-sink.js';
export type { BridgeSink, CountingLogRecordProcessor } from './bridge-sink.js';
export type { BridgeLogRecord } from './otlp-to-audit-log-records.js';
export type { PipelineEntry } from '../pipeline/pipeline-entry.js';
export { parseBridgeClients } from './bridge-clients.js';
export type { BridgeClient, BridgeClients } from './bridge-clients.js';
export { BRIDGE_CLIENT_KEY, PIN_REJECTION_CODES } from './authorize-records.js';
export { INTAKE_REJECTION_CODES } from './receive-logs.js';
export type { DecodeLimits } from './decode-limits.js';
export type { BridgeMetricsSnapshot } from './bridge-metrics.js';
