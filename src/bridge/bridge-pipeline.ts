import { CloudTrailLakeLogExporter } from '../cloudtrail-lake-log-exporter.js';
import { CloudTrailLakeLogRecordProcessor } from '../cloudtrail-lake-log-record-processor.js';
import { resolveExporterOptions } from '../options.js';
import type { PrepareOptions } from '../prepare-audit-events.js';
import type { BridgeOptions } from './bridge-options.js';
import { createProcessorSink, type BridgeSink } from './bridge-sink.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The export side of a bridge: where records go, and the options that validate them on intake. */
export interface BridgePipeline {
  sink: BridgeSink;
  /** Mapping options to validate records on receipt with; undefined when the bridge does not own the exporter. */
  intake: PrepareOptions | undefined;
}

/**
 * Builds the default pipeline, a CloudTrailLakeLogRecordProcessor (batching, OTEL_BLRP_*, drop counting,
 * the `spool`) in front of the exporter, unless `options.sink` replaces it. The processor's queue is the
 * bridge's `maxQueueSize`: the bridge answers 429 before the processor would have to drop.
 * @throws ConfigError for invalid exporter, batch or spool options; `CTL_ERR_SPOOL` for a spool in use.
 */
export function createBridgePipeline(options: BridgeOptions, maxQueueSize: number, env: Env): BridgePipeline {
  if (options.sink !== undefined) return { sink: options.sink, intake: undefined };
  let exporter = options.exporter;
  let intake: PrepareOptions | undefined;
  if (exporter === undefined) {
    // The bridge has filtered already; a second filter at export would skip records the client was told were kept.
    const exporterOptions = { ...options.exporterOptions, filter: () => true };
    exporter = new CloudTrailLakeLogExporter(exporterOptions, env);
    if (options.validateOnIntake !== false) {
      // The same mapping options the exporter resolved, so intake and export agree on what is valid.
      const resolved = resolveExporterOptions(exporterOptions, env);
      intake = { ...resolved.mapping, maxRequestBytes: resolved.maxRequestBytes };
    }
  }
  let processor: CloudTrailLakeLogRecordProcessor;
  try {
    processor = new CloudTrailLakeLogRecordProcessor(
      {
        exporter,
        maxQueueSize,
        ...options.batch,
        ...(options.spool === undefined ? {} : { spool: options.spool }),
      },
      env,
    );
  } catch (error) {
    if (options.exporter === undefined) void exporter.shutdown();
    throw error;
  }
  return { sink: createProcessorSink(processor), intake };
}
