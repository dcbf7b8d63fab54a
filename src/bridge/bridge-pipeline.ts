import { CloudTrailLakeLogExporter } from '../cloudtrail-lake-log-exporter.js';
import { createProcessorDelivery } from '../cloudtrail-lake-log-record-processor.js';
import type { PrepareOptions } from '../prepare-audit-events.js';
import type { BridgeOptions } from './bridge-options.js';
import { checkBridgeRoutes, routeByRules } from './bridge-routes.js';
import { createDeliverySink, type BridgeSink } from './bridge-sink.js';
import { createIntakePreparer } from './prepare-on-intake.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The export side of a bridge: where records go, and the mapping options its clients' pins are checked with. */
export interface BridgePipeline {
  sink: BridgeSink;
  /** The exporter's mapping options; none with a `sink` of the user's. */
  mapping: PrepareOptions;
}

/**
 * Builds the default pipeline: the processor's delivery engine (batching, OTEL_BLRP_*, the ledger, the
 * `spool`) over the exporter's send pipeline, unless `options.sink` replaces it. The bridge has made
 * each record's audit decision and id at intake, so entries go in as they are and nothing filters
 * again; unless `validateOnIntake` is false, the sink also prepares each record at intake with the
 * exporter's own mapping options, so intake and export agree on what is valid and nothing is mapped
 * twice. The queue is the bridge's `maxQueueSize`: the bridge answers 429 before it would have to drop.
 * @throws ConfigError for invalid exporter, batch or spool options; `CTL_ERR_SPOOL` for a spool in use.
 */
export function createBridgePipeline(options: BridgeOptions, maxQueueSize: number, env: Env): BridgePipeline {
  if (options.sink !== undefined) return { sink: options.sink, mapping: {} };
  const owned = options.exporter ?? new CloudTrailLakeLogExporter(options.exporterOptions ?? {}, env);
  try {
    const { delivery, stats } = createProcessorDelivery(
      owned.pipeline,
      { maxQueueSize, ...options.batch, ...(options.spool === undefined ? {} : { spool: options.spool }) },
      env,
      () => owned.shutdown(),
    );
    const routes = checkBridgeRoutes(options.routes);
    const route = routes.length === 0 ? undefined : routeByRules(routes);
    const { mapping } = owned.pipeline;
    const prepare =
      options.validateOnIntake === false ? undefined : createIntakePreparer(owned.pipeline.map, route);
    return { sink: createDeliverySink(delivery, stats, route, prepare), mapping };
  } catch (error) {
    if (options.exporter === undefined) void owned.shutdown();
    throw error;
  }
}
