// A MetricReader that collects on demand, for tests that read the library's OTel metrics.
import { AggregationTemporality, MetricReader } from '@opentelemetry/sdk-metrics';

export class TestMetricReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}
