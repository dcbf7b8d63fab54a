/**
 * `otel-cloudtrail-lake/bridge`: an OTLP/HTTP receiver that exports the audit records it receives to
 * CloudTrail Lake. Not loaded by the exporter; import it only where you run the bridge.
 */
export { startBridge } from './start-bridge.js';
export type { Bridge, BridgeCounters, BridgeCloseResult } from './start-bridge.js';
export { resolveBridgeOptions, loadBridgeConfigFile, BRIDGE_ENV } from './bridge-options.js';
export type { BridgeOptions, ResolvedBridgeOptions, BridgeBatchOptions } from './bridge-options.js';
export { createProcessorSink } from './bridge-sink.js';
export type { BridgeSink, CountingLogRecordProcessor } from './bridge-sink.js';
export type { BridgeLogRecord } from './otlp-to-audit-log-records.js';
export type { PipelineEntry } from '../pipeline/pipeline-entry.js';
