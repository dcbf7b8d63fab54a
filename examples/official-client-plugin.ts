// Sending through the official AWS SDK client (@aws-sdk/client-cloudtrail-data) instead of the built-in
// HTTP client: its credentials, endpoint resolution, middleware and retries. The exporter still packs,
// validates, rate-limits, retries and handles per-event failures around it.
// #region readme
import { CloudTrailDataClient, PutAuditEventsCommand } from '@aws-sdk/client-cloudtrail-data';
import { CloudTrailLakeLogExporter } from 'otel-cloudtrail-lake';

const client = new CloudTrailDataClient({ region: 'eu-west-1' });
const exporter = new CloudTrailLakeLogExporter({
  channelArn: 'arn:aws:cloudtrail:eu-west-1:123456789012:channel/01234567-89ab-cdef-0123-456789abcdef',
  putAuditEvents: (input, { abortSignal }) => client.send(new PutAuditEventsCommand(input), { abortSignal }),
});
// #endregion readme

export { exporter };
