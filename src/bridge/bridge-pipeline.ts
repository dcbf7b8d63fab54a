import { CloudTrailLakeLogExporter } from '../cloudtrail-lake-log-exporter.js';
import { createProcessorDelivery } from '../cloudtrail-lake-log-record-processor.js';
import { resolveExporterOptions } from '../options.js';
import type { PrepareOptions } from '../prepare-audit-events.js';
import type { BridgeOptions } from './bridge-options.js';
import { checkBridgeRoutes, routeByRules } from './bridge-routes.js';
import { createDeliverySink, type BridgeSink } from './bridge-sink.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The export side of a bridge: where records go, and the options that validate them on intake. */
export interface BridgePipeline {
  sink: BridgeSink;
  /** Mapping options to validate records on receipt with; undefined when the bridge does not own the exporter. */
  intake: PrepareOptions | undefined;
}

/**
 * Builds the default pipeline: the processor's delivery engine (batching, OTEL_BLRP_*, the ledger, the
 * `spool`) over the exporter's send pipeline, unless `options.sink` replaces it. The bridge has made
 * each record's audit decision and id at intake, so entries go in as they are and nothing filters
 * again. The queue is the bridge's `maxQueueSize`: the bridge answers 429 before it would have to drop.
 * @throws ConfigError for invalid exporter, batch or spool options; `CTL_ERR_SPOOL` for a spool in use.
 */
export function createBridgePipeline(options: BridgeOptions, maxQueueSize: number, env: Env): BridgePipeline {
  if (options.sink !== undefined) return { sink: options.sink, intake: undefined };
  let exporter = options.exporter;
  let intake: PrepareOptions | undefined;
  if (exporter === undefined) {
    const exporterOptions = options.exporterOptions ?? {};
    exporter = new CloudTrailLakeLogExporter(exporterOptions, env);
    if (options.validateOnIntake !== false) {
      // The same mapping options the exporter resolved, so intake and export agree on what is valid.
      const resolved = resolveExporterOptions(exporterOptions, env);
      intake = { ...resolved.mapping, maxRequestBytes: resolved.maxRequestBytes };
    }
  }
  const owned = exporter;
  try {
    const { delivery, stats } = createProcessorDelivery(
      owned.pipeline,
      { maxQueueSize, ...options.batch, ...(options.spool === undefined ? {} : { spool: options.spool }) },
      env,
      () => owned.shutdown(),
    );
    const routes = checkBridgeRoutes(options.routes);
    const route = routes.length === 0 ? undefined : routeByRules(routes);
    return { sink: createDeliverySink(delivery, stats, route), intake };
  } catch (error) {
    if (options.exporter === undefined) void owned.shutdown();
    throw error;
  }
}
