// Routing audit events to many channels: one channel per tenant, each with the externalId its channel
// policy requires. The function is called once per record, where it enters; a throw (an unknown tenant)
// or a value that is not a channel ARN rejects that record alone with CTL_ERR_ROUTE.
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { CloudTrailLakeLogExporter, CloudTrailLakeLogRecordProcessor } from 'otel-cloudtrail-lake';
import type { ChannelDestination } from 'otel-cloudtrail-lake';

const TENANT_CHANNELS: Readonly<Record<string, ChannelDestination>> = {
  acme: {
    channelArn: 'arn:aws:cloudtrail:us-east-1:111122223333:channel/acme',
    externalId: 'acme-external-id',
  },
  globex: { channelArn: 'arn:aws:cloudtrail:eu-west-1:444455556666:channel/globex' },
};

const exporter = new CloudTrailLakeLogExporter({
  channelArn: (record) => {
    const tenant = String(record.attributes['tenant.id']);
    const channel = TENANT_CHANNELS[tenant];
    if (channel === undefined) throw new Error(`no channel for tenant ${tenant}`);
    return channel;
  },
  deadLetter: { path: 'dead-letters.jsonl' }, // each dead letter names its channelArn
});
const provider = new LoggerProvider({ processors: [new CloudTrailLakeLogRecordProcessor({ exporter })] });

provider.getLogger('app').emit({
  eventName: 'DeleteFile',
  attributes: { 'tenant.id': 'acme', 'audit.actor.id': 'alice', 'audit.actor.type': 'user' },
});
await provider.shutdown();

// Counters per channel, also in the OTel metrics under the `cloudtrail.channel.arn` attribute.
console.log(exporter.stats.channels);
